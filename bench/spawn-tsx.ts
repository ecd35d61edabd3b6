/** Benchmarks run their simulators as separate processes (as the real peers are): a repo TypeScript file with tsx. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * Starts `script` (a path below `root`) with tsx on this Node, in its own process group, stdout piped
 * (the script prints its address there), stderr shown.
 */
export function spawnTsx(root: string, script: string, args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    [
      path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      '--tsconfig',
      path.join(root, 'tsconfig.node.json'),
      path.join(root, script),
      ...args,
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], detached: true },
  );
}

/** Ends a process started by spawnTsx and the node process tsx runs under it. */
export function stopTsx(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}
