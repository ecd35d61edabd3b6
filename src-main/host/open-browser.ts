import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}

export type BrowserLaunch = { opened: true; command: string } | { opened: false; reason: string };

/**
 * Opens `url` in the user's default browser: $BROWSER if set (`none` opens nothing), else
 * `open` (macOS), `start` (Windows) or `xdg-open` (Linux/BSD) when present. Never throws.
 */
export function openBrowser(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): BrowserLaunch {
  const browser = env.BROWSER?.trim();
  if (browser && browser.toLowerCase() === 'none') return { opened: false, reason: 'BROWSER=none' };
  let command: string;
  let args: string[];
  if (browser) {
    command = browser;
    args = [url];
  } else if (platform === 'darwin') {
    command = 'open';
    args = [url];
  } else if (platform === 'win32') {
    command = 'cmd';
    args = ['/c', 'start', '""', url.replace(/&/g, '^&')];
  } else {
    if (!onPath('xdg-open', env))
      return { opened: false, reason: 'no default browser found (xdg-open is not installed)' };
    command = 'xdg-open';
    args = [url];
  }
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      shell: false,
      windowsVerbatimArguments: platform === 'win32',
    });
    child.on('error', () => {});
    child.unref();
    return { opened: true, command };
  } catch (err) {
    return { opened: false, reason: `cannot run ${command}: ${(err as Error).message}` };
  }
}
