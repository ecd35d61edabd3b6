import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { buildFlowFilters, buildFlowRequest } from './filter';
import { parseFlowLines } from './jsonl';
import { compileFilters, matchFlow, selectFlows } from './match';
import { parseLabelSelector } from './label-selector';
import { simRequestMatches } from '../../test/hubble-sim/filter';
import type { Flow, FlowFilterOptions } from './types';

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
