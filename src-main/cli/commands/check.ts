import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('(check: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('check is not available yet');
    });
}
