/**
 * Live snapshots for the CLI: progress on stderr (only on a terminal), errors mapped to exit codes:
 * unknown context or bad kubeconfig → 2, cluster unreachable / credentials rejected → 3.
 * A partial snapshot prints one warning line on stderr.
 */
import type { LoadProgress } from '@shared/cluster/types';
import type { Snapshot } from '@shared/snapshot/types';
import { CliError, EXIT } from '../cli/errors';
import { ApiStatusError, ClusterUnreachableError, KubeconfigError, UnknownContextError } from './errors';
import { loadLiveSnapshot } from './live-snapshot';

function progressWriter(stream: NodeJS.WriteStream): {
  onProgress?: (p: LoadProgress) => void;
  end: () => void;
} {
  if (!stream.isTTY) return { end: () => undefined };
  let last = 0;
  let shown = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 80 && p.phase === 'listing') return;
      last = now;
      const counts = p.total ? ` ${p.done}/${p.total}` : '';
      const line = `${p.phase}${counts} · ${p.objects} objects${p.current ? ` · ${p.current}` : ''}`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`);
      shown = true;
    },
    end: () => {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}

/** Maps cluster-access errors to CliError with the exit codes of cli-conventions.md. */
export function toCliError(err: unknown, context: string): Error {
  if (err instanceof CliError) return err;
  if (err instanceof UnknownContextError) return new CliError(err.message, EXIT.badInput);
  if (err instanceof KubeconfigError) return new CliError(err.message, EXIT.badInput);
  if (err instanceof ClusterUnreachableError)
    return new CliError(`context ${context}: ${err.message}`, EXIT.unreachable);
  if (err instanceof ApiStatusError)
    return new CliError(
      `context ${context}: the API server answered ${err.statusCode}: ${err.message}`,
      EXIT.unreachable,
    );
  return err instanceof Error ? err : new Error(String(err));
}

export async function loadContextSnapshotForCli(context: string, kubeconfig?: string): Promise<Snapshot> {
  const progress = progressWriter(process.stderr);
  let snapshot: Snapshot;
  try {
    snapshot = await loadLiveSnapshot(context, { kubeconfig, onProgress: progress.onProgress });
  } catch (err) {
    throw toCliError(err, context);
  } finally {
    progress.end();
  }
  if (snapshot.partial?.gaps.length) {
    const gaps = snapshot.partial.gaps;
    const shown = gaps.slice(0, 5).map((g) => g.message);
    process.stderr.write(
      `netpol-doctor: warning: partial snapshot of context ${context}: ${shown.join('; ')}${gaps.length > shown.length ? `; and ${gaps.length - shown.length} more` : ''}\n`,
    );
  }
  return snapshot;
}
