import type { Command } from 'commander';
import { CliError } from '../errors';

// Placeholder: the owning issue replaces this module.
export function registerFlows(program: Command): void {
  program
    .command('flows')
    .description('(flows: not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new CliError('flows is not available yet');
    });
}
