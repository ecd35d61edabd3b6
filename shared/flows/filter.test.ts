import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildFlowFilters,
  buildFlowRequest,
  FlowFilterError,
  parseHubbleArgs,
  toHubbleCommand,
} from './filter';
import type { FlowFilterOptions } from './types';

describe('buildFlowFilters: hubble observe flags → allow/deny FlowFilter lists', () => {
  it('puts "either side" flags into a source filter OR a destination filter', () => {
    expect(buildFlowFilters({ pod: ['backend/api'] }).whitelist).toEqual([
      { source_pod: ['backend/api'] },
      { destination_pod: ['backend/api'] },
    ]);
    expect(buildFlowFilters({ ip: ['10.0.1.0/24'] }).whitelist).toEqual([
      { source_ip: ['10.0.1.0/24'] },
      { destination_ip: ['10.0.1.0/24'] },
    ]);
    expect(buildFlowFilters({ port: [8080] }).whitelist).toEqual([
      { source_port: ['8080'] },
      { destination_port: ['8080'] },
    ]);
    expect(buildFlowFilters({ label: ['app=web'] }).whitelist).toEqual([
      { source_label: ['app=web'] },
      { destination_label: ['app=web'] },
    ]);
  });

  it('adds single-side and plain flags to both halves and collapses equal halves', () => {
    expect(buildFlowFilters({ verdict: ['DROPPED'] }).whitelist).toEqual([{ verdict: ['DROPPED'] }]);
    expect(buildFlowFilters({ toPod: ['backend/api'], verdict: ['dropped'] }).whitelist).toEqual([
      { destination_pod: ['backend/api'], verdict: ['DROPPED'] },
    ]);
    expect(buildFlowFilters({ pod: ['x/y'], verdict: ['DROPPED'], protocol: ['TCP'] }).whitelist).toEqual([
      { verdict: ['DROPPED'], source_pod: ['x/y'], protocol: ['tcp'] },
      { verdict: ['DROPPED'], destination_pod: ['x/y'], protocol: ['tcp'] },
    ]);
  });

  it('turns --namespace into namespace pod prefixes on each side, like the CLI', () => {
    expect(buildFlowFilters({ namespace: ['frontend'] }).whitelist).toEqual([
      { source_pod: ['frontend/'] },
      { destination_pod: ['frontend/'] },
    ]);
    // a bare pod name gets the namespace; an explicit ns/pod keeps its own
    expect(buildFlowFilters({ namespace: ['backend'], pod: ['api'] }).whitelist).toEqual([
      { source_pod: ['backend/api'] },
      { destination_pod: ['backend/api'] },
    ]);
    expect(() => buildFlowFilters({ namespace: ['backend'], pod: ['data/postgres-0'] })).toThrow(
      /namespace conflict/,
    );
  });

  it('sends --not filters to the deny list', () => {
    const { whitelist, blacklist } = buildFlowFilters({
      verdict: ['DROPPED'],
      not: { namespace: ['kube-system'] },
    });
    expect(whitelist).toEqual([{ verdict: ['DROPPED'] }]);
    expect(blacklist).toEqual([{ source_pod: ['kube-system/'] }, { destination_pod: ['kube-system/'] }]);
  });

  it('parses --type names, sub-types and numbers', () => {
    expect(buildFlowFilters({ type: ['drop'] }).whitelist).toEqual([{ event_type: [{ type: 1 }] }]);
    expect(buildFlowFilters({ type: ['trace:to-endpoint'] }).whitelist).toEqual([
      { event_type: [{ type: 4, match_sub_type: true, sub_type: 0 }] },
    ]);
    expect(buildFlowFilters({ type: ['policy-verdict', '1:133'] }).whitelist).toEqual([
      { event_type: [{ type: 5 }, { type: 1, match_sub_type: true, sub_type: 133 }] },
    ]);
  });

  it('rejects bad values and conflicting flags with clear messages', () => {
    expect(() => buildFlowFilters({ verdict: ['ALLOWED'] })).toThrow(FlowFilterError);
    expect(() => buildFlowFilters({ dropReasonDesc: ['NOPE'] })).toThrow(/invalid --drop-reason-desc/);
    expect(() => buildFlowFilters({ protocol: ['sctp'] })).toThrow(/invalid --protocol/);
    expect(() => buildFlowFilters({ type: ['nonsense'] })).toThrow(/invalid --type/);
    expect(() => buildFlowFilters({ label: ['a=b'], fromLabel: ['c=d'] })).toThrow(
      /filters --label and --from-label cannot be combined/,
    );
    expect(() => buildFlowFilters({ namespace: ['a'], fromPod: ['a/b'] })).toThrow(/cannot be combined/);
  });
});

