import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('(lint: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('lint is not available yet');
    });
}
