import { describe, expect, it } from 'vitest';
import { initialViewFor, parseStartupArgs, resolveArgPaths, userCwd } from './startup-args';
import { hasAnyKubeconfig, kubeconfigCandidates } from './kubeconfig-presence';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

describe('parseStartupArgs', () => {
  it('reads context, kubeconfig and wizard prefill', () => {
    const a = parseStartupArgs([
      '--context',
      'prod',
      '--kubeconfig=/k/config',
      '--from',
      'frontend/web',
      '--to',
      'backend/api',
      '--port',
      '8080',
    ]);
    expect(a.context).toBe('prod');
    expect(a.kubeconfig).toBe('/k/config');
    expect(a.wizard).toEqual({ from: 'frontend/web', to: 'backend/api', port: '8080' });
    expect(a.listenPort).toBeUndefined();
    expect(a.problems).toEqual([]);
  });

  it('takes several snapshot files, repeated or listed', () => {
    const a = parseStartupArgs(['--snapshot', 'a.yaml', 'b.yaml', '--snapshot=c.json']);
    expect(a.snapshot).toEqual(['a.yaml', 'b.yaml', 'c.json']);
  });

  it('ignores Chromium switches and positional app paths', () => {
    const a = parseStartupArgs(['.', '--no-sandbox', '--enable-logging', '--context', 'dev', '--inspect=0']);
    expect(a.context).toBe('dev');
    expect(a.problems).toEqual([]);
  });

  it('in browser mode --port alone is the listen port; with --from/--to it prefills the wizard', () => {
    expect(parseStartupArgs(['--web', '--port', '9123']).listenPort).toBe(9123);
    const b = parseStartupArgs(['--web', '--from', 'a/b', '--port', '53']);
    expect(b.listenPort).toBeUndefined();
    expect(b.wizard.port).toBe('53');
    expect(parseStartupArgs(['--web', '--listen-port', '9000', '--port', '443']).listenPort).toBe(9000);
  });

  it('reports bad values as problems instead of throwing', () => {
    const a = parseStartupArgs(['--web', '--port', 'http', '--context']);
    expect(a.listenPort).toBeUndefined();
    expect(a.problems).toEqual(['--context needs a value', '--port must be a number 1-65535, got "http"']);
    expect(parseStartupArgs(['--listen-port', '70000']).problems[0]).toMatch(/1-65535/);
  });
});

describe('initialViewFor', () => {
  it('prefers files, then context, then demo when there is no kubeconfig', () => {
    expect(initialViewFor(parseStartupArgs(['--snapshot', 'x.yaml', '--context', 'c']), true)).toEqual({
      kind: 'files',
      paths: ['x.yaml'],
    });
    expect(initialViewFor(parseStartupArgs(['--context', 'c']), false)).toEqual({
      kind: 'context',
      context: 'c',
    });
    expect(initialViewFor(parseStartupArgs([]), false)).toEqual({ kind: 'demo' });
    expect(initialViewFor(parseStartupArgs([]), true)).toEqual({ kind: 'none' });
    expect(initialViewFor(parseStartupArgs(['--demo']), true)).toEqual({ kind: 'demo' });
  });
});

describe('hasAnyKubeconfig', () => {
  it('follows $KUBECONFIG, then ~/.kube/config', () => {
    const home = mkdtempSync(join(tmpdir(), 'npd-home-'));
    expect(hasAnyKubeconfig(undefined, {}, home)).toBe(false);
    const file = join(home, 'kc');
    writeFileSync(file, 'apiVersion: v1\n');
    expect(hasAnyKubeconfig(undefined, { KUBECONFIG: `/nope${delimiter}${file}` }, home)).toBe(true);
    expect(kubeconfigCandidates({}, home)).toEqual([join(home, '.kube', 'config')]);
    expect(hasAnyKubeconfig('/does/not/exist', { KUBECONFIG: file }, home)).toBe(false);
  });
});

describe('resolveArgPaths', () => {
  it('resolves relative snapshot and kubeconfig paths against the directory the user started from', () => {
    const a = resolveArgPaths(
      parseStartupArgs(['--snapshot', 'a.yaml', '/abs/b.yaml', '--kubeconfig', 'kc']),
      '/home/me/work',
    );
    expect(a.snapshot).toEqual(['/home/me/work/a.yaml', '/abs/b.yaml']);
    expect(a.kubeconfig).toBe('/home/me/work/kc');
    expect(userCwd({ INIT_CWD: '/home/me/work' })).toBe('/home/me/work');
    expect(userCwd({ INIT_CWD: 'relative' })).toBe(process.cwd());
  });
});
