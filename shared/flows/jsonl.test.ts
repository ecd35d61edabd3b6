import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { exportFlowLines, parseFlowLines } from './jsonl';
import { formatCompactFlow } from './compact';
import type { Flow } from './types';

const demoText = readFileSync(new URL('../../assets/demo/flows.jsonpb', import.meta.url), 'utf8');

describe('hubble observe -o json|jsonpb import and export', () => {
  it('imports the demo recording without errors, flows in time order', () => {
    const r = parseFlowLines(demoText);
    expect(r.errors).toEqual([]);
    expect(r.flows.length).toBe(demoText.trim().split('\n').length);
    expect(r.flows[0]).toMatchObject({ Type: 'L3_L4', IP: { ipVersion: 'IPv4' } });
  });

  it('reports malformed lines with their line numbers and imports the rest', () => {
    const lines = demoText.trim().split('\n').slice(0, 5);
    lines.splice(2, 0, '{"flow":{"time":"2026-11-30T11:58:00Z"'); // truncated
    lines.splice(4, 0, '');
    lines.splice(5, 0, '[1,2,3]');
    lines.push('{"something":"else"}');
    const r = parseFlowLines(lines.join('\n'));
    expect(r.flows.length).toBe(5);
    expect(r.errors.map((e) => e.line)).toEqual([3, 6, 9]);
    expect(r.errors[0].message).toMatch(/not valid JSON/);
    expect(r.errors[2].message).toMatch(/not a hubble flow/);
  });

  it('accepts legacy bare-flow lines, lowerCamelCase keys and lost-event lines', () => {
    const text = [
      JSON.stringify({
        time: '2026-03-02T10:15:42.118422871Z',
        verdict: 'DROPPED',
        IP: { source: '10.0.0.1', destination: '10.0.0.2' },
      }),
      JSON.stringify({
        flow: {
          time: '2026-03-02T10:15:43Z',
          verdict: 'FORWARDED',
          dropReasonDesc: 'POLICY_DENIED',
          trafficDirection: 'INGRESS',
          l4: { TCP: { destinationPort: 80 } },
          IP: { ipVersion: 'IPv4' },
        },
        nodeName: 'kind/n1',
      }),
      JSON.stringify({
        lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '12' },
        node_name: 'n1',
        time: '2026-03-02T10:15:44Z',
      }),
    ].join('\r\n');
    const r = parseFlowLines(text);
    expect(r.errors).toEqual([]);
    expect(r.lost).toBe(12);
    expect(r.flows[1]).toMatchObject({
      drop_reason_desc: 'POLICY_DENIED',
      traffic_direction: 'INGRESS',
      node_name: 'kind/n1',
      l4: { TCP: { destination_port: 80 } },
      IP: { ipVersion: 'IPv4' },
    });
  });

  it('exports the same lines it imported (round trip), Go-escaped like hubble', () => {
    const r = parseFlowLines(demoText);
    expect(exportFlowLines(r.flows, 'jsonpb')).toBe(demoText);
    expect(exportFlowLines(r.flows, 'json')).toBe(demoText);
    const odd: Flow = { time: '2026-03-02T10:15:42Z', Summary: 'a <b> & c', node_name: 'n' };
    const line = exportFlowLines([odd]);
    expect(line).toContain('a \\u003cb\\u003e \\u0026 c');
    expect(parseFlowLines(line).flows[0]).toEqual(odd);
  });

  it('prints compact lines like hubble observe', () => {
    const flows = parseFlowLines(demoText).flows;
    const drop = flows.find((f) => f.event_type?.type === 1 && f.destination?.pod_name === 'redis-cache-0')!;
    expect(formatCompactFlow(drop)).toMatch(
      /^Nov 30 \d\d:\d\d:\d\d\.\d{3}: backend\/api-5c6d7f8b9-fghij:\d+ \(ID:30711\) -> backend\/redis-cache-0:6379 \(ID:41207\) Policy denied DROPPED \(TCP Flags: SYN\)$/,
    );
    const verdict = flows.find((f) => f.event_type?.type === 5 && f.verdict === 'FORWARDED')!;
    expect(formatCompactFlow(verdict)).toMatch(/policy-verdict:L3-L4 (INGRESS|EGRESS) ALLOWED/);
    const reply = flows.find((f) => f.is_reply === true)!;
    expect(formatCompactFlow(reply)).toContain(' <- ');
    expect(formatCompactFlow({ ...reply, is_reply: undefined })).toContain(' <> ');
    expect(
      formatCompactFlow({
        IP: { source: '1.1.1.1', destination: '10.0.0.1' },
        source: { identity: 2 },
        destination: { identity: 1 },
        event_type: { type: 4, sub_type: 3 },
        verdict: 'FORWARDED',
        is_reply: false,
      }),
    ).toBe('N/A: 1.1.1.1 (world) -> 10.0.0.1 (host) to-stack FORWARDED ()');
  });
});
