// Re-runs the current script with the project's bundled Node 24 (npm package `node`) when the
// machine's Node is older than 22 (Electron 45 tooling and client-node 2 need >= 22).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function ensureNode22(scriptUrl) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return;
  const bundled = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bundled)) {
    process.stderr.write(
      `netpol-doctor needs Node.js >= 22 (this is ${process.version}). Run "npm install" (it brings Node 24) or install Node 22/24.\n`,
    );
    process.exit(2);
  }
  const bin = join(root, 'node_modules', '.bin');
  const env = {
    ...process.env,
    PATH: `${bin}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`,
  };
  const r = spawnSync(bundled, [fileURLToPath(scriptUrl), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env,
  });
  process.exit(r.status ?? 1);
}
