/**
 * Apps started from a desktop launcher do not inherit the login shell's PATH, so exec credential plugins
 * (aws, gke-gcloud-auth-plugin, kubelogin) fail with ENOENT. At startup we ask the user's login shell
 * for its PATH (between markers, so rc-file noise is ignored) and merge it in front of ours.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface ShellPathResult {
  imported: boolean;
  /** PATH entries that were added */
  added: string[];
  shell?: string;
  error?: string;
}

const START = '__NETPOL_DOCTOR_PATH_START__';
const END = '__NETPOL_DOCTOR_PATH_END__';

export function readLoginShellPath(
  opts: { shell?: string; timeoutMs?: number } = {},
): Promise<{ path?: string; shell?: string; error?: string }> {
  const shell = opts.shell ?? process.env.SHELL;
  if (process.platform === 'win32') return Promise.resolve({ error: 'not needed on Windows' });
  if (!shell) return Promise.resolve({ error: 'SHELL is not set' });
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    let out = '';
    let done = false;
    const child = spawn(shell, ['-l', '-i', '-c', `printf '%s' "${START}\${PATH}${END}"`], {
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
      env: { ...process.env, DISABLE_AUTO_UPDATE: 'true', ZSH_TMUX_AUTOSTARTED: 'true' },
    });
    const finish = (r: { path?: string; shell?: string; error?: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      finish({ shell, error: `the login shell ${shell} did not answer within ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      const s = out.indexOf(START);
      const e = out.indexOf(END, s + START.length);
      if (s >= 0 && e > s) finish({ shell, path: out.slice(s + START.length, e) });
    });
    child.on('error', (err) => finish({ shell, error: `cannot start ${shell}: ${err.message}` }));
    child.on('close', () => finish({ shell, error: `the login shell ${shell} printed no PATH` }));
  });
}

/** Merges `shellPath` entries in front of `current`, keeping order and dropping duplicates. */
export function mergePath(
  shellPath: string,
  current: string | undefined,
): { merged: string; added: string[] } {
  const have = new Set((current ?? '').split(path.delimiter).filter(Boolean));
  const out: string[] = [];
  const seen = new Set<string>();
  const added: string[] = [];
  for (const p of [...shellPath.split(path.delimiter), ...(current ?? '').split(path.delimiter)]) {
    if (!p || seen.has(p)) continue;
    seen.add(p);
    out.push(p);
    if (!have.has(p)) added.push(p);
  }
  return { merged: out.join(path.delimiter), added };
}

/** Imports the login shell's PATH into process.env.PATH (5 s timeout). Never throws. */
export async function importLoginShellPath(
  opts: { shell?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ShellPathResult> {
  const env = opts.env ?? process.env;
  const r = await readLoginShellPath(opts);
  if (!r.path) return { imported: false, added: [], shell: r.shell, error: r.error };
  const { merged, added } = mergePath(r.path.trim(), env.PATH);
  env.PATH = merged;
  return { imported: true, added, shell: r.shell };
}
