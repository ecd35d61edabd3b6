import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { buildFlowRequest } from '@shared/flows/filter';
import type { Flow, FlowFilterOptions, FlowStreamState } from '@shared/flows/types';
import { generate } from 'selfsigned';
import { DEMO_SCENARIO_PATH, startK8sSim, type K8sSim } from '../../test/k8s-sim/index';
import { buildDemoFlows } from '../../test/hubble-sim/demo-flows';
import { startHubbleSim, type HubbleSim } from '../../test/hubble-sim';
import { simRequestMatches } from '../../test/hubble-sim/filter';
import { loadKubeConfigForContext } from '../cluster/kubeconfig';
import { connectRelay, resolveRelayTarget } from './relay';
import { FlowStreamManager } from './stream-manager';
import { HubbleError } from './errors';

const RELAY_POD = 'hubble-relay-6b9c7d8f5-zx7vq';
const demo = buildDemoFlows();
let k8s: K8sSim;
let hubble: HubbleSim;
let dir: string;
let kubeconfig: string;
let kc: KubeConfig;

beforeAll(async () => {
  k8s = await startK8sSim({ scenario: DEMO_SCENARIO_PATH });
  hubble = await startHubbleSim({ flows: demo, maxFlows: 10_000 });
  k8s.setPortForwardTarget('kube-system', RELAY_POD, 4245, hubble.port);
  dir = mkdtempSync(join(tmpdir(), 'hubble-relay-'));
  kubeconfig = join(dir, 'config');
  k8s.writeKubeconfig(kubeconfig, { users: ['admin'], contextNames: { admin: 'demo' } });
  kc = loadKubeConfigForContext('demo', kubeconfig);
});
afterAll(async () => {
  await hubble.close();
  await k8s.close();
  rmSync(dir, { recursive: true, force: true });
});

function collect(conn: Awaited<ReturnType<typeof connectRelay>>, opts: FlowFilterOptions): Promise<Flow[]> {
  return new Promise((resolve, reject) => {
    const out: Flow[] = [];
    conn.client.getFlows(buildFlowRequest(opts), {
      onFlow: (f) => out.push(f),
      onEnd: () => resolve(out),
      onError: reject,
    });
  });
}

