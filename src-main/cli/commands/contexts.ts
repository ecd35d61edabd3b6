import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerContexts(program: Command): void {
  program
    .command('contexts')
    .description('(contexts: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('contexts is not available yet');
    });
}
