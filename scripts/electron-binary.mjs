// Where is a runnable Electron binary? Never downloads (the electron package would try to on first
// use, which hangs or fails offline): it only looks at ELECTRON_OVERRIDE_DIST_PATH and
// node_modules/electron/dist.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function platformExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** @returns {{ path: string } | { path?: undefined, reason: string }} */
export function findElectronBinary(env = process.env) {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExecutable();
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, rel);
    if (existsSync(p)) return { path: p };
    return { reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${p} does not exist` };
  }
  const p = join(pkgDir, 'dist', rel);
  if (existsSync(p)) return { path: p };
  if (!existsSync(pkgDir)) return { reason: 'the electron package is not installed (run npm install)' };
  return {
    reason:
      'no Electron binary in node_modules/electron/dist; it is downloaded on first use, which needs internet; ELECTRON_OVERRIDE_DIST_PATH can point to a local Electron 45',
  };
}

/** Linux needs a display server for a window. */
export function displayProblem(env = process.env, platform = process.platform) {
  if (platform !== 'linux') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'no display (DISPLAY/WAYLAND_DISPLAY are not set)';
}
