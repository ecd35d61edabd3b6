import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Flow } from '@shared/flows/types';
import { ShownFlowsTracker } from './shown-flows';

const VERDICTS = ['FORWARDED', 'DROPPED', 'AUDIT', undefined];
let next = 0;
const flow = (v: number): Flow => ({ uuid: `f-${next++}`, verdict: VERDICTS[v % VERDICTS.length] });
const dropped = (f: Flow) => f.verdict === 'DROPPED';
const notForwarded = (f: Flow) => f.verdict !== 'FORWARDED';

function expected(buffer: Flow[], test: ((f: Flow) => boolean) | undefined) {
  const flows = test ? buffer.filter(test) : buffer.slice();
  const counts: Record<string, number> = {};
  for (const f of flows) counts[f.verdict ?? 'UNKNOWN'] = (counts[f.verdict ?? 'UNKNOWN'] ?? 0) + 1;
  return { flows, counts };
}

type Op =
  | { kind: 'append'; verdicts: number[] }
  | { kind: 'clear' }
  | { kind: 'filter'; which: number }
  | { kind: 'same' };

describe('ShownFlowsTracker', () => {
  it('shows exactly what filtering the whole bounded buffer shows, after any appends, evictions, clears and filter changes', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('append' as const),
          verdicts: fc.array(fc.nat(7), { maxLength: 12 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('filter' as const), which: fc.nat(2) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('same' as const) }) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(op, { maxLength: 40 }), (bufferSize, ops) => {
        const tracker = new ShownFlowsTracker();
        const tests = [undefined, dropped, notForwarded];
        let buffer: Flow[] = [];
        let appended = 0;
        let test: ((f: Flow) => boolean) | undefined;
        for (const o of ops) {
          if (o.kind === 'append') {
            const all = buffer.concat(o.verdicts.map(flow));
            buffer = all.slice(Math.max(0, all.length - bufferSize));
            appended += o.verdicts.length;
          } else if (o.kind === 'clear') buffer = [];
          else if (o.kind === 'filter') test = tests[o.which];
          const got = tracker.update(buffer, appended, test);
          const want = expected(buffer, test);
          expect(got.flows).toEqual(want.flows);
          expect(got.counts).toEqual(want.counts);
        }
      }),
    );
  });

  it('hands back the same counts object when nothing changed, and a new one (the old one intact) when flows arrive', () => {
    const tracker = new ShownFlowsTracker();
    const buffer = [flow(0), flow(1)];
    const first = tracker.update(buffer, 2, undefined);
    expect(tracker.update(buffer, 2, undefined).counts).toBe(first.counts);
    const countsBefore = { ...first.counts };
    const second = tracker.update(buffer.slice(1).concat([flow(1)]), 3, undefined);
    expect(second.counts).not.toBe(first.counts);
    expect(first.counts).toEqual(countsBefore);
    expect(second.counts).toEqual({ DROPPED: 2 });
    expect(second.flows.map((f) => f.verdict)).toEqual(['DROPPED', 'DROPPED']);
  });
});
