import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerMatrix(program: Command): void {
  program
    .command('matrix')
    .description('(matrix: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('matrix is not available yet');
    });
}
