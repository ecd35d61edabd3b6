/**
 * Live snapshots through the real client-node against the Kubernetes API simulator (HTTPS on loopback,
 * tokens and client certificates, RBAC, pagination, watch, faults).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@shared/engine/index';
import type { LoadProgress } from '@shared/cluster/types';
import type { Snapshot } from '@shared/snapshot/types';
import { startK8sSim, type K8sSim } from '../../test/k8s-sim/index';
import { loadSnapshotFiles } from '../snapshot/load-files';
import { listContexts } from './contexts';
import { ClusterUnreachableError, ExecPluginError, LoadCancelledError, UnknownContextError } from './errors';
import { clearKubeconfigCache } from './kubeconfig';
import { LIST_ATTEMPTS } from './list-pager';
import { loadLiveSnapshot, watchLiveSnapshot, type LiveCluster } from './live-snapshot';

const DEMO_SCENARIO = path.resolve(__dirname, '../../test/k8s-sim/scenarios/demo.yaml');
const DEMO_FILE = path.resolve(__dirname, '../../assets/demo/cluster.yaml');

let sim: K8sSim;
let dir: string;
let kcA: string;
let kcB: string;
let both: string;

beforeAll(async () => {
  sim = await startK8sSim({ scenario: DEMO_SCENARIO });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npd-live-'));
  kcA = path.join(dir, 'a.yaml');
  kcB = path.join(dir, 'b.yaml');
  // File A: admin + restricted, current-context "demo-admin".
  sim.writeKubeconfig(kcA, {
    users: ['admin', 'restricted'],
    contextNames: ['demo-admin', 'demo-restricted'],
    currentContext: 'demo-admin',
  });
  // File B: viewer (client certificate) + a duplicate "demo-admin" pointing at the restricted user; current-context differs.
  sim.writeKubeconfig(kcB, {
    users: ['viewer', 'restricted'],
    contextNames: ['demo-viewer', 'demo-admin'],
    currentContext: 'demo-viewer',
    clusterName: 'k8s-sim-b',
    userPrefix: 'b-',
    namespace: 'backend',
  });
  both = [kcA, kcB].join(path.delimiter);
});

afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => clearKubeconfigCache());

function names(objs: { metadata: { namespace?: string; name: string } }[]): string[] {
  return objs.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
}

describe('contexts from two kubeconfig files', () => {
  it('lists every context, first file wins on duplicates and current-context', () => {
    const list = listContexts({ kubeconfig: both });
    expect(list.current).toBe('demo-admin');
    expect(list.contexts.map((c) => c.name)).toEqual(['demo-admin', 'demo-restricted', 'demo-viewer']);
    expect(list.contexts.find((c) => c.name === 'demo-admin')).toMatchObject({
      user: 'admin',
      sourceFile: kcA,
      server: sim.url,
    });
    expect(list.contexts.find((c) => c.name === 'demo-viewer')).toMatchObject({
      user: 'b-viewer',
      namespace: 'backend',
      sourceFile: kcB,
    });
    expect(list.problems.map((p) => p.message).join('\n')).toMatch(/duplicate context "demo-admin"/);
    expect(JSON.stringify(list)).not.toMatch(/CANARY/);
  });
});

describe('loadLiveSnapshot', () => {
  let admin: Snapshot;
  let progress: LoadProgress[];

  beforeAll(async () => {
    progress = [];
    admin = await loadLiveSnapshot('demo-admin', { kubeconfig: both, onProgress: (p) => progress.push(p) });
  });

  it('holds the same objects as the demo file, with the context as source', async () => {
    const file = await loadSnapshotFiles([DEMO_FILE]);
    expect(admin.source).toEqual({
      type: 'context',
      context: 'demo-admin',
      cluster: 'k8s-sim',
      server: sim.url,
    });
    expect(names(admin.pods)).toEqual(names(file.pods));
    expect(names(admin.namespaces)).toEqual(names(file.namespaces));
    expect(names(admin.services)).toEqual(names(file.services));
    expect(names(admin.nodes)).toEqual(names(file.nodes));
    expect(names(admin.networkPolicies)).toEqual(names(file.networkPolicies));
    expect(names(admin.daemonSets)).toEqual(names(file.daemonSets));
    for (const np of admin.networkPolicies) {
      const same = file.networkPolicies.find(
        (f) => f.metadata.name === np.metadata.name && f.metadata.namespace === np.metadata.namespace,
      );
      expect(np.spec).toEqual(same?.spec);
      expect(np.metadata.labels).toEqual(same?.metadata.labels);
    }
    expect(admin.partial).toBeUndefined();
  });

  it('gives the same trace as the same objects loaded from a file', async () => {
    // The same objects from the file, in the API server's order (namespace/name), because the engine
    // lists policies in snapshot order and the demo file is hand-ordered.
    const file = await loadSnapshotFiles([DEMO_FILE]);
    const byKey = (
      a: { metadata: { namespace?: string; name: string } },
      b: { metadata: { namespace?: string; name: string } },
    ) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      );
    for (const list of [
      file.pods,
      file.namespaces,
      file.services,
      file.networkPolicies,
      file.ciliumNetworkPolicies,
    ])
      list.sort(byKey);
    const live = createEngine(admin);
    const offline = createEngine(file);
    const queries = [
      { from: 'frontend/web-7d9f8b6c5-x2k4p', to: 'backend/api-5c6d7f8b9-abcde', port: 8080 },
      {
        from: 'payments/payments-6b7c8d9e5-klmno',
        to: 'kube-system/coredns-5d78c9869d-7xk2m',
        port: 53,
        protocol: 'UDP' as const,
      },
      { from: 'monitoring/grafana-6f7d8c9b4-rstuv', to: 'data/postgres-0', port: 9187 },
      { from: 'backend/api-5c6d7f8b9-abcde', to: 'backend/redis-cache-0', port: 6379 },
      { from: 'payments/payments-6b7c8d9e5-klmno', to: 'backend/api-5c6d7f8b9-abcde', port: 8080 },
      { from: 'backend/api-5c6d7f8b9-abcde', to: 'data/postgres-0', port: 'postgres' },
    ];
    const verdicts: string[] = [];
    for (const q of queries) {
      const a = live.trace(q);
      const b = offline.trace(q);
      expect(a.verdict).toEqual(b.verdict);
      expect(a.decidedBy).toEqual(b.decidedBy);
      expect(a.explanation).toEqual(b.explanation);
      expect(a.assumptions).toEqual(b.assumptions);
      verdicts.push(JSON.stringify(a.verdict));
    }
    // the demo has both allowed and denied paths: the comparison is not trivially equal
    expect(new Set(verdicts).size).toBeGreaterThan(1);
  });

  it('never keeps Secrets, unneeded ConfigMaps or credentials', () => {
    const text = JSON.stringify(admin);
    expect(text).not.toMatch(/CANARY/);
    expect(admin.configMaps.map((c) => c.metadata.name)).toEqual(['cilium-config']);
    expect(text).not.toContain('last-applied-configuration');
  });

  it('detects the CNI with per-node agent health', () => {
    expect(admin.cni).toMatchObject({
      name: 'cilium',
      enforcesNetworkPolicy: true,
      ipBlockMatchesPodIPs: false,
    });
    expect(admin.cni?.nodes.map((n) => [n.node, n.ready])).toEqual([
      ['node-a', true],
      ['node-b', true],
    ]);
    expect(admin.cni?.cilium?.hubbleRelayPresent).toBe(true);
  });

  it('reports progress with counts, ending in done', () => {
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('connecting');
    expect(phases).toContain('discovery');
    expect(phases).toContain('access-review');
    expect(phases).toContain('listing');
    const last = progress.at(-1)!;
    expect(last.phase).toBe('done');
    expect(last.done).toBe(last.total);
    expect(last.objects).toBeGreaterThanOrEqual(admin.pods.length + admin.namespaces.length);
    const objectCounts = progress.map((p) => p.objects);
    expect(objectCounts).toEqual([...objectCounts].sort((a, b) => a - b));
  });

  it('paginates with limit/continue, a few lists in parallel', async () => {
    const first = sim.requests.length;
    const s = await loadLiveSnapshot('demo-admin', { kubeconfig: both, pageSize: 4 });
    expect(names(s.pods)).toEqual(names(admin.pods));
    const podLists = sim.requests.slice(first).filter((r) => r.method === 'GET' && r.path === '/api/v1/pods');
    expect(podLists.length).toBe(Math.ceil(admin.pods.length / 4));
    expect(podLists.every((r) => r.query.includes('limit=4'))).toBe(true);
    expect(podLists.slice(1).every((r) => r.query.includes('continue='))).toBe(true);
  });

  it('a client-certificate user (second file) works', async () => {
    const s = await loadLiveSnapshot('demo-viewer', { kubeconfig: both });
    expect(s.pods.length).toBe(admin.pods.length);
    expect(s.source).toMatchObject({ context: 'demo-viewer', cluster: 'k8s-sim-b' });
  });
});

describe('access review and forbidden lists', () => {
  it('loads what is allowed and names what is missing', async () => {
    const s = await loadLiveSnapshot('demo-restricted', { kubeconfig: both });
    const gaps = s.partial?.gaps.map((g) => g.message) ?? [];
    expect(gaps).toContain('cannot list networkpolicies in namespace backend');
    expect(gaps).toContain('cannot list ciliumnetworkpolicies.cilium.io in any namespace');
    // per-namespace lists where cluster-wide is forbidden
    const nsWithPolicies = new Set(s.networkPolicies.map((p) => p.metadata.namespace));
    expect(nsWithPolicies.has('backend')).toBe(false);
    expect(nsWithPolicies.has('payments')).toBe(true);
    expect(nsWithPolicies.has('data')).toBe(true);
    expect(s.pods.length).toBeGreaterThan(10);
    // the engine marks verdicts on this snapshot as partial
    expect(
      createEngine(s).trace({
        from: 'payments/payments-6b7c8d9e5-klmno',
        to: 'backend/api-5c6d7f8b9-abcde',
        port: 8080,
      }).partial,
    ).toBe(true);
  });

  it('a 403 on a list that the access review allowed also becomes a gap', async () => {
    sim.failNextRequests('services', 1, 403);
    const s = await loadLiveSnapshot('demo-admin', { kubeconfig: both });
    // the cluster-wide list was forbidden → per-namespace lists were tried and succeeded
    expect(s.services.length).toBeGreaterThan(0);
    sim.failNextRequests('nodes', 1, 403);
    const s2 = await loadLiveSnapshot('demo-admin', { kubeconfig: both });
    expect(s2.partial?.gaps.map((g) => g.message)).toContain('cannot list nodes');
    expect(s2.pods.length).toBe(s.pods.length);
  });
});

describe('unreachable, rejected and broken connections', () => {
  function kubeconfigWith(server: string, name: string, caFrom?: string): string {
    const p = path.join(dir, `${name}.yaml`);
    sim.writeKubeconfig(p, { users: ['admin'], contextNames: [name], server });
    if (caFrom) {
      const text = fs
        .readFileSync(p, 'utf8')
        .replace(
          /certificate-authority-data: .*/,
          `certificate-authority-data: ${Buffer.from(caFrom).toString('base64')}`,
        );
      fs.writeFileSync(p, text);
    }
    return p;
  }

  async function closedPort(): Promise<number> {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }

  it('connection refused: a clear error within 10 s', async () => {
    const port = await closedPort();
    const kc = kubeconfigWith(`https://127.0.0.1:${port}`, 'refused');
    const t0 = Date.now();
    const err = await loadLiveSnapshot('refused', { kubeconfig: kc }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect((err as ClusterUnreachableError).kind).toBe('connection-refused');
    expect((err as Error).message).toMatch(/connection refused/);
  });

  it('a server that accepts but never answers: timeout within 10 s', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const kc = kubeconfigWith(`https://127.0.0.1:${port}`, 'silent');
      const t0 = Date.now();
      const err = await loadLiveSnapshot('silent', { kubeconfig: kc }).catch((e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect((err as ClusterUnreachableError).kind).toBe('timeout');
      expect((err as Error).message).toMatch(/did not answer in time/);
    } finally {
      silent.close();
    }
  });

  it('a server certificate signed by another CA: a TLS error', async () => {
    const other = await startK8sSim({ scenario: { objects: [] } });
    try {
      const kc = kubeconfigWith(sim.url, 'wrong-ca', other.caPem);
      const err = await loadLiveSnapshot('wrong-ca', { kubeconfig: kc }).catch((e: unknown) => e);
      expect((err as ClusterUnreachableError).kind).toBe('tls');
      expect((err as Error).message).toMatch(/TLS handshake .* failed/);
    } finally {
      await other.close();
    }
  });

  it('an expired client certificate: the server rejects the credentials', async () => {
    const p = path.join(dir, 'expired.yaml');
    sim.writeKubeconfig(p, { users: ['expired'], contextNames: ['expired'] });
    const err = await loadLiveSnapshot('expired', { kubeconfig: p }).catch((e: unknown) => e);
    expect((err as ClusterUnreachableError).kind).toBe('unauthorized');
    expect((err as Error).message).toMatch(/invalid or expired/);
  });

  it('an unknown context lists the known ones', async () => {
    const err = await loadLiveSnapshot('nope', { kubeconfig: both }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownContextError);
    expect((err as Error).message).toMatch(/known contexts: demo-admin, demo-restricted, demo-viewer/);
  });

  it('a list dropped mid-response is retried; one that keeps failing is a gap and the rest is kept', async () => {
    sim.failNextList('pods', 1);
    const retried = await loadLiveSnapshot('demo-admin', { kubeconfig: both });
    expect(retried.pods.length).toBe(15);
    expect(retried.partial).toBeUndefined();

    sim.failNextList('pods', LIST_ATTEMPTS);
    const broken = await loadLiveSnapshot('demo-admin', { kubeconfig: both });
    expect(broken.pods).toEqual([]);
    expect(broken.networkPolicies.length).toBe(10);
    const gap = broken.partial?.gaps.find((g) => g.resource === 'pods');
    expect(gap?.message).toMatch(/could not list pods: .*closed the connection.*\(after 4 attempts\)/);
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    const phases: string[] = [];
    const p = loadLiveSnapshot('demo-admin', {
      kubeconfig: both,
      signal: ac.signal,
      onProgress: (pr) => {
        phases.push(pr.phase);
        if (pr.phase === 'listing') ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(LoadCancelledError);
    expect(phases.at(-1)).toBe('cancelled');
  });
});

describe('exec credential plugins', () => {
  function execKubeconfig(name: string, script: string): string {
    const bin = path.join(dir, `${name}-plugin.sh`);
    fs.writeFileSync(bin, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    const p = path.join(dir, `${name}.yaml`);
    sim.writeKubeconfig(p, { users: ['admin'], contextNames: [name] });
    const text = fs
      .readFileSync(p, 'utf8')
      .replace(
        /token: .*/,
        `exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: ${bin}\n        args: [get-token, --cluster, demo]\n        interactiveMode: Never`,
      );
    fs.writeFileSync(p, text);
    return p;
  }

  it('a plugin that prints an ExecCredential authenticates', async () => {
    const token = sim.user('admin').token!;
    const kc = execKubeconfig(
      'exec-ok',
      `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'`,
    );
    const s = await loadLiveSnapshot('exec-ok', { kubeconfig: kc });
    expect(s.pods.length).toBe(15);
  });

  it('a failing plugin shows the command it ran and its stderr', async () => {
    const kc = execKubeconfig(
      'exec-fail',
      'echo "error: SSO session has expired, run aws sso login" >&2; exit 1',
    );
    const err = await loadLiveSnapshot('exec-fail', { kubeconfig: kc }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecPluginError);
    expect((err as Error).message).toMatch(/exec-fail-plugin\.sh get-token --cluster demo/);
    expect((err as Error).message).toMatch(/SSO session has expired/);
  });

  it('a plugin that is not installed says so', async () => {
    const p = path.join(dir, 'exec-missing.yaml');
    sim.writeKubeconfig(p, { users: ['admin'], contextNames: ['exec-missing'] });
    fs.writeFileSync(
      p,
      fs
        .readFileSync(p, 'utf8')
        .replace(
          /token: .*/,
          'exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: kubelogin-not-installed\n        args: [get-token]',
        ),
    );
    const err = await loadLiveSnapshot('exec-missing', { kubeconfig: p }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecPluginError);
    expect((err as Error).message).toMatch(/kubelogin-not-installed get-token.*\n.*not found on PATH/);
  });
});

describe('watchLiveSnapshot', () => {
  let live: LiveCluster | undefined;
  afterEach(async () => {
    await live?.stop();
    live = undefined;
  });

  function waitFor(pred: () => boolean, ms = 8000): Promise<void> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
      const tick = () => {
        if (pred()) return resolve();
        if (Date.now() - t0 > ms) return reject(new Error('timed out waiting'));
        setTimeout(tick, 25);
      };
      tick();
    });
  }

  it('applies watch events and re-lists on 410 Gone', async () => {
    const updates: Snapshot[] = [];
    live = await watchLiveSnapshot('demo-admin', {
      kubeconfig: both,
      debounceMs: 20,
      initialBackoffMs: 50,
      onUpdate: (s) => updates.push(s),
    });
    expect(live.status.watching).toBe(true);
    const before = live.status.lastUpdated;
    await waitFor(() => sim.activeWatches >= 10);

    const pod = structuredClone(
      sim.getObjects('Pod').find((p) => p.metadata.name === 'redis-cache-0')!,
    ) as unknown as Snapshot['pods'][number];
    pod.metadata.name = 'redis-cache-1';
    sim.applyEvent({ type: 'ADDED', object: pod as never });
    await waitFor(() => live!.snapshot.pods.some((p) => p.metadata.name === 'redis-cache-1'));
    expect(updates.length).toBeGreaterThan(0);
    expect(live.status.lastUpdated >= before).toBe(true);

    // A change the analysis does not read (a status timestamp) is applied but makes no new snapshot.
    const seen = live.stats.events;
    const updatesBefore = updates.length;
    const touched = structuredClone(pod) as unknown as { status: Record<string, unknown> };
    touched.status = { ...touched.status, startTime: '2026-11-30T10:00:00Z' };
    sim.applyEvent({ type: 'MODIFIED', object: touched as never });
    const marker = structuredClone(pod);
    marker.metadata.name = 'marker-pod';
    sim.applyEvent({ type: 'ADDED', object: marker as never });
    await waitFor(() => live!.snapshot.pods.some((p) => p.metadata.name === 'marker-pod'));
    expect(live.stats.events).toBe(seen + 1);
    expect(updates.length).toBe(updatesBefore + 1);

    sim.applyEvent({ type: 'DELETED', object: pod as never });
    sim.applyEvent({ type: 'DELETED', object: marker as never });
    await waitFor(
      () =>
        !live!.snapshot.pods.some(
          (p) => p.metadata.name === 'redis-cache-1' || p.metadata.name === 'marker-pod',
        ),
    );

    // Connections dropped: the watches restart from their resourceVersion and miss nothing.
    sim.dropConnections();
    const late = structuredClone(pod);
    late.metadata.name = 'late-pod';
    sim.applyEvent({ type: 'ADDED', object: late as never });
    await waitFor(() => live!.snapshot.pods.some((p) => p.metadata.name === 'late-pod'));
    sim.applyEvent({ type: 'DELETED', object: late as never });
    await waitFor(() => !live!.snapshot.pods.some((p) => p.metadata.name === 'late-pod'));

    // Changes while the watches are down, then history compacted: the watch restarts with an old
    // resourceVersion, gets 410 Gone, re-lists and resyncs.
    const np = sim.getObjects('NetworkPolicy').find((p) => p.metadata.name === 'allow-api-to-cache')!;
    sim.dropConnections();
    sim.applyEvent({ type: 'DELETED', object: np });
    sim.compact();
    await waitFor(
      () =>
        live!.stats.relists > 0 &&
        !live!.snapshot.networkPolicies.some((p) => p.metadata.name === 'allow-api-to-cache'),
    );
    expect(live.snapshot.networkPolicies.length).toBe(9);
    sim.applyEvent({ type: 'ADDED', object: np });
    await waitFor(() => live!.snapshot.networkPolicies.length === 10);
  });

  it('a list that failed on connect is retried in the background; the gap disappears when it loads', async () => {
    sim.failNextList('pods', LIST_ATTEMPTS);
    const updates: Snapshot[] = [];
    live = await watchLiveSnapshot('demo-admin', {
      kubeconfig: both,
      debounceMs: 20,
      initialBackoffMs: 50,
      onUpdate: (s) => updates.push(s),
    });
    expect(live.snapshot.pods).toEqual([]);
    expect(live.snapshot.partial?.gaps.map((g) => g.resource)).toEqual(['pods']);
    expect(live.snapshot.networkPolicies.length).toBe(10);
    await waitFor(() => live!.snapshot.pods.length === 15);
    expect(live.snapshot.partial).toBeUndefined();
    // and the recovered list is watched like the others
    const pod = structuredClone(live.snapshot.pods[0]);
    pod.metadata = { ...pod.metadata, name: 'after-recovery', resourceVersion: undefined, uid: undefined };
    sim.applyEvent({ type: 'ADDED', object: pod as never });
    await waitFor(() => live!.snapshot.pods.some((p) => p.metadata.name === 'after-recovery'));
    sim.applyEvent({ type: 'DELETED', object: pod as never });
  });
});
