import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { buildFlowRequest } from '@shared/flows/filter';
import { selectFlows } from '@shared/flows/match';
import type { Flow, FlowFilterOptions, FlowRequest } from '@shared/flows/types';
import { buildDemoFlows } from '../../test/hubble-sim/demo-flows';
import { startHubbleSim, type HubbleSim } from '../../test/hubble-sim';
import { simRequestMatches } from '../../test/hubble-sim/filter';
import { HubbleClient } from './client';
import { connectServer } from './relay';
import { HubbleError } from './errors';

const demo = buildDemoFlows();

function collect(client: HubbleClient, req: FlowRequest): Promise<Flow[]> {
  return new Promise((resolve, reject) => {
    const out: Flow[] = [];
    client.getFlows(req, { onFlow: (f) => out.push(f), onEnd: () => resolve(out), onError: reject });
  });
}

describe('HubbleClient against the Relay simulator', () => {
  let sim: HubbleSim;
  let client: HubbleClient;
  beforeAll(async () => {
    sim = await startHubbleSim({ flows: demo, maxFlows: 1000 });
    client = new HubbleClient({ address: sim.address });
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('reads ServerStatus and GetNodes', async () => {
    const s = await client.serverStatus();
    expect(s).toMatchObject({
      numFlows: demo.length,
      maxFlows: 1000,
      seenFlows: demo.length,
      numConnectedNodes: 2,
      numUnavailableNodes: 0,
    });
    const nodes = await client.getNodes();
    expect(nodes.map((n) => n.name)).toEqual(['demo/node-a', 'demo/node-b']);
    expect(nodes.every((n) => n.state === 'NODE_CONNECTED')).toBe(true);
  });

  it('streams flows that survive the wire unchanged (JSON shape identical to the recording)', async () => {
    const got = await collect(client, { whitelist: [], blacklist: [], number: demo.length });
    expect(got).toEqual(demo);
  });

  const cases: FlowFilterOptions[] = [
    { verdict: ['DROPPED'] },
    { namespace: ['backend'], last: 1000 },
    { toPod: ['data/postgres-0'], fromLabel: ['app=grafana'], last: 1000 },
    { protocol: ['udp'], verdict: ['DROPPED'], last: 1000 },
    { port: [8080], not: { verdict: ['FORWARDED'] }, last: 1000 },
    { type: ['drop'], dropReasonDesc: ['POLICY_DENIED'], last: 5 },
    { ip: ['10.0.2.0/24'], first: 7 },
    { since: '2026-11-30T11:58:30Z', until: '2026-11-30T11:59:10Z', toPort: [53] },
  ];
  it.each(cases.map((c, i) => [i, c] as const))(
    'GetFlows filters give the simulator’s own results (case %i)',
    async (_i, opts) => {
      const req = buildFlowRequest(opts);
      const got = await collect(client, req);
      const expected = selectFlows(demo, req);
      // the simulator's own filter implementation, applied to its ring
      const simOwn = sim.ring().filter((f) => simRequestMatches(req, f));
      expect(got.map((f) => f.uuid)).toEqual(expected.map((f) => f.uuid));
      if (!req.number && !req.since) expect(got.length).toBe(simOwn.length);
      expect(got.every((f) => simRequestMatches(req, f))).toBe(true);
    },
  );

  it('reports a wrong address as unreachable', async () => {
    const c = new HubbleClient({ address: '127.0.0.1:1', dialTimeoutMs: 1000, requestTimeoutMs: 1500 });
    const err = await c.serverStatus().catch((e: unknown) => e);
    c.close();
    expect(err).toBeInstanceOf(HubbleError);
    expect((err as HubbleError).code).toBe('unreachable');
    expect((err as HubbleError).message).toMatch(/127\.0\.0\.1:1/);
    await expect(connectServer('not an address')).rejects.toThrow(/invalid server address/);
  });
});

describe('Relay TLS', () => {
  let sim: HubbleSim;
  let ca: string;
  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: '*.hubble-relay.cilium.io' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: '*.hubble-relay.cilium.io' }] }],
    });
    ca = pems.cert;
    sim = await startHubbleSim({ flows: demo.slice(0, 10), tls: { cert: pems.cert, key: pems.private } });
  });
  afterAll(() => sim.close());

  it('connects with the CA and the Relay server name', async () => {
    const conn = await connectServer(
      sim.address,
      { ca, serverName: 'instance.hubble-relay.cilium.io' },
      3000,
    );
    expect(conn.status.numFlows).toBe(10);
    await conn.close();
  });

  it('says so when TLS does not match (plaintext to a TLS server, wrong CA)', async () => {
    const plain = await connectServer(sim.address, undefined, 2000).catch((e: unknown) => e as HubbleError);
    expect(plain).toBeInstanceOf(HubbleError);
    expect((plain as HubbleError).code).toBe('tls');
    expect((plain as HubbleError).message).toMatch(/probably requires TLS/);
    const other = await generate([{ name: 'commonName', value: 'other' }], { keySize: 2048 });
    const wrongCa = await connectServer(
      sim.address,
      { ca: other.cert, serverName: 'instance.hubble-relay.cilium.io' },
      2000,
    ).catch((e: unknown) => e as HubbleError);
    expect((wrongCa as HubbleError).code).toBe('tls');
  });
});

describe('the new filter flags over gRPC (L7, DNS names, services, workloads, identities)', () => {
  const flows = buildDemoFlows({ l7: true });
  let sim: HubbleSim;
  let client: HubbleClient;
  beforeAll(async () => {
    sim = await startHubbleSim({ flows, maxFlows: 1000 });
    client = new HubbleClient({ address: sim.address });
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('L7 records, DNS names and services survive the wire unchanged', async () => {
    const got = await collect(client, { whitelist: [], blacklist: [], number: flows.length });
    expect(got).toEqual(flows);
    expect(got.some((f) => f.l7?.http?.code === 503 && f.l7.latency_ns)).toBe(true);
  });

  const cases: FlowFilterOptions[] = [
    { httpStatus: ['5+', '404'], last: 1000 },
    { httpMethod: ['get'], httpPath: ['^/v1/charges/'], last: 1000 },
    { httpUrl: ['9090/metrics$'], not: { httpStatus: ['2+'] }, last: 1000 },
    { toFqdn: ['*.stripe.com'], last: 1000 },
    { fqdn: ['grafana.com'], tcpFlags: ['syn,ack'], last: 1000 },
    { namespace: ['backend'], service: ['api'], last: 1000 },
    { fromWorkload: ['StatefulSet/'], toIdentity: ['30711'], last: 1000 },
    { toIdentity: ['world'], nodeName: ['demo/node-b'], last: 1000 },
    { toCluster: ['demo'], trafficDirection: ['egress'], ipv4: true, type: ['l7'], last: 1000 },
    { not: { toService: ['kube-system/kube-dns'], ipv6: true }, uuid: [flows[40].uuid!, flows[41].uuid!] },
  ];
  it.each(cases.map((c, i) => [i, c] as const))(
    'GetFlows with the new flags gives the simulator’s own results (case %i)',
    async (_i, opts) => {
      const req = buildFlowRequest(opts);
      const got = await collect(client, req);
      const simOwn = sim.ring().filter((f) => simRequestMatches(req, f));
      expect(got.length).toBeGreaterThan(0);
      expect(got.map((f) => f.uuid)).toEqual(simOwn.slice(-(req.number ?? 0)).map((f) => f.uuid));
      expect(got.map((f) => f.uuid)).toEqual(selectFlows(flows, req).map((f) => f.uuid));
    },
  );
});
