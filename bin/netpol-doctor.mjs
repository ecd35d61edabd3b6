#!/usr/bin/env node
// Launcher for the netpol-doctor CLI. Runs on any Node; the CLI itself needs Node >= 22
// (client-node 2), so on an older Node it re-executes with the project's bundled Node (npm package node@24).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major < 22) {
  const bundled = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bundled)) {
    process.stderr.write(
      `netpol-doctor needs Node.js >= 22 (this is ${process.version}). Run "npm install" in ${root} to get the bundled Node 24, or install Node 22/24.\n`,
    );
    process.exit(2);
  }
  const r = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|proto|json)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const bundle = join(root, 'out', 'cli', 'index.mjs');
const isSourceCheckout = existsSync(join(root, 'src-main'));
if (isSourceCheckout) {
  const stale =
    !existsSync(bundle) ||
    statSync(bundle).mtimeMs <
      Math.max(newestMtime(join(root, 'src-main')), newestMtime(join(root, 'shared')));
  if (stale) {
    const { buildNodeEntries } = await import(pathToFileURL(join(root, 'scripts', 'build-cli.mjs')).href);
    await buildNodeEntries();
  }
}
await import(pathToFileURL(bundle).href);
