import { mkdtempSync, readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBrowser } from './open-browser';

describe('openBrowser', () => {
  it('opens nothing with BROWSER=none', () => {
    expect(openBrowser('http://127.0.0.1:1/', { BROWSER: 'none', PATH: '/usr/bin' })).toEqual({
      opened: false,
      reason: 'BROWSER=none',
    });
  });

  it('says so when Linux has no xdg-open', () => {
    const r = openBrowser(
      'http://127.0.0.1:1/',
      { PATH: mkdtempSync(join(tmpdir(), 'npd-empty-')) },
      'linux',
    );
    expect(r.opened).toBe(false);
    expect(r).toMatchObject({ reason: expect.stringMatching(/no default browser/) });
  });

  it('runs $BROWSER with the URL as one argument (no shell)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npd-browser-'));
    const out = join(dir, 'got');
    const script = join(dir, 'fake-browser');
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > ${JSON.stringify(out)}\n`);
    chmodSync(script, 0o755);
    const url = 'http://127.0.0.1:5/?token=a;b&c=$(id)';
    expect(openBrowser(url, { BROWSER: script, PATH: process.env.PATH }, 'linux')).toEqual({
      opened: true,
      command: script,
    });
    const t0 = Date.now();
    while (!existsSync(out) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(out, 'utf8')).toBe(url);
  });
});