describe('buildFlowRequest: selectors', () => {
  const now = Date.parse('2026-03-02T10:15:00Z');
  it('asks for the last 20 flows by default, like hubble observe', () => {
    expect(buildFlowRequest({}, now)).toEqual({ whitelist: [], blacklist: [], number: 20 });
    expect(buildFlowRequest({ follow: true }, now)).toEqual({ whitelist: [], blacklist: [], follow: true });
    expect(buildFlowRequest({ last: 5, follow: true }, now)).toMatchObject({ number: 5, follow: true });
  });
  it('resolves relative and absolute times; --until is ignored with --follow', () => {
    expect(buildFlowRequest({ since: '5m' }, now)).toEqual({
      whitelist: [],
      blacklist: [],
      since: '2026-03-02T10:10:00.000Z',
    });
    expect(buildFlowRequest({ since: '2026-03-02T08:00:00Z', until: '1h30m' }, now)).toMatchObject({
      since: '2026-03-02T08:00:00.000Z',
      until: '2026-03-02T08:45:00.000Z',
    });
    expect(buildFlowRequest({ since: '1h', until: '5m', follow: true }, now).until).toBeUndefined();
    expect(() => buildFlowRequest({ since: 'yesterday' }, now)).toThrow(/invalid time "yesterday"/);
    expect(() => buildFlowRequest({ since: '5m', until: '1h' }, now)).toThrow(
      /--since must be before --until/,
    );
  });
  it('--first sets first and number, and refuses --follow', () => {
    expect(buildFlowRequest({ first: 3 }, now)).toMatchObject({ number: 3, first: true });
    expect(() => buildFlowRequest({ first: 3, follow: true }, now)).toThrow(
      /--first cannot be combined with --follow/,
    );
  });
});

describe('the equivalent hubble observe command', () => {
  it('prints flags the way a user would type them', () => {
    expect(
      toHubbleCommand({ verdict: ['DROPPED'], toPod: ['backend/api'], port: [8080], follow: true }),
    ).toBe('hubble observe --follow --verdict DROPPED --to-pod backend/api --port 8080');
    expect(toHubbleCommand({ label: ['app in (web, api)'], not: { namespace: ['kube-system'] } })).toBe(
      "hubble observe --label 'app in (web, api)' --not --namespace kube-system",
    );
  });

  it('parses back to the same options (round trip)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
    const opts = fc.record(
      {
        verdict: fc.subarray(['FORWARDED', 'DROPPED', 'AUDIT'], { minLength: 1 }),
        toPod: fc.array(
          fc.tuple(name, name).map(([a, b]) => `${a}/${b}`),
          { minLength: 1, maxLength: 2 },
        ),
        label: fc.array(
          fc.tuple(name, name).map(([k, v]) => `${k} in (${v}, x)`),
          { minLength: 1, maxLength: 2 },
        ),
        protocol: fc.subarray(['tcp', 'udp'], { minLength: 1 }),
        port: fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 2 }),
        last: fc.integer({ min: 1, max: 1000 }),
        since: fc.constantFrom('5m', '1h30m', '2026-03-02T10:15:00Z'),
        follow: fc.constant(true),
        not: fc.record({ namespace: fc.array(name, { minLength: 1, maxLength: 2 }) }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(opts, (o) => {
        const parsed = parseHubbleArgs(toHubbleCommand(o as FlowFilterOptions));
        expect(parsed).toEqual(o);
      }),
      { numRuns: 200 },
    );
  });

  it('reports unknown flags and missing values', () => {
    expect(() => parseHubbleArgs('--verdict')).toThrow(/--verdict needs a value/);
    expect(() => parseHubbleArgs('--colour red')).toThrow(/unknown filter flag --colour/);
    expect(() => parseHubbleArgs('--not')).toThrow(/--not must be followed/);
    expect(() => parseHubbleArgs('--port 99999')).toThrow(/invalid --port/);
    expect(parseHubbleArgs('hubble observe -f --to-port=53 -t drop')).toEqual({
      follow: true,
      toPort: [53],
      type: ['drop'],
    });
  });
});

