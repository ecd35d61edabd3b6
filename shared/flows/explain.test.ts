import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEngine } from '../engine/index';
import { parseSnapshotTexts } from '../snapshot/parse';
import { parseFlowLines } from './jsonl';
import {
  compareFlowWithTrace,
  flowPolicyLabel,
  flowPolicyNames,
  flowToQuestion,
  isDefaultDeny,
} from './explain';
import type { Flow } from './types';

const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
const flows = parseFlowLines(read('../../assets/demo/flows.jsonpb')).flows;
const engine = createEngine(
  parseSnapshotTexts([{ name: 'cluster.yaml', text: read('../../assets/demo/cluster.yaml') }]),
);

function explain(f: Flow) {
  const q = flowToQuestion(f);
  if ('error' in q) throw new Error(q.error);
  let trace;
  try {
    trace = engine.trace(q);
  } catch (err) {
    return compareFlowWithTrace(f, { error: (err as Error).message });
  }
  return compareFlowWithTrace(f, trace);
}

describe('explain a Hubble flow with the engine', () => {
  it('turns a flow into the engine question (reply packets ask about the original direction)', () => {
    const drop = flows.find((f) => f.destination?.pod_name === 'redis-cache-0' && f.verdict === 'DROPPED')!;
    expect(flowToQuestion(drop)).toEqual({
      from: 'backend/api-5c6d7f8b9-fghij',
      to: 'backend/redis-cache-0',
      port: 6379,
      protocol: 'TCP',
    });
    const reply = flows.find((f) => f.is_reply === true && f.source?.pod_name === 'postgres-0')!;
    expect(flowToQuestion(reply)).toMatchObject({ to: 'data/postgres-0', protocol: 'TCP' });
    expect(
      flowToQuestion({ l4: { ICMPv4: { type: 8 } }, IP: { source: '1.1.1.1', destination: '2.2.2.2' } }),
    ).toHaveProperty('error');
    expect(flowToQuestion({ ...drop, source: undefined })).toMatchObject({ from: '10.0.2.22' });
  });

  it('labels default-deny drops (POLICY_DENIED, no policy named)', () => {
    const drop = flows.find((f) => f.verdict === 'DROPPED')!;
    expect(isDefaultDeny(drop)).toBe(true);
    expect(flowPolicyLabel(drop)).toBe('default deny, no allow matched');
    const explicit: Flow = {
      ...drop,
      drop_reason_desc: 'POLICY_DENY',
      drop_reason: 181,
      egress_denied_by: [{ name: 'deny-all', namespace: 'x' }],
    };
    expect(isDefaultDeny(explicit)).toBe(false);
    expect(flowPolicyLabel(explicit)).toBe('denied by x/deny-all');
    const allowed = flows.find((f) => f.ingress_allowed_by?.length)!;
    expect(isDefaultDeny(allowed)).toBe(false);
    expect(flowPolicyNames(allowed).allowedBy.length).toBe(1);
  });

  it('every DROPPED flow of the demo agrees with the engine (the four classic failures)', () => {
    const dropped = flows.filter((f) => f.verdict === 'DROPPED');
    expect(dropped.length).toBeGreaterThan(0);
    for (const f of dropped) {
      const r = explain(f);
      expect(r, `${f.source?.pod_name} -> ${f.destination?.pod_name}`).toMatchObject({
        code: 'agree',
        agrees: true,
        hubble: 'denied',
        engine: 'denied',
        defaultDeny: true,
      });
    }
  });

  it('forwarded flows agree too, including the unintended grafana -> postgres:9187', () => {
    const grafana = flows.find(
      (f) =>
        f.source?.pod_name?.startsWith('grafana') &&
        f.destination?.pod_name === 'postgres-0' &&
        f.is_reply === false,
    )!;
    expect(explain(grafana)).toMatchObject({ code: 'agree', engine: 'allowed', hubble: 'allowed' });
  });

  it('a disagreement is a finding: stale policy, CNI not enforcing, unknown endpoint', () => {
    const allowed = flows.find(
      (f) =>
        f.source?.pod_name?.startsWith('payments') &&
        f.destination?.pod_name?.startsWith('api') &&
        f.is_reply === false,
    )!;
    const droppedButAllowed: Flow = {
      ...allowed,
      verdict: 'DROPPED',
      drop_reason_desc: 'POLICY_DENIED',
      drop_reason: 133,
    };
    expect(explain(droppedButAllowed)).toMatchObject({ code: 'stale-policy', agrees: false });
    const denied = flows.find((f) => f.destination?.pod_name === 'redis-cache-0' && f.verdict === 'DROPPED')!;
    const forwardedButDenied: Flow = {
      ...denied,
      verdict: 'FORWARDED',
      drop_reason_desc: undefined,
      drop_reason: undefined,
    };
    expect(explain(forwardedButDenied)).toMatchObject({ code: 'cni-not-enforcing', agrees: false });
    const ghost: Flow = { ...denied, source: { ...denied.source, pod_name: 'api-gone-zzzzz' } };
    expect(explain(ghost)).toMatchObject({ code: 'unknown-endpoint', agrees: false });
    const other: Flow = { ...denied, drop_reason_desc: 'STALE_OR_UNROUTABLE_IP', drop_reason: 151 };
    expect(explain(other)).toMatchObject({ code: 'not-comparable' });
  });
});
