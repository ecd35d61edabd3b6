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
