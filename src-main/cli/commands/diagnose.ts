import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerDiagnose(program: Command): void {
  program
    .command('diagnose')
    .description('(diagnose: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('diagnose is not available yet');
    });
}
