import { mkdtempSync, readdirSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RECENT, StateStore } from './state-store';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'npd-state-'));
}

describe('StateStore', () => {
  it('remembers window bounds and recent items across restarts', () => {
    const dir = tempDir();
    const a = new StateStore({ dir, warn: () => {} });
    a.setWindowBounds('context:prod', { x: 10, y: 20, width: 1200, height: 800 });
    a.addRecent({ kind: 'context', label: 'prod', context: 'prod' });
    a.addRecent({ kind: 'files', label: '/tmp/a.yaml', paths: ['/tmp/a.yaml'] });

    const b = new StateStore({ dir, warn: () => {} });
    expect(b.windowBounds('context:prod')).toEqual({ x: 10, y: 20, width: 1200, height: 800 });
    expect(b.recent().map((r) => r.label)).toEqual(['/tmp/a.yaml', 'prod']);
  });

  it('moves a reopened item to the front and keeps at most MAX_RECENT', () => {
    const store = new StateStore({ dir: tempDir(), warn: () => {} });
    for (let i = 0; i < MAX_RECENT + 5; i++)
      store.addRecent({ kind: 'context', label: `c${i}`, context: `c${i}` });
    store.addRecent({ kind: 'context', label: 'c7', context: 'c7' });
    const labels = store.recent().map((r) => r.label);
    expect(labels).toHaveLength(MAX_RECENT);
    expect(labels[0]).toBe('c7');
    expect(labels.filter((l) => l === 'c7')).toHaveLength(1);
  });

  it('resets a corrupt file with a warning instead of crashing, and keeps working', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.json'), '{"version":1,"windows":{"x":');
    const warnings: string[] = [];
    const store = new StateStore({ dir, warn: (m) => warnings.push(m) });
    expect(warnings.join('\n')).toMatch(/corrupt.*reset/);
    expect(store.recent()).toEqual([]);
    store.addRecent({ kind: 'demo', label: 'demo' });
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).recent[0].label).toBe('demo');
    expect(readdirSync(dir)).toContain('state.json.corrupt');
  });

  it('resets a file with valid JSON but the wrong shape', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({ version: 1, windows: { w: { width: 'wide' } }, recent: [] }),
    );
    const warnings: string[] = [];
    const store = new StateStore({ dir, warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(store.windowBounds('w')).toBeUndefined();
  });

  it('writes atomically: no temp files are left behind and the file is always complete JSON', () => {
    const dir = tempDir();
    const store = new StateStore({ dir, warn: () => {} });
    for (let i = 0; i < 20; i++) {
      store.setWindowBounds(`w${i}`, { width: 800 + i, height: 600 });
      expect(() => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).not.toThrow();
    }
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('warns but does not throw when the directory is not writable', () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions: use a path below a regular file instead
      const dir = tempDir();
      writeFileSync(join(dir, 'file'), 'x');
      const warnings: string[] = [];
      const store = new StateStore({ dir: join(dir, 'file', 'sub'), warn: (m) => warnings.push(m) });
      expect(() => store.addRecent({ kind: 'demo', label: 'demo' })).not.toThrow();
      expect(warnings.join('\n')).toMatch(/cannot save/);
      return;
    }
    const dir = tempDir();
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o500);
    const warnings: string[] = [];
    const store = new StateStore({ dir: join(dir, 'ro'), warn: (m) => warnings.push(m) });
    expect(() => store.addRecent({ kind: 'demo', label: 'demo' })).not.toThrow();
    expect(warnings.join('\n')).toMatch(/cannot save/);
  });

  it('ignores invalid bounds instead of storing them', () => {
    const dir = tempDir();
    const store = new StateStore({ dir, warn: () => {} });
    store.setWindowBounds('w', { width: 5, height: 5 });
    expect(new StateStore({ dir, warn: () => {} }).windowBounds('w')).toBeUndefined();
  });
});
