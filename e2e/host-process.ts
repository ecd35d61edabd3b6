import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StartedHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  /** everything the process printed so far */
  output(): string;
  stop(): Promise<void>;
  child: ChildProcess;
}

const URL_LINE = /is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/;

/**
 * Starts a browser-mode host as a user would (`node scripts/start.mjs ...` = `npm start`/`npm run web`)
 * with BROWSER=none and waits for the one line that carries the URL.
 */
export function startHostProcess(
  args: string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; command?: string[] } = {},
): Promise<StartedHost> {
  const [cmd, ...pre] = opts.command ?? [process.execPath, 'scripts/start.mjs'];
  const child = spawn(cmd, [...pre, ...args], {
    cwd: ROOT,
    env: { ...process.env, BROWSER: 'none', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let out = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        // the whole process group (npm → node)
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      setTimeout(() => {
        try {
          if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        resolve();
      }, 3000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`the host did not print its URL within ${opts.timeoutMs ?? 120_000} ms; output:\n${out}`),
      );
    }, opts.timeoutMs ?? 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = URL_LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[2]);
        resolve({
          url: m[1],
          origin: `http://127.0.0.1:${port}`,
          token: m[3],
          port,
          output: () => out,
          stop,
          child,
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with code ${code} before printing its URL; output:\n${out}`));
    });
  });
}
