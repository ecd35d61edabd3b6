/**
 * The simulator driven by the REAL @kubernetes/client-node 2: lists with pagination and selectors,
 * 403/401 Status objects, SelfSubjectAccessReview, watches (events, bookmarks, 410), port-forward.
 */
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  NetworkingV1Api,
  type V1Pod,
  PortForward,
  Watch,
} from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCENARIO_PATH, startK8sSim, type K8sSim } from './index.js';

let sim: K8sSim;
let dir: string;
let kubeconfigPath: string;

function kcFor(context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return kc;
}

async function apiError(p: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return e as ApiException<string>;
    throw e;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await startK8sSim({ scenario: DEMO_SCENARIO_PATH, bookmarkIntervalMs: 200 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'k8s-sim-test-'));
  kubeconfigPath = path.join(dir, 'kubeconfig.yaml');
  sim.writeKubeconfig(kubeconfigPath);
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('lists through client-node', () => {
  it('lists every demo pod across pages of 4 with continue tokens', async () => {
    const core = kcFor('sim-admin').makeApiClient(CoreV1Api);
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 4, ...(cont ? { _continue: cont } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(4);
      names.push(...page.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
      cont = page.metadata?._continue;
      pages++;
    } while (cont);
    const all = await core.listPodForAllNamespaces();
    expect(names).toEqual(all.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
    expect(names).toContain('backend/redis-cache-0');
    expect(pages).toBe(Math.ceil(all.items.length / 4));
    expect(all.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('filters by label and field selectors', async () => {
    const core = kcFor('sim-admin').makeApiClient(CoreV1Api);
    const api = await core.listNamespacedPod({ namespace: 'backend', labelSelector: 'app=api' });
    expect(api.items.map((p) => p.metadata!.name).sort()).toEqual([
      'api-5c6d7f8b9-abcde',
      'api-5c6d7f8b9-fghij',
    ]);
    const notApi = await core.listNamespacedPod({ namespace: 'backend', labelSelector: 'app notin (api)' });
    expect(notApi.items.map((p) => p.metadata!.name)).toEqual(['redis-cache-0']);
    const onB = await core.listPodForAllNamespaces({
      fieldSelector: 'spec.nodeName=node-b,metadata.namespace=backend',
    });
    expect(onB.items.map((p) => p.metadata!.name).sort()).toEqual(['api-5c6d7f8b9-fghij', 'redis-cache-0']);
    const bad = await apiError(core.listPodForAllNamespaces({ fieldSelector: 'spec.bogus=1' }));
    expect(bad.code).toBe(400);
    expect(JSON.parse(bad.body).message).toBe('field label not supported: spec.bogus');
  });

  it('reads one object by name and answers 404 for an unknown one', async () => {
    const core = kcFor('sim-admin').makeApiClient(CoreV1Api);
    const svc = await core.readNamespacedService({ namespace: 'kube-system', name: 'hubble-relay' });
    expect(svc.spec?.ports?.[0]?.targetPort).toBe('grpc');
    const e = await apiError(core.readNamespacedPod({ namespace: 'backend', name: 'nope' }));
    expect(e.code).toBe(404);
    expect(JSON.parse(e.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "nope" not found',
    });
  });

  it('serves the Cilium CRDs and 404s for groups the scenario does not serve', async () => {
    const custom = kcFor('sim-admin').makeApiClient(CustomObjectsApi);
    const cnp = (await custom.listClusterCustomObject({
      group: 'cilium.io',
      version: 'v2',
      plural: 'ciliumnetworkpolicies',
    })) as { kind: string; items: unknown[] };
    expect(cnp.kind).toBe('CiliumNetworkPolicyList');
    const e = await apiError(
      custom.listClusterCustomObject({
        group: 'projectcalico.org',
        version: 'v3',
        plural: 'globalnetworkpolicies',
      }),
    );
    expect(e.code).toBe(404);
    expect(JSON.parse(e.body).message).toBe('the server could not find the requested resource');
  });

  it('answers a forbidden list with the API server 403 message', async () => {
    const net1 = kcFor('sim-restricted').makeApiClient(NetworkingV1Api);
    const ok = await net1.listNamespacedNetworkPolicy({ namespace: 'data' });
    expect(ok.items.length).toBeGreaterThan(0);
    const e = await apiError(net1.listNamespacedNetworkPolicy({ namespace: 'backend' }));
    expect(e.code).toBe(403);
    expect(JSON.parse(e.body)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      message:
        'networkpolicies.networking.k8s.io is forbidden: User "restricted" cannot list resource "networkpolicies" in API group "networking.k8s.io" in the namespace "backend"',
      details: { group: 'networking.k8s.io', kind: 'networkpolicies' },
    });
    const all = await apiError(net1.listNetworkPolicyForAllNamespaces());
    expect(JSON.parse(all.body).message).toMatch(
      /cannot list resource "networkpolicies" in API group "networking.k8s.io" at the cluster scope$/,
    );
  });

  it('authenticates client certificates and refuses an expired one with 401', async () => {
    const core = kcFor('sim-viewer').makeApiClient(CoreV1Api);
    expect((await core.listNamespace()).items.map((n) => n.metadata!.name)).toContain('payments');
    const secretErr = await apiError(core.listNamespacedSecret({ namespace: 'backend' }));
    expect(JSON.parse(secretErr.body).message).toBe(
      'secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "backend"',
    );
    const expired = await apiError(kcFor('sim-expired').makeApiClient(CoreV1Api).listNamespace());
    expect(expired.code).toBe(401);
  });
});

describe('SelfSubjectAccessReview', () => {
  it('answers from the scenario RBAC rules', async () => {
    const authz = kcFor('sim-restricted').makeApiClient(AuthorizationV1Api);
    const ask = (namespace: string, resource: string, group: string) =>
      authz.createSelfSubjectAccessReview({
        body: { spec: { resourceAttributes: { namespace, verb: 'list', resource, group } } },
      });
    expect((await ask('backend', 'networkpolicies', 'networking.k8s.io')).status?.allowed).toBe(false);
    expect((await ask('frontend', 'networkpolicies', 'networking.k8s.io')).status?.allowed).toBe(true);
    expect((await ask('', 'ciliumnetworkpolicies', 'cilium.io')).status?.allowed).toBe(false);
    expect((await ask('', 'pods', '')).status?.allowed).toBe(true);
  });
});

describe('watch', () => {
  it('streams ADDED/MODIFIED/DELETED from applyEvent and bookmarks', async () => {
    const kc = kcFor('sim-admin');
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'backend' });
    const events: { type: string; name: string; rv: string }[] = [];
    const watch = new Watch(kc);
    let doneErr: unknown = 'not done';
    const ctl = await watch.watch(
      '/api/v1/namespaces/backend/pods',
      {
        resourceVersion: list.metadata!.resourceVersion,
        allowWatchBookmarks: true,
        labelSelector: 'app=api',
      },
      (type, obj: { metadata: { name?: string; resourceVersion: string } }) =>
        events.push({ type, name: obj.metadata.name ?? '', rv: obj.metadata.resourceVersion }),
      (err) => (doneErr = err),
    );
    const pod = sim.getObjects('Pod').find((p) => p.metadata.name === 'api-5c6d7f8b9-abcde')!;
    const newPod = { ...pod, metadata: { ...pod.metadata, name: 'api-5c6d7f8b9-zzzzz', uid: undefined } };
    sim.applyEvent({ type: 'ADDED', object: newPod });
    sim.applyEvent({
      type: 'ADDED',
      object: { ...pod, metadata: { ...pod.metadata, name: 'other', labels: { app: 'x' } } },
    });
    sim.applyEvent({
      type: 'MODIFIED',
      object: { ...newPod, metadata: { ...newPod.metadata, labels: { app: 'api', v: '2' } } },
    });
    sim.applyEvent({ type: 'DELETED', object: newPod });
    await expect
      .poll(() => events.filter((e) => e.type === 'BOOKMARK').length, { timeout: 3000 })
      .toBeGreaterThan(0);
    const real = events.filter((e) => e.type !== 'BOOKMARK');
    expect(real.map((e) => `${e.type} ${e.name}`)).toEqual([
      'ADDED api-5c6d7f8b9-zzzzz',
      'MODIFIED api-5c6d7f8b9-zzzzz',
      'DELETED api-5c6d7f8b9-zzzzz',
    ]);
    expect(Number(real[2]!.rv)).toBeGreaterThan(Number(real[0]!.rv));
    ctl.abort();
    sim.applyEvent({ type: 'DELETED', object: { ...pod, metadata: { ...pod.metadata, name: 'other' } } });
    // The client hung up: the server forgets the watch, and the client's done callback ran.
    await expect.poll(() => sim.activeWatches, { timeout: 3000 }).toBe(0);
    await expect.poll(() => doneErr, { timeout: 3000 }).not.toBe('not done');
  });

  it('sends an ERROR 410 Expired event for a too old resourceVersion', async () => {
    const kc = kcFor('sim-admin');
    const oldRv = sim.resourceVersion;
    const ns = sim.getObjects('Namespace').find((n) => n.metadata.name === 'data')!;
    sim.applyEvent({
      type: 'MODIFIED',
      object: { ...ns, metadata: { ...ns.metadata, annotations: { touched: 'yes' } } },
    });
    sim.compact();
    const events: { type: string; obj: { code?: number; reason?: string } }[] = [];
    let finished = false;
    await new Watch(kc).watch(
      '/api/v1/namespaces',
      { resourceVersion: oldRv },
      (type, obj: { code?: number; reason?: string }) => events.push({ type, obj }),
      () => (finished = true),
    );
    await expect.poll(() => finished, { timeout: 3000 }).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('ERROR');
    expect(events[0]!.obj).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('ends open watches when the connections are dropped', async () => {
    const kc = kcFor('sim-admin');
    let done: unknown = 'open';
    await new Watch(kc).watch(
      '/api/v1/pods',
      {},
      () => undefined,
      (err) => (done = err ?? null),
    );
    await expect.poll(() => sim.activeWatches, { timeout: 3000 }).toBeGreaterThan(0);
    sim.dropConnections();
    await expect.poll(() => done, { timeout: 3000 }).not.toBe('open');
  });
});

describe('informer', () => {
  it('follows changes, reports a dropped connection, and resyncs after a 410', async () => {
    const kc = kcFor('sim-admin');
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(kc, '/api/v1/namespaces/data/pods', () =>
      core.listNamespacedPod({ namespace: 'data' }),
    );
    const log: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (p) => log.push(`add ${p.metadata!.name}`));
    informer.on('delete', (p) => log.push(`delete ${p.metadata!.name}`));
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    expect(log).toEqual(['add postgres-0']);
    const base = sim.getObjects('Pod').find((p) => p.metadata.name === 'postgres-0')!;
    const extra = { ...base, metadata: { ...base.metadata, name: 'postgres-1', uid: undefined } };
    sim.applyEvent({ type: 'ADDED', object: extra });
    await expect.poll(() => log, { timeout: 3000 }).toEqual(['add postgres-0', 'add postgres-1']);

    // The connection drops: client-node reports it and does not restart by itself.
    sim.dropConnections();
    await expect.poll(() => errors.length, { timeout: 3000 }).toBeGreaterThan(0);
    // While disconnected the pod goes away and the history is compacted: the old resourceVersion is gone.
    sim.applyEvent({ type: 'DELETED', object: extra });
    sim.compact();
    await informer.start();
    // The restart watches from the old resourceVersion, gets ERROR 410, relists and notices the deletion.
    await expect
      .poll(() => log, { timeout: 5000 })
      .toEqual(['add postgres-0', 'add postgres-1', 'delete postgres-1']);
    expect(informer.list().map((p) => p.metadata!.name)).toEqual(['postgres-0']);
    // initial watch, the one answered with 410, the one after the relist
    const watches = () =>
      sim.requests.filter((r) => r.path === '/api/v1/namespaces/data/pods' && r.watch).length;
    await expect.poll(watches, { timeout: 3000 }).toBe(3);
    await informer.stop();
  });
});

describe('port-forward', () => {
  it('pipes bytes through the real PortForward to a loopback echo server', async () => {
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const echoPort = (echo.address() as net.AddressInfo).port;
    sim.setPortForwardTarget('kube-system', 'hubble-relay-6b9c7d8f5-zx7vq', 4245, echoPort);
    try {
      const pf = new PortForward(kcFor('sim-restricted'));
      const out = new PassThrough();
      const err = new PassThrough();
      const input = new PassThrough();
      const received: Buffer[] = [];
      out.on('data', (d: Buffer) => received.push(d));
      const ws = await pf.portForward('kube-system', 'hubble-relay-6b9c7d8f5-zx7vq', [4245], out, err, input);
      input.write('hello through the tunnel');
      await expect
        .poll(() => Buffer.concat(received).toString(), { timeout: 3000 })
        .toBe('hello through the tunnel');
      const big = Buffer.alloc(300_000, 7);
      input.write(big);
      await expect.poll(() => Buffer.concat(received).length, { timeout: 5000 }).toBe(24 + big.length);
      (ws as { close(): void }).close();
    } finally {
      echo.close();
    }
  });

  it('reports an unmapped port on the error channel and a forbidden namespace as 403', async () => {
    const pf = new PortForward(kcFor('sim-restricted'));
    const errText: Buffer[] = [];
    const err = new PassThrough();
    err.on('data', (d: Buffer) => errText.push(d));
    await pf.portForward(
      'kube-system',
      'coredns-5d78c9869d-7xk2m',
      [9153],
      new PassThrough(),
      err,
      new PassThrough(),
    );
    await expect
      .poll(() => Buffer.concat(errText).toString(), { timeout: 3000 })
      .toMatch(
        /^error forwarding port 9153 to pod kube-system\/coredns-5d78c9869d-7xk2m, uid : .*connection refused$/,
      );
    await expect(
      pf.portForward('backend', 'redis-cache-0', [6379], new PassThrough(), null, new PassThrough()),
    ).rejects.toThrow(/403/);
    expect(sim.requests.filter((r) => r.method === 'UPGRADE').map((r) => r.status)).toEqual([101, 101, 403]);
  });
});