describe('reaching Hubble Relay through the Kubernetes API port-forward', () => {
  it('resolves the Service to a ready pod and the named container port behind service port 80', async () => {
    expect(await resolveRelayTarget(kc)).toEqual({
      namespace: 'kube-system',
      service: 'hubble-relay',
      servicePort: 80,
      pod: RELAY_POD,
      podPort: 4245,
      tls: false,
    });
  });

  it('shows the simulator’s flows with the same filters giving the simulator’s own results', async () => {
    const conn = await connectRelay({ kubeConfig: kc });
    try {
      expect(conn.description).toMatch(
        /kube-system\/hubble-relay-6b9c7d8f5-zx7vq:4245 via port-forward 127\.0\.0\.1:\d+/,
      );
      expect(conn.status.numFlows).toBe(demo.length);
      for (const opts of [
        { verdict: ['DROPPED'], last: 1000 },
        { namespace: ['data'], protocol: ['tcp'], last: 1000 },
        { toPort: [53], not: { verdict: ['DROPPED'] }, last: 1000 },
      ] as FlowFilterOptions[]) {
        const got = await collect(conn, opts);
        const own = hubble.ring().filter((f) => simRequestMatches(buildFlowRequest(opts), f));
        expect(got.length).toBeGreaterThan(0);
        expect(got).toEqual(own);
      }
    } finally {
      await conn.close();
    }
  });

  it('a dropped port-forward resumes without duplicates or losses', async () => {
    const m = new FlowStreamManager({ reconnect: { initialMs: 50, maxMs: 200 } });
    const states: FlowStreamState[] = [];
    m.on('state', (s) => states.push(s));
    const before = hubble.ring().length;
    const { streamId } = m.start({
      source: { kind: 'relay', context: 'demo', kubeconfig },
      filter: { follow: true, last: 100_000 },
    });
    const wait = async (cond: () => boolean, what: string) => {
      const t0 = Date.now();
      while (!cond()) {
        if (Date.now() - t0 > 20_000)
          throw new Error(`timed out: ${what}; states ${JSON.stringify(states.map((s) => s.state))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      await wait(() => m.stats(streamId).received >= before, 'history');
      hubble.setFollowRate(200);
      await wait(() => m.stats(streamId).received >= before + 50, 'live flows');
      k8s.dropConnections();
      await wait(() => states.filter((s) => s.state === 'live').length >= 2, 'reconnect');
      await new Promise((r) => setTimeout(r, 300));
      hubble.setFollowRate(0);
      const expected = hubble.ring().map((f) => f.uuid);
      await wait(() => m.stats(streamId).received >= expected.length, 'all flows');
      const got = m.selectFlows(streamId).map((f) => f.uuid);
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(expected);
      expect(states.some((s) => s.state === 'reconnecting')).toBe(true);
    } finally {
      await m.stopAll();
    }
  });

  it('says how to enable Hubble when there is no hubble-relay Service', async () => {
    const svc = k8s.getObjects('Service').find((o) => o.metadata.name === 'hubble-relay')!;
    k8s.applyEvent({ type: 'DELETED', object: svc });
    try {
      const err = await resolveRelayTarget(kc).catch((e: unknown) => e as HubbleError);
      expect(err).toBeInstanceOf(HubbleError);
      expect((err as HubbleError).code).toBe('not-found');
      expect((err as HubbleError).message).toMatch(/cilium hubble enable --relay/);
    } finally {
      k8s.applyEvent({ type: 'ADDED', object: svc });
    }
  });

  it('says so when the relay pod is not ready', async () => {
    const pod = k8s.getObjects('Pod').find((o) => o.metadata.name === RELAY_POD)!;
    const notReady = structuredClone(pod) as typeof pod & { status: Record<string, unknown> };
    notReady.status = {
      ...(notReady.status as object),
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'hubble-relay',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
        },
      ],
    };
    k8s.applyEvent({ type: 'MODIFIED', object: notReady });
    try {
      const err = await resolveRelayTarget(kc).catch((e: unknown) => e as HubbleError);
      expect((err as HubbleError).code).toBe('not-ready');
      expect((err as HubbleError).message).toMatch(/hubble-relay-6b9c7d8f5-zx7vq \(CrashLoopBackOff\)/);
    } finally {
      k8s.applyEvent({ type: 'MODIFIED', object: pod });
    }
  });

  it('uses Relay TLS when the cluster enables it, with the CA from hubble-relay-client-certs', async () => {
    const pems = await generate([{ name: 'commonName', value: '*.hubble-relay.cilium.io' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: '*.hubble-relay.cilium.io' }] }],
    });
    const tlsSim = await startHubbleSim({
      flows: demo.slice(0, 7),
      tls: { cert: pems.cert, key: pems.private },
    });
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'hubble-relay-config', namespace: 'kube-system' },
      data: {
        'config.yaml':
          'listen-address: ":4245"\ntls-relay-server-cert-file: /var/lib/hubble-relay/tls/server.crt\ntls-relay-server-key-file: /var/lib/hubble-relay/tls/server.key\n',
      },
    };
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hubble-relay-client-certs', namespace: 'kube-system' },
      type: 'kubernetes.io/tls',
      data: { 'ca.crt': b64(pems.cert), 'tls.crt': b64(pems.cert), 'tls.key': b64(pems.private) },
    };
    k8s.applyEvent({ type: 'ADDED', object: cm });
    k8s.applyEvent({ type: 'ADDED', object: secret });
    k8s.setPortForwardTarget('kube-system', RELAY_POD, 4245, tlsSim.port);
    try {
      expect((await resolveRelayTarget(kc)).tls).toBe(true);
      const conn = await connectRelay({ kubeConfig: kc });
      expect(conn.description).toMatch(/\(TLS\)$/);
      expect(conn.status.numFlows).toBe(7);
      await conn.close();
      k8s.applyEvent({ type: 'DELETED', object: secret });
      const err = await connectRelay({ kubeConfig: kc }).catch((e: unknown) => e as HubbleError);
      expect((err as HubbleError).code).toBe('tls');
      expect((err as HubbleError).message).toMatch(/hubble-relay-client-certs does not exist/);
      // plaintext against the TLS Relay: a clear TLS failure, not a hang
      const plain = await connectRelay({ kubeConfig: kc, tls: 'off', dialTimeoutMs: 3000 }).catch(
        (e: unknown) => e as HubbleError,
      );
      expect((plain as HubbleError).code).toBe('tls');
      expect((plain as HubbleError).message).toMatch(
        /does not answer plaintext gRPC: it probably serves TLS/,
      );
    } finally {
      k8s.setPortForwardTarget('kube-system', RELAY_POD, 4245, hubble.port);
      k8s.applyEvent({ type: 'DELETED', object: cm });
      await tlsSim.close();
    }
  });
});
