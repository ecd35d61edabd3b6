import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('(trace: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('trace is not available yet');
    });
}
