// `npm start`: builds if needed, then launches Electron. Without a usable Electron binary (it
// cannot be downloaded offline) it says so in one line and starts browser mode instead.
// `npm run web` (`--web`) always starts browser mode.
import { ensureNode22 } from './ensure-node.mjs';
ensureNode22(import.meta.url);

const { spawn } = await import('node:child_process');
const { existsSync, readdirSync, statSync } = await import('node:fs');
const { dirname, join } = await import('node:path');
const { fileURLToPath, pathToFileURL } = await import('node:url');
const { findElectronBinary, displayProblem } = await import('./electron-binary.mjs');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const web = args.includes('--web');
const stamp = join(root, 'out', '.build-stamp');

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    n = Math.max(n, newest(join(path, e.name)));
  }
  return n;
}

function needsBuild() {
  const outputs = [
    'out/main/index.js',
    'out/preload/index.cjs',
    'out/renderer/index.html',
    'out/host/index.mjs',
  ];
  if (!existsSync(stamp) || outputs.some((o) => !existsSync(join(root, o)))) return true;
  // e2e runs right after a build: only a missing output triggers one
  if (process.env.NETPOL_NO_REBUILD === '1') return false;
  const sources = ['src-main', 'shared', 'src-renderer', 'assets', 'electron.vite.config.ts', 'package.json'];
  return Math.max(...sources.map((s) => newest(join(root, s)))) > statSync(stamp).mtimeMs;
}

async function buildIfNeeded() {
  if (!needsBuild()) return;
  process.stdout.write('Building Netpol Doctor (first start or sources changed)...\n');
  const { buildAll } = await import('./build.mjs');
  try {
    await buildAll({ quiet: true });
  } catch (err) {
    process.stderr.write(`netpol-doctor: build failed: ${err.message}\n`);
    process.exit(1);
  }
}

async function startBrowserMode() {
  process.argv = [
    process.argv[0],
    join(root, 'out', 'host', 'index.mjs'),
    '--web',
    ...args.filter((a) => a !== '--web'),
  ];
  await import(pathToFileURL(join(root, 'out', 'host', 'index.mjs')).href);
}

await buildIfNeeded();

if (web) {
  await startBrowserMode();
} else {
  const found = findElectronBinary();
  const noDisplay = displayProblem();
  if (!found.path || noDisplay) {
    process.stdout.write(
      `Electron is not available (${found.path ? noDisplay : found.reason}): starting browser mode instead.\n`,
    );
    await startBrowserMode();
  } else {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const child = spawn(found.path, [root, ...args], { stdio: 'inherit', env });
    child.on('error', (err) => {
      process.stderr.write(
        `netpol-doctor: cannot start Electron (${err.message}); use "npm run web" for browser mode\n`,
      );
      process.exit(1);
    });
    child.on('exit', (code, signal) => {
      if (code !== 0 && code !== null)
        process.stderr.write(`netpol-doctor: Electron exited with code ${code}\n`);
      process.exit(code ?? (signal ? 1 : 0));
    });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  }
}
