/**
 * Discovery documents, authentication, continue-token expiry, injected faults, the generator hook
 * and scenario errors: a scenario given as an object (no YAML), checked with raw HTTPS and client-node.
 */
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  PortForward,
  Watch,
} from '@kubernetes/client-node';
import https from 'node:https';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster, startK8sSim, type K8sSim, type KubeObjectLike, type SimScenario } from './index.js';

const ADMIN = 'admin-token';

const pod = (
  ns: string,
  name: string,
  labels: Record<string, string>,
  phase = 'Running',
): KubeObjectLike => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
  status: { phase, podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
});

const scenario: SimScenario = {
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
    pod('a', 'p1', { app: 'one' }),
    pod('a', 'p2', { app: 'two' }),
    pod('b', 'p3', { app: 'one' }),
    pod('b', 'p4', { app: 'one' }, 'Pending'),
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'deny-all' },
      spec: { selector: 'all()', types: ['Ingress'] },
    },
  ],
  crds: ['policy.networking.k8s.io', 'crd.projectcalico.org/v1'],
  users: [{ name: 'admin', token: ADMIN, groups: ['system:masters'] }],
};

let sim: K8sSim;
let dir: string;
let kc: KubeConfig;

function get(
  p: string,
  token?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.url}${p}`,
      { ca: sim.caPem, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function json(p: string): Promise<Record<string, unknown>> {
  const r = await get(p, ADMIN);
  return JSON.parse(r.body) as Record<string, unknown>;
}

beforeAll(async () => {
  sim = await startK8sSim({ scenario });
  dir = mkdtempSync(path.join(os.tmpdir(), 'k8s-sim-faults-'));
  sim.writeKubeconfig(path.join(dir, 'kc.yaml'), { contextNames: { admin: 'lab' } });
  kc = new KubeConfig();
  kc.loadFromFile(path.join(dir, 'kc.yaml'));
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('discovery', () => {
  it('lists the served groups, their versions and preferred version', async () => {
    const groups = (await json('/apis')) as {
      kind: string;
      groups: { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[];
    };
    expect(groups.kind).toBe('APIGroupList');
    const byName = new Map(groups.groups.map((g) => [g.name, g]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['apps', 'networking.k8s.io', 'authorization.k8s.io']),
    );
    expect(byName.get('policy.networking.k8s.io')!.versions.map((v) => v.version)).toEqual([
      'v1alpha2',
      'v1alpha1',
    ]);
    expect(byName.get('policy.networking.k8s.io')!.preferredVersion.version).toBe('v1alpha2');
    // Served because the scenario holds one of its objects.
    expect(byName.has('projectcalico.org')).toBe(true);
    expect(byName.has('crd.projectcalico.org')).toBe(true);
    expect(byName.has('cilium.io')).toBe(false);
  });

  it('serves APIResourceLists and 404 Status for absent groups', async () => {
    const core = (await json('/api/v1')) as {
      kind: string;
      groupVersion: string;
      resources: { name: string; namespaced: boolean }[];
    };
    expect(core).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(core.resources.find((r) => r.name === 'pods/portforward')).toMatchObject({ namespaced: true });
    const anp = (await json('/apis/policy.networking.k8s.io/v1alpha1')) as {
      resources: { name: string; namespaced: boolean }[];
    };
    expect(anp.resources.map((r) => [r.name, r.namespaced])).toEqual([
      ['adminnetworkpolicies', false],
      ['baselineadminnetworkpolicies', false],
    ]);
    const absent = await get('/apis/cilium.io/v2', ADMIN);
    expect(absent.status).toBe(404);
    expect(JSON.parse(absent.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
    const version = (await json('/version')) as { gitVersion: string };
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('lists typed items without kind/apiVersion and CRD items with them', async () => {
    const pods = (await json('/api/v1/namespaces/a/pods')) as {
      kind: string;
      apiVersion: string;
      items: Record<string, unknown>[];
    };
    expect(pods.kind).toBe('PodList');
    expect(pods.apiVersion).toBe('v1');
    expect(pods.items[0]).not.toHaveProperty('kind');
    const crds = (await json('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')) as {
      items: { metadata: { name: string } }[];
    };
    expect(crds.items.map((c) => c.metadata.name)).toContain('adminnetworkpolicies.policy.networking.k8s.io');
    const anps = (await json('/apis/crd.projectcalico.org/v1/globalnetworkpolicies')) as { kind: string };
    expect(anps.kind).toBe('GlobalNetworkPolicyList');
    const gnp = (await json('/apis/projectcalico.org/v3/globalnetworkpolicies')) as {
      items: Record<string, unknown>[];
    };
    expect(gnp.items).toHaveLength(1);
  });

  it('answers 401 without credentials or with an unknown token', async () => {
    for (const token of [undefined, 'wrong']) {
      const r = await get('/api/v1/pods', token);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
  });
});

describe('pagination', () => {
  it('expires continue tokens after a compaction with 410 Expired', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const first = await core.listPodForAllNamespaces({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?.remainingItemCount).toBe(2);
    const second = await core.listPodForAllNamespaces({ limit: 2, _continue: first.metadata!._continue! });
    expect(second.items.map((p) => p.metadata!.name)).toEqual(['p3', 'p4']);
    expect(second.metadata?._continue).toBeUndefined();
    sim.applyEvent({ type: 'ADDED', object: pod('b', 'p5', { app: 'one' }) });
    sim.compact();
    const err = await core
      .listPodForAllNamespaces({ limit: 2, _continue: first.metadata!._continue! })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<string>).code).toBe(410);
    const expired = JSON.parse((err as ApiException<string>).body) as {
      reason: string;
      code: number;
      metadata: { continue?: string };
    };
    expect(expired).toMatchObject({ reason: 'Expired', code: 410 });
    // The Status offers an inconsistent continue token, like the real server.
    const rest = await core.listPodForAllNamespaces({ limit: 10, _continue: expired.metadata.continue! });
    expect(rest.items.map((p) => p.metadata!.name)).toEqual(['p3', 'p4', 'p5']);
    sim.applyEvent({ type: 'DELETED', object: pod('b', 'p5', {}) });
  });

  it('filters by status.phase and pages selector results without remainingItemCount', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const running = await core.listPodForAllNamespaces({
      fieldSelector: 'status.phase=Running',
      limit: 1,
      labelSelector: 'app=one',
    });
    expect(running.items.map((p) => p.metadata!.name)).toEqual(['p1']);
    expect(running.metadata?.remainingItemCount).toBeUndefined();
    const rest = await core.listPodForAllNamespaces({
      fieldSelector: 'status.phase=Running',
      labelSelector: 'app=one',
      limit: 1,
      _continue: running.metadata!._continue!,
    });
    expect(rest.items.map((p) => p.metadata!.name)).toEqual(['p3']);
  });
});

describe('watch parameters', () => {
  function stream(p: string): Promise<{
    lines: { type: string; object: { metadata: { name?: string; annotations?: Record<string, string> } } }[];
    ms: number;
  }> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      https
        .get(`${sim.url}${p}`, { ca: sim.caPem, headers: { authorization: `Bearer ${ADMIN}` } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({
              lines: text
                .trim()
                .split('\n')
                .map((l) => JSON.parse(l) as never),
              ms: Date.now() - t0,
            }),
          );
        })
        .on('error', reject);
    });
  }

  it('sends the current objects first, then the initial-events-end bookmark, and ends at timeoutSeconds', async () => {
    const r = await stream(
      '/api/v1/namespaces?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&timeoutSeconds=1',
    );
    expect(r.lines.map((l) => l.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(r.lines.map((l) => l.object.metadata.name).slice(0, 2)).toEqual(['a', 'b']);
    expect(r.lines[2]!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(r.ms).toBeGreaterThanOrEqual(900);
  });

  it('watches through the legacy /watch/ path with a field selector', async () => {
    const r = await stream(
      '/api/v1/watch/namespaces/a/pods?fieldSelector=metadata.name%3Dp2&timeoutSeconds=1',
    );
    expect(r.lines.map((l) => `${l.type} ${l.object.metadata.name}`)).toEqual(['ADDED p2']);
  });
});

describe('faults', () => {
  it('breaks the next list mid-response, then serves again', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    sim.failNextList('pods', 1);
    await expect(core.listPodForAllNamespaces()).rejects.toThrow();
    expect((await core.listPodForAllNamespaces()).items.length).toBe(4);
  });

  it('answers injected error statuses', async () => {
    const netApi = kc.makeApiClient(NetworkingV1Api);
    sim.failNextRequests('networkpolicies.networking.k8s.io', 1, 503);
    const e = (await netApi
      .listNetworkPolicyForAllNamespaces()
      .catch((x: unknown) => x)) as ApiException<string>;
    expect(e.code).toBe(503);
    expect((await netApi.listNetworkPolicyForAllNamespaces()).items).toEqual([]);
  });

  it('adds the configured latency to every request and counts requests in flight', async () => {
    sim.setLatency(150);
    sim.resetMaxInFlight();
    const t0 = Date.now();
    await Promise.all([
      get('/api/v1/namespaces', ADMIN),
      get('/api/v1/pods', ADMIN),
      get('/api/v1/nodes', ADMIN),
    ]);
    sim.setLatency(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(sim.maxInFlightRequests).toBe(3);
    await expect.poll(() => sim.inFlightRequests, { timeout: 2000 }).toBe(0);
  });

  it('closes port-forwards on dropConnections', async () => {
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    sim.setPortForwardTarget('a', 'p1', 80, (echo.address() as net.AddressInfo).port);
    try {
      const out = new PassThrough();
      const input = new PassThrough();
      const ws = (await new PortForward(kc).portForward('a', 'p1', [80], out, null, input)) as {
        readyState: number;
        on(e: string, f: () => void): void;
      };
      let closed = false;
      ws.on('close', () => (closed = true));
      input.write('x');
      await expect.poll(() => out.read() as Buffer | null, { timeout: 3000 }).not.toBeNull();
      expect(sim.activePortForwards).toBe(1);
      sim.dropConnections();
      await expect.poll(() => closed, { timeout: 3000 }).toBe(true);
      expect(sim.activePortForwards).toBe(0);
    } finally {
      echo.close();
    }
  });

  it('carries 8 MiB from the target intact (backpressure)', async () => {
    const payload = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 13)) & 0xff;
    const source = net.createServer((s) => s.end(payload));
    await new Promise<void>((r) => source.listen(0, '127.0.0.1', r));
    sim.setPortForwardTarget('a', 'p2', 9000, (source.address() as net.AddressInfo).port);
    try {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await new PortForward(kc).portForward('a', 'p2', [9000], out, null, new PassThrough());
      await expect
        .poll(() => chunks.reduce((n, c) => n + c.length, 0), { timeout: 15_000 })
        .toBe(payload.length);
      expect(Buffer.concat(chunks).equals(payload)).toBe(true);
    } finally {
      source.close();
    }
  });

  it('refuses to port-forward to a pod that is not running', async () => {
    await expect(
      new PortForward(kc).portForward('b', 'p4', [80], new PassThrough(), null, new PassThrough()),
    ).rejects.toThrow(/400/);
  });

  it('setObjects replaces the cluster and watches see the difference', async () => {
    const events: string[] = [];
    const list = await kc.makeApiClient(CoreV1Api).listNamespace();
    const ctl = await new Watch(kc).watch(
      '/api/v1/namespaces',
      { resourceVersion: list.metadata!.resourceVersion },
      (type, obj: { metadata: { name: string } }) => events.push(`${type} ${obj.metadata.name}`),
      () => undefined,
    );
    const keep = sim.getObjects().filter((o) => !(o.kind === 'Namespace' && o.metadata.name === 'b'));
    sim.setObjects([...keep, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c' } }]);
    await expect
      .poll(() => events.filter((e) => !e.startsWith('MODIFIED')), { timeout: 3000 })
      .toEqual(['DELETED b', 'ADDED c']);
    ctl.abort();
  });
});

describe('generator and scenario errors', () => {
  it('serves a generated 10k-pod cluster with pagination', async () => {
    const big = await startK8sSim({
      scenario: { users: [{ name: 'admin', token: ADMIN, groups: ['system:masters'] }] },
      objects: generateCluster({ pods: 10_000, namespaces: 40 }),
    });
    try {
      const seen = new Set<string>();
      let cont = '';
      let pages = 0;
      do {
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get(
              `${big.url}/api/v1/pods?limit=2500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
              { ca: big.caPem, headers: { authorization: `Bearer ${ADMIN}` } },
              (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => resolve(Buffer.concat(chunks).toString()));
              },
            )
            .on('error', reject);
        });
        const page = JSON.parse(body) as {
          items: { metadata: { namespace: string; name: string } }[];
          metadata: { continue?: string };
        };
        for (const p of page.items) seen.add(`${p.metadata.namespace}/${p.metadata.name}`);
        cont = page.metadata.continue ?? '';
        pages++;
      } while (cont);
      expect(seen.size).toBe(10_000);
      expect(pages).toBe(4);
      expect(big.getObjects('Namespace')).toHaveLength(40);
    } finally {
      await big.close();
    }
  });

  it('serves a group first seen at runtime, with its CRD objects', async () => {
    expect(((await json('/apis')) as { groups: { name: string }[] }).groups.map((g) => g.name)).not.toContain(
      'cilium.io',
    );
    sim.applyEvent({
      type: 'ADDED',
      object: {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'late', namespace: 'a' },
        spec: {},
      },
    });
    expect(((await json('/apis')) as { groups: { name: string }[] }).groups.map((g) => g.name)).toContain(
      'cilium.io',
    );
    const cnps = (await json('/apis/cilium.io/v2/namespaces/a/ciliumnetworkpolicies')) as {
      items: { metadata: { name: string } }[];
    };
    expect(cnps.items.map((i) => i.metadata.name)).toEqual(['late']);
    const crd = await get(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ciliumnetworkpolicies.cilium.io',
      ADMIN,
    );
    expect(crd.status).toBe(200);
  });

  it('rejects unknown kinds and malformed scenario files with a clear error', async () => {
    await expect(
      startK8sSim({
        scenario: { objects: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }] },
      }),
    ).rejects.toThrow(
      'k8s-sim: no resource serves Widget (example.com/v1); declare it under "resources:" in the scenario',
    );
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'objects: [\n  - {a: 1\n');
    await expect(startK8sSim({ scenario: bad })).rejects.toThrow(/k8s-sim: .*bad\.yaml/);
    await expect(startK8sSim({ scenario: { crds: ['nope.io'] } })).rejects.toThrow(
      /unknown API group "nope.io"/,
    );
  });

  it('serves custom resources declared in the scenario', async () => {
    const s = await startK8sSim({
      scenario: {
        resources: [
          {
            group: 'example.com',
            version: 'v1',
            kind: 'Widget',
            plural: 'widgets',
            singular: 'widget',
            namespaced: true,
            crd: true,
          },
        ],
        objects: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'x' } }],
        users: [{ name: 'u', token: 't', groups: ['system:masters'] }],
      },
    });
    try {
      const r = await new Promise<string>((resolve, reject) => {
        https
          .get(
            `${s.url}/apis/example.com/v1/namespaces/x/widgets`,
            { ca: s.caPem, headers: { authorization: 'Bearer t' } },
            (res) => {
              let b = '';
              res.on('data', (c: Buffer) => (b += c.toString()));
              res.on('end', () => resolve(b));
            },
          )
          .on('error', reject);
      });
      expect(JSON.parse(r)).toMatchObject({
        kind: 'WidgetList',
        items: [{ kind: 'Widget', metadata: { name: 'w' } }],
      });
    } finally {
      await s.close();
    }
  });
});
