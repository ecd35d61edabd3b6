import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerSnapshot(program: Command): void {
  program
    .command('snapshot')
    .description('(snapshot: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('snapshot is not available yet');
    });
}
