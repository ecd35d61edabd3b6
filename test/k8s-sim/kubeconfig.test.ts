/** Kubeconfig files written by the simulator, loaded by the real client-node. */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startK8sSim, type K8sSim } from './index.js';

let sim: K8sSim;
let dir: string;

beforeAll(async () => {
  sim = await startK8sSim({
    scenario: {
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'backend' } }],
      users: [
        { name: 'admin', token: 'tok-admin', groups: ['system:masters'] },
        { name: 'carol', cert: true, groups: ['readers'], token: 'tok-carol' },
      ],
      groupRules: { readers: [{ verbs: ['list'], apiGroups: [''], resources: ['namespaces'] }] },
    },
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'k8s-sim-kc-'));
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function load(file: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (context) kc.setCurrentContext(context);
  return kc;
}

describe('writeKubeconfig', () => {
  it('writes one context per user with the CA embedded, token and certificate users', async () => {
    const file = path.join(dir, 'all.yaml');
    sim.writeKubeconfig(file, { prefer: 'cert' });
    const kc = load(file);
    expect(kc.getContexts().map((c) => c.name)).toEqual(['sim-admin', 'sim-carol']);
    expect(kc.getCurrentContext()).toBe('sim-admin');
    const raw = parse(readFileSync(file, 'utf8')) as {
      users: { name: string; user: Record<string, string> }[];
    };
    expect(Object.keys(raw.users[1]!.user)).toEqual(['client-certificate-data', 'client-key-data']);
    kc.setCurrentContext('sim-carol');
    const names = (await kc.makeApiClient(CoreV1Api).listNamespace()).items.map((n) => n.metadata!.name);
    expect(names).toEqual(['backend']);
    expect(sim.requests.at(-1)).toMatchObject({ user: 'carol', status: 200 });
  });

  it('writes files that merge without duplicate names (cluster, user prefix, context names)', async () => {
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    sim.writeKubeconfig(a, {
      users: ['admin'],
      contextNames: ['prod'],
      clusterName: 'sim-a',
      userPrefix: 'a-',
    });
    sim.writeKubeconfig(b, {
      users: ['carol'],
      contextNames: { carol: 'dev' },
      clusterName: 'sim-b',
      userPrefix: 'b-',
      namespace: 'backend',
      currentContext: null,
    });
    const kc = new KubeConfig();
    kc.loadFromFile(a);
    const other = new KubeConfig();
    other.loadFromFile(b);
    expect(other.getCurrentContext()).toBeFalsy();
    kc.mergeConfig(other);
    expect(kc.getContexts().map((c) => [c.name, c.cluster, c.user, c.namespace])).toEqual([
      ['prod', 'sim-a', 'a-admin', undefined],
      ['dev', 'sim-b', 'b-carol', 'backend'],
    ]);
    kc.setCurrentContext('dev');
    expect((await kc.makeApiClient(CoreV1Api).listNamespace()).items).toHaveLength(1);
  });

  it('points a context at an unreachable server when asked', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const file = path.join(dir, 'down.yaml');
    sim.writeKubeconfig(file, { users: ['admin'], server: `https://127.0.0.1:${port}` });
    await expect(load(file).makeApiClient(CoreV1Api).listNamespace()).rejects.toThrow(
      /ECONNREFUSED|fetch failed|connect/i,
    );
  });
});
