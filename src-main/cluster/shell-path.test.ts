import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importLoginShellPath, mergePath } from './shell-path';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npd-shell-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function fakeShell(body: string): string {
  const p = path.join(dir, 'fake-shell');
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return p;
}

describe('login shell PATH import', () => {
  it('takes the PATH between the markers, ignoring rc-file noise, and puts it first', async () => {
    // A login shell that prints a banner, then runs the -c command with its own PATH.
    const shell = fakeShell(
      'echo "Welcome to your shell"; PATH=/opt/homebrew/bin:/usr/local/bin:/usr/bin; export PATH; shift 3; eval "$1"; echo trailing-noise',
    );
    // the script gets: -l -i -c CMD → after shifting -l -i -c, $1 is CMD
    const env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin' };
    const r = await importLoginShellPath({ shell, env, timeoutMs: 5000 });
    expect(r.imported).toBe(true);
    expect(env.PATH).toBe(['/opt/homebrew/bin', '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter));
    expect(r.added).toEqual(['/opt/homebrew/bin', '/usr/local/bin']);
  });

  it('gives up after the timeout and leaves PATH alone', async () => {
    const shell = fakeShell('sleep 30');
    const env: NodeJS.ProcessEnv = { PATH: '/usr/bin' };
    const started = Date.now();
    const r = await importLoginShellPath({ shell, env, timeoutMs: 300 });
    expect(r.imported).toBe(false);
    expect(r.error).toMatch(/did not answer within 300 ms/);
    expect(env.PATH).toBe('/usr/bin');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a shell that cannot start is reported, not thrown', async () => {
    const r = await importLoginShellPath({
      shell: path.join(dir, 'no-such-shell'),
      env: { PATH: '/usr/bin' },
    });
    expect(r.imported).toBe(false);
    expect(r.error).toMatch(/cannot start|printed no PATH/);
  });

  it('mergePath keeps order and drops duplicates', () => {
    expect(mergePath(['/a', '/b', '/a'].join(path.delimiter), ['/b', '/c'].join(path.delimiter))).toEqual({
      merged: ['/a', '/b', '/c'].join(path.delimiter),
      added: ['/a'],
    });
  });
});
