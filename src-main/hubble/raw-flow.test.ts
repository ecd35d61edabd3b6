import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlowLines } from '@shared/flows/jsonl';
import { splitTimestamp } from '@shared/flows/time';
import { flowToProto, stringToTs } from './convert';
import { loadObserverProto } from './proto-load';
import { decodeRawFlow, materialize, RawFlow, scanFlowsResponse, storedVerdict } from './raw-flow';

const demo = parseFlowLines(readFileSync(resolve(__dirname, '../../assets/demo/flows.jsonpb'), 'utf8')).flows;
const { observerService } = loadObserverProto();
const encode = (res: Record<string, unknown>) => observerService.GetFlows.responseSerialize(res);

describe('raw flows from GetFlows responses', () => {
  it('keep what the stream reads of every flow, and decode to the same flow the JSON shape has', () => {
    for (const f of demo) {
      const scanned = scanFlowsResponse(encode({ flow: flowToProto(f) }));
      expect('flow' in scanned).toBe(true);
      const raw = (scanned as { flow: RawFlow }).flow;
      expect(raw.uuid).toBe(f.uuid);
      expect(storedVerdict(raw)).toBe(f.verdict ?? 'UNKNOWN');
      expect([raw.seconds, raw.nanos]).toEqual(splitTimestamp(f.time!));
      expect(decodeRawFlow(raw)).toEqual(f);
      expect(materialize(raw)).toEqual(f);
    }
  });

  it("takes the response's node name and time when the flow has none (as Relay sends them)", () => {
    const f = { ...demo[0] };
    delete f.node_name;
    delete f.time;
    const scanned = scanFlowsResponse(
      encode({ flow: flowToProto(f), node_name: 'kind-worker', time: stringToTs('2026-11-30T10:00:01.5Z') }),
    ) as { flow: RawFlow };
    const decoded = decodeRawFlow(scanned.flow);
    expect(decoded.node_name).toBe('kind-worker');
    expect(decoded.time).toBe('2026-11-30T10:00:01.500Z');
    expect([scanned.flow.seconds, scanned.flow.nanos]).toEqual(splitTimestamp('2026-11-30T10:00:01.5Z'));
  });

  it('decodes node status and lost events in full', () => {
    const lost = scanFlowsResponse(
      encode({ lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '42' } }),
    );
    expect(lost).toEqual({ other: { lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: '42' } } });
    const status = scanFlowsResponse(
      encode({ node_status: { state_change: 'NODE_UNAVAILABLE', node_names: ['node-b'] } }),
    );
    expect(status).toMatchObject({
      other: { node_status: { state_change: 'NODE_UNAVAILABLE', node_names: ['node-b'] } },
    });
  });
});