describe('buildFlowFilters: the rest of the hubble observe filter flags', () => {
  const allow = (o: FlowFilterOptions) => buildFlowFilters(o).whitelist;

  it('--fqdn, --service, --workload, --identity, --cluster: either side; from/to: one side', () => {
    expect(allow({ fqdn: ['*.stripe.com'] })).toEqual([
      { source_fqdn: ['*.stripe.com'] },
      { destination_fqdn: ['*.stripe.com'] },
    ]);
    expect(allow({ toFqdn: ['api.stripe.com'], fromFqdn: ['x.example.com'] })).toEqual([
      { source_fqdn: ['x.example.com'], destination_fqdn: ['api.stripe.com'] },
    ]);
    expect(allow({ service: ['backend/api'] })).toEqual([
      { source_service: ['backend/api'] },
      { destination_service: ['backend/api'] },
    ]);
    expect(allow({ workload: ['Deployment/web'] })).toEqual([
      { source_workload: [{ kind: 'Deployment', name: 'web' }] },
      { destination_workload: [{ kind: 'Deployment', name: 'web' }] },
    ]);
    // [kind/]name: a bare name, a kind with no name, nothing
    expect(allow({ toWorkload: ['redis-cache', 'StatefulSet/', ''] })).toEqual([
      { destination_workload: [{ name: 'redis-cache' }, { kind: 'StatefulSet' }, {}] },
    ]);
    expect(allow({ identity: ['world', '12482'] })).toEqual([
      { source_identity: [2, 12482] },
      { destination_identity: [2, 12482] },
    ]);
    // reserved names and Go ParseUint base-0 numbers
    expect(allow({ fromIdentity: ['remote-node', 'kube-apiserver', '0x10', '0o17', '0b11', '017'] })).toEqual(
      [{ source_identity: [6, 7, 16, 15, 3, 15] }],
    );
    expect(allow({ cluster: ['demo'], toCluster: ['other'] })).toEqual([
      { source_cluster_name: ['demo'], destination_cluster_name: ['other'] },
      { destination_cluster_name: ['demo', 'other'] },
    ]);
  });

  it('--namespace prefixes services as well as pods; --from/--to-namespace act on one side', () => {
    expect(allow({ namespace: ['backend'], service: ['api'] })).toEqual([
      { source_service: ['backend/api'] },
      { destination_service: ['backend/api'] },
    ]);
    expect(allow({ namespace: ['backend', 'data'], service: ['api'] })).toEqual([
      { source_service: ['backend/api', 'data/api'] },
      { destination_service: ['backend/api', 'data/api'] },
    ]);
    expect(allow({ toService: ['backend/api'], fromNamespace: ['payments'] })).toEqual([
      { source_pod: ['payments/'], destination_service: ['backend/api'] },
    ]);
    expect(allow({ toNamespace: ['kube-system'], toPod: ['coredns'] })).toEqual([
      { destination_pod: ['kube-system/coredns'] },
    ]);
    expect(allow({ fromNamespace: ['frontend'], toNamespace: ['backend'] })).toEqual([
      { source_pod: ['frontend/'], destination_pod: ['backend/'] },
    ]);
  });

  it('L7, node, flags, direction, uuid and IP version flags go to both halves', () => {
    expect(
      allow({
        httpStatus: ['5+', '404'],
        httpMethod: ['get'],
        httpPath: ['^/v1/charges'],
        httpUrl: ['stripe'],
        httpHeader: ['user-agent:curl/8.5', 'x-a:b:c'],
        nodeName: ['demo/node-*'],
        tcpFlags: ['syn,ack', 'RST'],
        trafficDirection: ['Ingress'],
        uuid: ['u-1'],
        ipv4: true,
        ipv6: true,
      }),
    ).toEqual([
      {
        uuid: ['u-1'],
        node_name: ['demo/node-*'],
        ip_version: ['IPv4', 'IPv6'],
        tcp_flags: [{ SYN: true, ACK: true }, { RST: true }],
        traffic_direction: ['INGRESS'],
        http_status_code: ['5+', '404'],
        http_method: ['get'],
        http_path: ['^/v1/charges'],
        http_url: ['stripe'],
        http_header: [
          { key: 'user-agent', value: 'curl/8.5' },
          { key: 'x-a', value: 'b:c' },
        ],
      },
    ]);
    expect(buildFlowFilters({ not: { httpMethod: ['GET'], ipv6: true } })).toEqual({
      whitelist: [],
      blacklist: [{ http_method: ['GET'], ip_version: ['IPv6'] }],
    });
  });

  it('rejects the combinations the hubble CLI rejects, with its messages', () => {
    const err = (o: FlowFilterOptions) => {
      try {
        buildFlowFilters(o);
      } catch (e) {
        expect(e).toBeInstanceOf(FlowFilterError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(err({ namespace: ['a'], toService: ['a/b'] })).toBe(
      'filters --to-service and --namespace cannot be combined',
    );
    expect(err({ service: ['a/b'], fromService: ['a/c'] })).toBe(
      'filters --service and --from-service cannot be combined',
    );
    expect(err({ fqdn: ['x.io'], fromIp: ['1.1.1.1'] })).toBe(
      'filters --from-ip and --fqdn cannot be combined',
    );
    expect(err({ toFqdn: ['x.io'], toPod: ['a/b'] })).toBe(
      'filters --to-fqdn and --to-pod cannot be combined',
    );
    expect(err({ fqdn: ['x.io'], namespace: ['a'] })).toBe(
      'filters --fqdn and --namespace cannot be combined',
    );
    expect(err({ toNamespace: ['a'], toIp: ['1.1.1.1'] })).toBe(
      'filters --to-ip and --to-namespace cannot be combined',
    );
    expect(err({ identity: ['1'], toIdentity: ['2'] })).toBe(
      'filters --identity and --to-identity cannot be combined',
    );
    expect(err({ workload: ['a'], fromWorkload: ['b'] })).toBe(
      'filters --workload and --from-workload cannot be combined',
    );
    // namespace consistency between pods and services on one side
    expect(err({ fromPod: ['backend/api'], fromService: ['data/pg'] })).toBe(
      'namespace of service "data/pg" conflict with pod "backend"',
    );
    expect(err({ toNamespace: ['backend'], toPod: ['data/x'] })).toBe(
      'namespace conflict: "backend" does not contain "data/x"',
    );
    // the same flags negated are a separate (deny) list: no conflict with the allow list
    expect(err({ identity: ['1'], not: { toIdentity: ['2'] } })).toBe('accepted');
  });

  it('rejects bad values with the CLI’s (or the Hubble server’s) message', () => {
    const msg = (o: FlowFilterOptions) => () => buildFlowFilters(o);
    expect(msg({ identity: ['nope'] })).toThrow(
      'invalid security identity, expected one of [host world unmanaged health init remote-node kube-apiserver ingress world-ipv4 world-ipv6] or a numeric value',
    );
    expect(msg({ identity: ['4294967296'] })).toThrow(/invalid security identity/);
    expect(msg({ identity: ['unknown'] })).toThrow(/invalid security identity/);
    expect(msg({ httpHeader: ['no-colon'] })).toThrow(
      'invalid http-header value "no-colon", expected name:value',
    );
    expect(msg({ tcpFlags: ['syn,bogus'] })).toThrow('unknown tcp flag: bogus');
    expect(msg({ trafficDirection: ['Sideways'] })).toThrow(
      'sideways: invalid traffic direction, expected ingress or egress',
    );
    expect(msg({ httpStatus: ['6+'] })).toThrow(
      'invalid http status code filter: invalid status code prefix: "6+"',
    );
    expect(msg({ httpStatus: ['5'] })).toThrow(/invalid status code prefix: "5"/);
    expect(msg({ httpStatus: ['200+'] })).toThrow(/invalid status code prefix/);
    expect(msg({ httpPath: ['('] })).toThrow(/invalid http path filter/);
    expect(msg({ toFqdn: ['a/b.com'] })).toThrow("'/': invalid rune in pattern");
    expect(msg({ toFqdn: ['example.com..'] })).toThrow('multiple trailing dots in pattern');
    expect(msg({ toFqdn: [' '] })).toThrow('empty pattern');
    expect(msg({ nodeName: ['a/b/c'] })).toThrow('too many slashes in pattern');
    expect(msg({ cluster: [''] })).toThrow('invalid filter, name must not be empty');
    expect(msg({ toService: ['/'] })).toThrow(
      'invalid destination service filter: invalid filter, must be [namespace/][<name>], got "/"',
    );
    // HTTP filters need an event type filter that lets L7 events through (Hubble's server refuses otherwise)
    expect(msg({ httpMethod: ['GET'], type: ['trace'] })).toThrow(
      "filtering by http method requires the event type filter to only match 'l7' events",
    );
    expect(msg({ httpMethod: ['GET'], type: ['trace', 'l7'] })).not.toThrow();
  });

  it('round trip of the new flags through the command line', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const opts = fc.record(
      {
        fromFqdn: fc.array(
          word.map((w) => `*.${w}.io`),
          { minLength: 1, maxLength: 2 },
        ),
        fromService: fc.array(
          fc.tuple(word, word).map(([a, b]) => `${a}/${b}`),
          { minLength: 1, maxLength: 2 },
        ),
        toWorkload: fc.array(
          fc.tuple(fc.constantFrom('Deployment/', 'StatefulSet/', ''), word).map(([k, n]) => k + n),
          { minLength: 1, maxLength: 2 },
        ),
        fromIdentity: fc.array(
          fc.oneof(fc.constantFrom('world', 'host', 'remote-node'), fc.nat({ max: 70000 }).map(String)),
          { minLength: 1, maxLength: 2 },
        ),
        httpStatus: fc.subarray(['200', '5+', '40+'], { minLength: 1 }),
        httpMethod: fc.subarray(['get', 'POST'], { minLength: 1 }),
        httpHeader: fc.array(
          fc.tuple(word, fc.string()).map(([k, v]) => `${k}:${v}`),
          { minLength: 1, maxLength: 2 },
        ),
        httpPath: fc.array(
          word.map((w) => `^/v1/${w}(/[0-9]+)? $`),
          { minLength: 1, maxLength: 2 },
        ),
        nodeName: fc.subarray(['demo/node-*', 'node-a'], { minLength: 1 }),
        trafficDirection: fc.subarray(['ingress', 'egress'], { minLength: 1 }),
        tcpFlags: fc.subarray(['syn', 'syn,ack', 'rst'], { minLength: 1 }),
        uuid: fc.array(fc.uuid(), { minLength: 1, maxLength: 2 }),
        cluster: fc.array(word, { minLength: 1, maxLength: 2 }),
        ipv4: fc.constant(true),
        not: fc
          .record(
            {
              ipv6: fc.constant(true),
              toNamespace: fc.array(word, { minLength: 1, maxLength: 2 }),
              httpUrl: fc.constant(["it's \\.com"]),
            },
            { requiredKeys: [] },
          )
          .filter((o) => Object.keys(o).length > 0),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(opts, (o) => {
        const cmd = toHubbleCommand(o as FlowFilterOptions);
        expect(parseHubbleArgs(cmd)).toEqual(o);
      }),
      { numRuns: 200 },
    );
    expect(toHubbleCommand({ toFqdn: ['*.stripe.com'], ipv6: true, not: { ipv4: true } })).toBe(
      "hubble observe --to-fqdn '*.stripe.com' --ipv6 --not --ipv4",
    );
    expect(parseHubbleArgs('-4 --not -6 --from-workload=Deployment/web -t l7 --http-status 5+')).toEqual({
      ipv4: true,
      type: ['l7'],
      fromWorkload: ['Deployment/web'],
      httpStatus: ['5+'],
      not: { ipv6: true },
    });
  });
});
