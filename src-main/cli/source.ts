import { CliError } from './errors';
import type { Snapshot } from '@shared/snapshot/types';

/** Options every analysis command takes: `--snapshot F` or `--context C [--kubeconfig P]`. */
export interface SourceOptions {
  snapshot?: string[];
  context?: string;
  kubeconfig?: string;
}

import type { Command } from 'commander';

export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--snapshot <file...>', 'snapshot file(s) or directory: kubectl get -o yaml|json output')
    .option('--context <name>', 'read a live snapshot from this kubeconfig context')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)');
}

/**
 * Loads the snapshot a command works on. Files go through the snapshot loader, contexts through
 * cluster access (which maps unknown context → exit 2, unreachable → exit 3).
 */
export async function loadSource(opts: SourceOptions): Promise<Snapshot> {
  if (opts.snapshot && opts.context) throw new CliError('give either --snapshot or --context, not both');
  if (opts.snapshot && opts.snapshot.length) {
    const { loadSnapshotFiles, SnapshotFileError, SnapshotParseError } =
      await import('../snapshot/load-files');
    try {
      return await loadSnapshotFiles(opts.snapshot);
    } catch (err) {
      // unreadable or malformed snapshot files are bad input (exit 2), with file and line in the message
      if (err instanceof SnapshotFileError || err instanceof SnapshotParseError)
        throw new CliError(err.message);
      throw err;
    }
  }
  if (opts.context) {
    const { loadContextSnapshotForCli } = await import('../cluster/cli-snapshot');
    return loadContextSnapshotForCli(opts.context, opts.kubeconfig);
  }
  throw new CliError('missing input: give --snapshot FILE or --context NAME');
}
