import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('(report: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('report is not available yet');
    });
}
