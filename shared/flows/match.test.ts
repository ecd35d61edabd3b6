import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { buildFlowFilters, buildFlowRequest } from './filter';
import { parseFlowLines } from './jsonl';
import { compileFilters, matchFlow, selectFlows } from './match';
import { parseLabelSelector } from './label-selector';
import { simRequestMatches } from '../../test/hubble-sim/filter';
import { buildDemoFlows } from '../../test/hubble-sim/demo-flows';
import type { Flow, FlowFilterNegations, FlowFilterOptions } from './types';

const demo = parseFlowLines(
  readFileSync(new URL('../../assets/demo/flows.jsonpb', import.meta.url), 'utf8'),
).flows;
const count = (opts: FlowFilterOptions) => demo.filter(compileFilters(buildFlowFilters(opts))).length;
const pairs = (flows: Flow[]) =>
  new Set(flows.map((f) => `${f.source?.pod_name}->${f.destination?.pod_name}`));

describe('matchFlow: Hubble filter semantics on the demo recording', () => {
  it('filters by verdict and drop reason', () => {
    const dropped = demo.filter((f) => matchFlow(f, buildFlowFilters({ verdict: ['DROPPED'] })));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((f) => f.verdict === 'DROPPED')).toBe(true);
    expect(pairs(dropped)).toEqual(
      new Set([
        'web-7d9f8b6c5-x2k4p->api-5c6d7f8b9-abcde',
        'web-7d9f8b6c5-q8m2n->api-5c6d7f8b9-fghij',
        'payments-6b7c8d9e5-klmno->coredns-5d78c9869d-7xk2m',
        'api-5c6d7f8b9-fghij->redis-cache-0',
      ]),
    );
    expect(count({ dropReasonDesc: ['POLICY_DENIED'] })).toBe(dropped.length);
    expect(count({ dropReasonDesc: ['POLICY_DENY'] })).toBe(0);
  });

  it('pod filters are namespace + name prefix; a bare name means namespace "default"', () => {
    const toApi = demo.filter(compileFilters(buildFlowFilters({ toPod: ['backend/api-'] })));
    expect(toApi.length).toBeGreaterThan(0);
    expect(
      toApi.every(
        (f) => f.destination?.namespace === 'backend' && f.destination.pod_name!.startsWith('api-'),
      ),
    ).toBe(true);
    expect(count({ toPod: ['api-'] })).toBe(0);
    // --pod matches either side
    const either = demo.filter(compileFilters(buildFlowFilters({ pod: ['data/postgres-0'] })));
    expect(either.some((f) => f.source?.pod_name === 'postgres-0')).toBe(true);
    expect(either.some((f) => f.destination?.pod_name === 'postgres-0')).toBe(true);
  });

  it('namespace, IP/CIDR, port and protocol filters', () => {
    expect(count({ namespace: ['monitoring'] })).toBe(
      demo.filter((f) => f.source?.namespace === 'monitoring' || f.destination?.namespace === 'monitoring')
        .length,
    );
    expect(count({ toIp: ['10.0.2.0/24'] })).toBe(
      demo.filter((f) => f.IP?.destination?.startsWith('10.0.2.')).length,
    );
    expect(count({ ip: ['10.0.2.41'] })).toBe(
      demo.filter((f) => f.IP?.source === '10.0.2.41' || f.IP?.destination === '10.0.2.41').length,
    );
    expect(count({ toPort: [9187] })).toBe(demo.filter((f) => f.l4?.TCP?.destination_port === 9187).length);
    expect(count({ protocol: ['udp'] })).toBe(demo.filter((f) => f.l4?.UDP).length);
    expect(count({ protocol: ['udp'], port: [53] })).toBe(count({ protocol: ['udp'] }));
  });

  it('label selectors match Cilium labels with or without the source prefix', () => {
    expect(count({ toLabel: ['app=postgres'] })).toBe(count({ toLabel: ['k8s:app=postgres'] }));
    expect(count({ toLabel: ['app=postgres'] })).toBeGreaterThan(0);
    expect(count({ toLabel: ['reserved:app=postgres'] })).toBe(0);
    expect(count({ fromLabel: ['app in (web, grafana)'] })).toBe(
      demo.filter((f) => ['web', 'grafana'].some((a) => f.source?.labels?.includes(`k8s:app=${a}`))).length,
    );
    expect(count({ fromLabel: ['!app'] })).toBe(
      demo.filter((f) => !f.source?.labels?.some((l) => l.startsWith('k8s:app='))).length,
    );
    expect(count({ fromLabel: ['!app'] })).toBe(count({ fromLabel: ['k8s-app=kube-dns'] }));
    expect(() => parseLabelSelector('a in (b')).toThrow();
  });

  it('event types and deny lists', () => {
    const drops = count({ type: ['drop'] });
    const verdicts = count({ type: ['policy-verdict'] });
    expect(drops).toBeGreaterThan(0);
    expect(count({ verdict: ['DROPPED'], not: { type: ['policy-verdict'] } })).toBe(drops);
    expect(count({ type: ['drop', 'policy-verdict'] })).toBe(drops + verdicts);
    expect(count({ type: ['trace:to-endpoint'] })).toBe(
      demo.filter((f) => f.trace_observation_point === 'TO_ENDPOINT').length,
    );
  });

  it('agrees with the simulator’s own filter implementation on random flag combinations', () => {
    const flags = fc.record(
      {
        verdict: fc.subarray(['FORWARDED', 'DROPPED'], { minLength: 1 }),
        namespace: fc.subarray(['frontend', 'backend', 'payments', 'data', 'monitoring', 'kube-system'], {
          minLength: 1,
          maxLength: 2,
        }),
        toPod: fc.subarray(
          ['backend/api', 'data/postgres-0', 'kube-system/coredns', 'backend/redis-cache-0'],
          { minLength: 1 },
        ),
        fromLabel: fc.subarray(['app=web', 'k8s:app=payments', 'app!=api', 'k8s-app'], {
          minLength: 1,
          maxLength: 1,
        }),
        ip: fc.subarray(['10.0.1.0/24', '10.0.2.41', '10.0.2.0/25'], { minLength: 1 }),
        port: fc.subarray([53, 8080, 5432, 6379, 9187], { minLength: 1 }),
        protocol: fc.subarray(['tcp', 'udp'], { minLength: 1 }),
        dropReasonDesc: fc.constant(['POLICY_DENIED']),
        type: fc.subarray(['trace', 'drop', 'policy-verdict', 'trace:from-endpoint'], { minLength: 1 }),
        not: fc.record({ verdict: fc.constant(['DROPPED']) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(flags, (o) => {
        let filters;
        try {
          filters = buildFlowFilters(o as FlowFilterOptions);
        } catch {
          return; // conflicting flags: nothing to compare
        }
        const ours = demo.filter(compileFilters(filters)).map((f) => f.uuid);
        const sims = demo.filter((f) => simRequestMatches(filters, f)).map((f) => f.uuid);
        expect(ours).toEqual(sims);
      }),
      { numRuns: 300 },
    );
  });

  it('selectFlows applies since/until and last/first', () => {
    const req = buildFlowRequest({ verdict: ['DROPPED'], last: 3 });
    const last3 = selectFlows(demo, req);
    const all = demo.filter((f) => f.verdict === 'DROPPED');
    expect(last3).toEqual(all.slice(-3));
    expect(selectFlows(demo, { ...req, first: true })).toEqual(all.slice(0, 3));
    const mid = demo[Math.floor(demo.length / 2)].time!;
    const since = selectFlows(demo, { whitelist: [], blacklist: [], since: mid });
    expect(since[0].time).toBe(mid);
    expect(since.length).toBe(demo.length - Math.floor(demo.length / 2));
  });
});

describe('matchFlow: the L7, DNS-name, service, workload and identity filters', () => {
  const flows = buildDemoFlows({ l7: true });
  const sel = (opts: FlowFilterOptions) => flows.filter(compileFilters(buildFlowFilters(opts)));
  const n = (opts: FlowFilterOptions) => sel(opts).length;
  const http = (f: Flow) =>
    (f.l7 as { http?: { code?: number; method?: string; url?: string } } | undefined)?.http;
  const with_ = (overrides: Partial<Flow>): Flow => ({ ...flows.find((f) => http(f)?.code)!, ...overrides });

  it('the demo flows with L7 contain HTTP requests and responses, DNS and external names', () => {
    expect(flows.filter((f) => http(f)?.method).length).toBeGreaterThan(10);
    expect(flows.some((f) => f.l7?.dns?.query === 'api.stripe.com.')).toBe(true);
    expect(flows.some((f) => f.destination_names?.includes('api.stripe.com'))).toBe(true);
  });

  it('--http-status: full codes and prefixes (5+, 20+) of responses only', () => {
    const codes = (opts: FlowFilterOptions) => new Set(sel(opts).map((f) => http(f)?.code));
    expect(codes({ httpStatus: ['5+'] })).toEqual(new Set([503]));
    expect(codes({ httpStatus: ['20+'] })).toEqual(new Set([200, 201]));
    expect(codes({ httpStatus: ['2+', '404'] })).toEqual(new Set([200, 201, 404]));
    expect(codes({ httpStatus: ['201'] })).toEqual(new Set([201]));
    // requests carry no code: never match, also not "0+"-like prefixes
    expect(sel({ httpStatus: ['1+', '2+', '3+', '4+', '5+'] }).every((f) => f.l7?.type === 'RESPONSE')).toBe(
      true,
    );
    // a status filter with --type l7 is fine; the same with a non-L7 type is refused (server-side rule)
    expect(n({ httpStatus: ['5+'], type: ['l7'] })).toBe(n({ httpStatus: ['5+'] }));
  });

  it('--http-method ignores case; --http-path matches the path only, unanchored; --http-url the whole URL', () => {
    expect(n({ httpMethod: ['post'] })).toBe(flows.filter((f) => http(f)?.method === 'POST').length);
    expect(n({ httpMethod: ['post'] })).toBe(n({ httpMethod: ['POST'] }));
    expect(n({ httpMethod: ['post'] })).toBeGreaterThan(0);
    const paths = (re: string) =>
      new Set(sel({ httpPath: [re] }).map((f) => new URL(http(f)!.url!).pathname));
    expect(paths('^/v1/charges$')).toEqual(new Set(['/v1/charges']));
    // the query string is not part of the path
    expect(paths('^/v1/charges/ch_1001$')).toEqual(new Set(['/v1/charges/ch_1001']));
    expect(n({ httpPath: ['expand'] })).toBe(0);
    expect(n({ httpUrl: ['expand=customer$'] })).toBe(
      flows.filter((f) => http(f)?.url?.endsWith('expand=customer')).length,
    );
    expect(n({ httpPath: ['refunds'] })).toBe(
      flows.filter((f) => http(f)?.url?.includes('/v1/refunds/')).length,
    );
    // Go's leading flag group (case-insensitive)
    expect(n({ httpPath: ['(?i)^/V1/REFUNDS/'] })).toBe(n({ httpPath: ['refunds'] }));
    // --http-header: exact name and value
    expect(n({ httpHeader: ['user-agent:prometheus/1.4'] })).toBe(
      flows.filter((f) => http(f)?.url?.endsWith('/metrics')).length,
    );
    expect(n({ httpHeader: ['user-agent:prometheus/1.4'] })).toBeGreaterThan(0);
    expect(n({ httpHeader: ['user-agent:prometheus'] })).toBe(0);
    expect(n({ httpHeader: ['User-Agent:prometheus/1.4'] })).toBe(0);
    // a path-only URL, a percent-encoded path, an unparsable URL
    expect(
      matchFlow(with_({ l7: { http: { url: '/a%20b' } } }), { whitelist: [{ http_path: ['^/a b$'] }] }),
    ).toBe(true);
    expect(
      matchFlow(with_({ l7: { http: { url: 'not a url' } } }), { whitelist: [{ http_path: ['.*'] }] }),
    ).toBe(false);
    expect(matchFlow(with_({ l7: { http: { url: '/%zz' } } }), { whitelist: [{ http_path: ['.*'] }] })).toBe(
      false,
    );
  });

  it('--fqdn patterns: whole-name, case-insensitive pattern, one trailing dot, * not matching "_"', () => {
    const ext = flows.filter((f) => f.destination_names?.length || f.source_names?.length);
    expect(n({ toFqdn: ['*.stripe.com'] })).toBe(
      ext.filter((f) => f.destination_names?.[0] === 'api.stripe.com').length,
    );
    expect(n({ toFqdn: ['API.Stripe.com.'] })).toBe(n({ toFqdn: ['*.stripe.com'] }));
    expect(n({ toFqdn: ['stripe.com'] })).toBe(0);
    expect(n({ toFqdn: ['*stripe.com'] })).toBe(n({ toFqdn: ['*.stripe.com'] }));
    // --fqdn: either side (SYN to the name, SYN-ACK from it)
    expect(n({ fqdn: ['*.stripe.com', 'grafana.com'] })).toBe(ext.length);
    expect(n({ fromFqdn: ['grafana.com'] })).toBe(
      ext.filter((f) => f.source_names?.[0] === 'grafana.com').length,
    );
    const named = (name: string) => with_({ destination_names: [name] });
    expect(
      matchFlow(named('my_host.example.com'), { whitelist: [{ destination_fqdn: ['*.example.com'] }] }),
    ).toBe(false);
    expect(
      matchFlow(named('my_host.example.com'), { whitelist: [{ destination_fqdn: ['my_host.example.com'] }] }),
    ).toBe(true);
    expect(
      matchFlow(named('a.b.example.com'), { whitelist: [{ destination_fqdn: ['*.example.com'] }] }),
    ).toBe(true);
  });

  it('--service with and without --namespace; flows without a service never match', () => {
    const toApi = sel({ toService: ['backend/api'] });
    expect(toApi.length).toBeGreaterThan(0);
    expect(toApi.every((f) => f.destination_service?.name === 'api')).toBe(true);
    expect(n({ service: ['api'], namespace: ['backend'] })).toBe(
      flows.filter((f) => f.source_service?.name === 'api' || f.destination_service?.name === 'api').length,
    );
    // a bare name means namespace "default"
    expect(n({ toService: ['api'] })).toBe(0);
    expect(n({ toService: ['kube-system/kube'] })).toBe(
      flows.filter((f) => f.destination_service?.name === 'kube-dns').length,
    );
  });

  it('--workload: kind and name each optional', () => {
    const wl = (f: Flow) => f.destination?.workloads?.[0];
    expect(sel({ toWorkload: ['StatefulSet/'] }).every((f) => wl(f)?.kind === 'StatefulSet')).toBe(true);
    expect(n({ toWorkload: ['StatefulSet/'] })).toBe(
      flows.filter((f) => wl(f)?.kind === 'StatefulSet').length,
    );
    expect(n({ toWorkload: ['postgres'] })).toBe(n({ toWorkload: ['StatefulSet/postgres'] }));
    expect(n({ toWorkload: ['Deployment/postgres'] })).toBe(0);
    // an empty workload filter matches any endpoint that has a workload (not the world)
    expect(n({ toWorkload: [''] })).toBe(flows.filter((f) => f.destination?.workloads?.length).length);
  });

  it('--identity: numbers and reserved names; a flow without that endpoint never matches', () => {
    expect(n({ toIdentity: ['world'] })).toBe(flows.filter((f) => f.destination?.identity === 2).length);
    expect(n({ toIdentity: ['world'] })).toBeGreaterThan(0);
    expect(n({ identity: ['30711'] })).toBe(
      flows.filter((f) => f.source?.identity === 30711 || f.destination?.identity === 30711).length,
    );
    const noSource = with_({ source: undefined });
    expect(matchFlow(noSource, { whitelist: [{ source_identity: [0] }] })).toBe(false);
    expect(matchFlow({ ...noSource, source: {} }, { whitelist: [{ source_identity: [0] }] })).toBe(true);
  });

  it('--tcp-flags: every named flag set; --traffic-direction; --node-name patterns; --cluster; --ipv4/--ipv6; --uuid', () => {
    const flagsOf = (f: Flow) => f.l4?.TCP?.flags ?? {};
    expect(n({ tcpFlags: ['syn'] })).toBe(flows.filter((f) => flagsOf(f).SYN).length);
    expect(n({ tcpFlags: ['syn,ack'] })).toBe(flows.filter((f) => flagsOf(f).SYN && flagsOf(f).ACK).length);
    expect(n({ tcpFlags: ['syn,ack'] })).toBeLessThan(n({ tcpFlags: ['syn'] }));
    expect(n({ tcpFlags: ['fin', 'syn,ack'] })).toBe(n({ tcpFlags: ['syn,ack'] }));
    expect(n({ trafficDirection: ['egress'] })).toBe(
      flows.filter((f) => f.traffic_direction === 'EGRESS').length,
    );
    const onA = flows.filter((f) => f.node_name === 'demo/node-a').length;
    expect(n({ nodeName: ['node-a'] })).toBe(onA);
    expect(n({ nodeName: ['demo/node-a'] })).toBe(onA);
    expect(n({ nodeName: ['demo/'] })).toBe(flows.length);
    expect(n({ nodeName: ['*/node-*'] })).toBe(flows.length);
    expect(n({ nodeName: ['other/node-a'] })).toBe(0);
    // a node name without a cluster is in cluster "default"
    const bare = with_({ node_name: 'node-a' });
    expect(matchFlow(bare, { whitelist: [{ node_name: ['default/node-a'] }] })).toBe(true);
    expect(matchFlow(bare, { whitelist: [{ node_name: ['demo/node-a'] }] })).toBe(false);
    // world endpoints carry no cluster name
    expect(n({ toCluster: ['demo'] })).toBe(
      flows.filter((f) => f.destination?.cluster_name === 'demo').length,
    );
    expect(n({ toCluster: ['demo'] })).toBeLessThan(flows.length);
    expect(n({ ipv4: true })).toBe(flows.length);
    expect(n({ ipv6: true })).toBe(0);
    expect(matchFlow(with_({ IP: undefined }), buildFlowFilters({ ipv4: true }))).toBe(false);
    expect(sel({ uuid: [flows[5].uuid!] })).toEqual([flows[5]]);
  });

  it('--not with the new flags removes what the flag selects', () => {
    for (const o of [
      { httpStatus: ['2+'] },
      { toFqdn: ['*.stripe.com'] },
      { service: ['backend/api'] },
      { tcpFlags: ['syn'] },
    ] as FlowFilterNegations[])
      expect(n({ not: o })).toBe(flows.length - n(o));
  });

  it('agrees with the simulator’s own filter implementation on random combinations of the new flags', () => {
    const flagKeys = {
      fqdn: fc.subarray(['*.stripe.com', 'grafana.com', '*'], { minLength: 1 }),
      toService: fc.subarray(['backend/api', 'kube-system/', 'backend/'], { minLength: 1 }),
      fromWorkload: fc.subarray(['Deployment/', 'payments', 'StatefulSet/prometheus', ''], {
        minLength: 1,
      }),
      toIdentity: fc.subarray(['world', '30711', '9021'], { minLength: 1 }),
      httpStatus: fc.subarray(['2+', '503', '4+'], { minLength: 1 }),
      httpMethod: fc.subarray(['get', 'POST'], { minLength: 1 }),
      httpPath: fc.subarray(['^/v1/', 'metrics$', 'ch_100[0-9]'], { minLength: 1 }),
      httpHeader: fc.subarray(['user-agent:payments/1.4', 'user-agent:prometheus/1.4'], { minLength: 1 }),
      nodeName: fc.subarray(['node-a', 'demo/node-b', '*'], { minLength: 1 }),
      tcpFlags: fc.subarray(['syn', 'syn,ack'], { minLength: 1 }),
      trafficDirection: fc.subarray(['ingress', 'egress'], { minLength: 1, maxLength: 1 }),
      cluster: fc.constant(['demo']),
      ipv4: fc.boolean(),
      not: fc.record(
        { httpUrl: fc.constant(['refunds']), toFqdn: fc.constant(['*.com']) },
        { requiredKeys: [] },
      ),
    };
    const flags = fc.record(flagKeys);
    let nonEmpty = 0;
    fc.assert(
      fc.property(flags, fc.subarray(Object.keys(flagKeys), { minLength: 1, maxLength: 3 }), (all, keys) => {
        // a few flags at a time: all of them together select nothing
        const o = Object.fromEntries(
          keys.filter((k) => k in all).map((k) => [k, (all as Record<string, unknown>)[k]]),
        );
        let filters;
        try {
          filters = buildFlowFilters(o as FlowFilterOptions);
        } catch {
          return; // conflicting flags: nothing to compare
        }
        const ours = flows.filter(compileFilters(filters)).map((f) => f.uuid);
        const sims = flows.filter((f) => simRequestMatches(filters, f)).map((f) => f.uuid);
        if (ours.length) nonEmpty++;
        expect(ours).toEqual(sims);
      }),
      { numRuns: 400 },
    );
    expect(nonEmpty).toBeGreaterThan(20);
  });
});
