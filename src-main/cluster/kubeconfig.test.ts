import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listContexts, watchKubeconfigs } from './contexts';
import { KubeconfigError, UnknownContextError } from './errors';
import { loadKubeConfigForContext, readKubeconfigs } from './kubeconfig';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npd-kc-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const CANARY = 'canary-token-0123456789';

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const fileA = () =>
  write(
    'a.yaml',
    `apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: c-alpha
  cluster: {server: "https://alpha.example:6443", certificate-authority: certs/ca.crt}
- name: c-shared
  cluster: {server: "https://shared-from-a.example"}
users:
- name: u-alpha
  user: {token: ${CANARY}}
- name: u-cert
  user: {client-certificate: certs/me.crt, client-key: certs/me.key}
contexts:
- name: alpha
  context: {cluster: c-alpha, user: u-alpha, namespace: frontend}
- name: shared
  context: {cluster: c-shared, user: u-cert}
`,
  );

const fileB = () =>
  write(
    'b.yaml',
    `apiVersion: v1
kind: Config
current-context: beta
clusters:
- name: c-beta
  cluster: {server: "https://beta.example"}
- name: c-shared
  cluster: {server: "https://shared-from-b.example"}
users:
- name: u-beta
  user: {token: other-secret}
contexts:
- name: beta
  context: {cluster: c-beta, user: u-beta}
- name: shared
  context: {cluster: c-beta, user: u-beta}
`,
  );

