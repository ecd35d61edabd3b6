// `npm run build`: the Electron app (main, preload, renderer) with electron-vite, then the CLI and
// browser-mode host bundles with esbuild. Everything lands in out/.
import { spawnSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeEntries } from './build-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** src-main/version.ts follows package.json. */
function syncVersion() {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const file = join(root, 'src-main', 'version.ts');
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/APP_VERSION = '[^']*'/, `APP_VERSION = '${version}'`);
  if (next !== text) writeFileSync(file, next);
}

export async function buildAll({ quiet = false } = {}) {
  const started = Date.now();
  syncVersion();
  const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [bin, 'build', ...(quiet ? ['--logLevel', 'error'] : [])], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status ?? r.signal})`);
  await buildNodeEntries();
  writeFileSync(join(root, 'out', '.build-stamp'), new Date(started).toISOString() + '\n');
  utimesSync(join(root, 'out', '.build-stamp'), started / 1000, started / 1000);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildAll({ quiet: process.argv.includes('--quiet') });
    process.stdout.write('build: out/main, out/preload, out/renderer, out/cli, out/host\n');
  } catch (err) {
    process.stderr.write(`build failed: ${err.message}\n`);
    process.exit(1);
  }
}
