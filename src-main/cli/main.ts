import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './errors';
import { APP_VERSION } from '../version';
import { registerCommands } from './commands';

export async function runCli(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('netpol-doctor')
    .description('Explains why Kubernetes traffic is allowed or blocked, and how to fix it.')
    .version(APP_VERSION, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return EXIT.badInput;
    }
    if (err instanceof CliError) {
      process.stderr.write(`netpol-doctor: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `netpol-doctor: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 1;
  }
}