describe('kubeconfig merge (kubectl rules)', () => {
  it('merges KUBECONFIG files first-wins, keeps the first current-context, remembers source files', () => {
    const a = fileA();
    const b = fileB();
    const list = listContexts({ env: { KUBECONFIG: [a, b].join(path.delimiter), HOME: dir } });
    expect(list.current).toBe('alpha');
    expect(list.contexts.map((c) => c.name)).toEqual(['alpha', 'shared', 'beta']);
    const shared = list.contexts.find((c) => c.name === 'shared')!;
    expect(shared).toMatchObject({
      cluster: 'c-shared',
      server: 'https://shared-from-a.example',
      sourceFile: a,
    });
    expect(list.contexts.find((c) => c.name === 'beta')?.sourceFile).toBe(b);
    expect(list.contexts.find((c) => c.name === 'alpha')).toMatchObject({
      namespace: 'frontend',
      user: 'u-alpha',
      server: 'https://alpha.example:6443',
    });
    const problems = list.problems.map((p) => p.message).join('\n');
    expect(problems).toMatch(/duplicate context "shared" in .*b\.yaml ignored/);
    expect(problems).toMatch(/duplicate cluster "c-shared"/);
    expect(JSON.stringify(list)).not.toContain(CANARY);
    expect(JSON.stringify(list)).not.toContain('other-secret');
  });

  it('--kubeconfig overrides KUBECONFIG; ~/.kube/config is the default', () => {
    const a = fileA();
    const b = fileB();
    expect(listContexts({ kubeconfig: b, env: { KUBECONFIG: a, HOME: dir } }).current).toBe('beta');
    fs.mkdirSync(path.join(dir, '.kube'));
    fs.copyFileSync(b, path.join(dir, '.kube', 'config'));
    const home = listContexts({ env: { HOME: dir } });
    expect(home.current).toBe('beta');
    expect(home.contexts[0].sourceFile).toBe(path.join(dir, '.kube', 'config'));
  });

  it('a malformed file is reported with its name and line; the other files still work', () => {
    const a = fileA();
    const bad = write('bad.yaml', 'clusters:\n  - name: x\n    cluster: {server: "https://x"\ncontexts: [\n');
    const list = listContexts({ env: { KUBECONFIG: [bad, a].join(path.delimiter), HOME: dir } });
    expect(list.contexts.map((c) => c.name)).toEqual(['alpha', 'shared']);
    expect(list.problems[0].file).toBe(bad);
    expect(list.problems[0].message).toMatch(/malformed kubeconfig .*bad\.yaml \(line \d+\)/);
    expect(list.current).toBe('alpha');
    // asking for a context that may have been in the broken file says why it is missing
    expect(() => loadKubeConfigForContext('x', [bad, a].join(path.delimiter))).toThrow(
      /unknown context "x"; known contexts: alpha, shared \(malformed kubeconfig .*bad\.yaml/,
    );
  });

  it('missing files in KUBECONFIG are skipped silently; an explicit missing --kubeconfig is reported', () => {
    const a = fileA();
    expect(
      listContexts({ env: { KUBECONFIG: [path.join(dir, 'nope'), a].join(path.delimiter) } }).problems,
    ).toEqual([]);
    const explicit = listContexts({ kubeconfig: path.join(dir, 'nope.yaml') });
    expect(explicit.contexts).toEqual([]);
    expect(explicit.problems[0].message).toMatch(/kubeconfig file not found: .*nope\.yaml/);
  });

  it('when the first file has no current-context, the next file sets it', () => {
    const noCurrent = write(
      'n.yaml',
      'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n',
    );
    const b = fileB();
    expect(readKubeconfigs(undefined, { KUBECONFIG: [noCurrent, b].join(path.delimiter) }).current).toBe(
      'beta',
    );
  });
});

describe('loadKubeConfigForContext', () => {
  it('builds a KubeConfig holding only that context, its cluster and user, with paths made absolute', () => {
    const a = fileA();
    const b = fileB();
    const kc = loadKubeConfigForContext('shared', [a, b].join(path.delimiter));
    expect(kc.getCurrentContext()).toBe('shared');
    expect(kc.getContexts().map((c) => c.name)).toEqual(['shared']);
    expect(kc.getClusters()).toHaveLength(1);
    expect(kc.getCurrentCluster()?.server).toBe('https://shared-from-a.example');
    expect(kc.getCurrentUser()?.certFile).toBe(path.join(dir, 'certs', 'me.crt'));
    const alpha = loadKubeConfigForContext('alpha', [a, b].join(path.delimiter));
    expect(alpha.getCurrentCluster()?.caFile).toBe(path.join(dir, 'certs', 'ca.crt'));
    // the two configs are independent objects
    expect(alpha).not.toBe(kc);
    expect(kc.getCurrentContext()).toBe('shared');
  });

  it('is cached per context and rebuilt when a file changes', () => {
    const b = fileB();
    const first = loadKubeConfigForContext('beta', b);
    expect(loadKubeConfigForContext('beta', b)).toBe(first);
    const text = fs.readFileSync(b, 'utf8').replace('https://beta.example', 'https://beta2.example:7443');
    fs.writeFileSync(b, text);
    fs.utimesSync(b, new Date(), new Date(Date.now() + 5000));
    expect(loadKubeConfigForContext('beta', b).getCurrentCluster()?.server).toBe(
      'https://beta2.example:7443',
    );
  });

  it('an unknown context lists the known ones; a context without its cluster is a KubeconfigError', () => {
    const a = fileA();
    expect(() => loadKubeConfigForContext('gamma', a)).toThrow(UnknownContextError);
    expect(() => loadKubeConfigForContext('gamma', a)).toThrow(/known contexts: alpha, shared/);
    const orphan = write('o.yaml', 'contexts:\n- name: lost\n  context: {cluster: nowhere, user: nobody}\n');
    expect(() => loadKubeConfigForContext('lost', orphan)).toThrow(KubeconfigError);
    expect(() => loadKubeConfigForContext('lost', orphan)).toThrow(/refers to cluster "nowhere"/);
  });
});

describe('watchKubeconfigs', () => {
  it('reports a new context after the file changes, without a restart', async () => {
    const b = fileB();
    const seen: string[][] = [];
    const changed = new Promise<void>((resolve) => {
      const w = watchKubeconfigs(
        (list) => {
          seen.push(list.contexts.map((c) => c.name));
          if (list.contexts.some((c) => c.name === 'delta')) {
            w.close();
            resolve();
          }
        },
        { kubeconfig: b, debounceMs: 50 },
      );
    });
    await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(
      b,
      fs.readFileSync(b, 'utf8') + '- name: delta\n  context: {cluster: c-beta, user: u-beta}\n',
    );
    await changed;
    expect(seen.at(-1)).toContain('delta');
  });
});
