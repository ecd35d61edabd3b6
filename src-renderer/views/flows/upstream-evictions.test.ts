import { describe, expect, it } from 'vitest';
import type { Flow, FlowBatch } from '@shared/flows/types';
import { UpstreamEvictions } from './upstream-evictions';

const flows = (n: number, from = 0): Flow[] =>
  Array.from({ length: n }, (_, i) => ({ uuid: `f-${from + i}`, verdict: 'FORWARDED' }));

/**
 * The batches a host with a ring buffer of `hostBuffer` flows sends for a live stream: every accepted
 * flow goes into the next batch; held/evicted/received describe the host's ring after it.
 */
function liveBatches(total: number, batch: number, hostBuffer: number, received = true): FlowBatch[] {
  const out: FlowBatch[] = [];
  for (let sent = 0; sent < total; sent += batch) {
    const n = Math.min(batch, total - sent);
    const all = sent + n;
    out.push({
      streamId: 's1',
      flows: flows(n, sent),
      held: Math.min(all, hostBuffer),
      evicted: Math.max(0, all - hostBuffer),
      ...(received ? { received: all } : {}),
    });
  }
  return out;
}

/** the Flows toolbar's evicted count: the renderer's own buffer drops plus flows it never received */
function toolbarEvicted(batches: FlowBatch[], rendererBuffer: number): { shown: number; evicted: number } {
  const upstream = new UpstreamEvictions();
  let shown = 0;
  let evicted = 0;
  for (const b of batches) {
    evicted += upstream.onBatch(b);
    shown += b.flows.length;
    const over = Math.max(0, shown - rendererBuffer);
    shown -= over;
    evicted += over;
  }
  return { shown, evicted };
}

describe('the Flows toolbar evicted count', () => {
  it('counts each flow once when both the host and the renderer buffers overflow', () => {
    // 25k flows through two 10k buffers: 15k are no longer in the table, not 30k
    const r = toolbarEvicted(liveBatches(25_000, 500, 10_000), 10_000);
    expect(r).toEqual({ shown: 10_000, evicted: 15_000 });
  });

  it('does not count flows the host dropped but the renderer still shows', () => {
    const r = toolbarEvicted(liveBatches(25_000, 500, 5_000), 100_000);
    expect(r).toEqual({ shown: 25_000, evicted: 0 });
  });

  it('gives the same count from a host that does not report received', () => {
    const r = toolbarEvicted(liveBatches(25_000, 500, 10_000, false), 10_000);
    expect(r).toEqual({ shown: 10_000, evicted: 15_000 });
  });

  it('counts the flows an import kept out of the host buffer, which the renderer never received', () => {
    // a 30k-flow file into a 10k host buffer: the host sends the newest 10k in chunks
    const held = flows(10_000, 20_000);
    const batches: FlowBatch[] = [0, 5000].map((i) => ({
      streamId: 'imp',
      flows: held.slice(i, i + 5000),
      held: 10_000,
      evicted: 20_000,
      received: 30_000,
    }));
    expect(toolbarEvicted(batches, 100_000)).toEqual({ shown: 10_000, evicted: 20_000 });
  });

  it('keeps streams apart', () => {
    const u = new UpstreamEvictions();
    expect(u.onBatch({ streamId: 'a', flows: flows(10), held: 10, evicted: 90, received: 100 })).toBe(90);
    expect(u.onBatch({ streamId: 'b', flows: flows(10), held: 10, evicted: 0, received: 10 })).toBe(0);
    expect(u.onBatch({ streamId: 'a', flows: flows(10), held: 10, evicted: 100, received: 110 })).toBe(0);
  });
});
