import type { FlowBatch } from '@shared/flows/types';

/**
 * How many flows of a stream the renderer never received, so the Flows toolbar's "evicted" count can add
 * them to its own buffer's evictions without counting a flow twice.
 *
 * `FlowBatch.evicted` counts the flows pushed out of the host's ring buffer. For a live stream the host
 * has already sent every one of those flows in an earlier batch, so they are in the renderer's table (or
 * were counted when the renderer's own buffer dropped them): adding `evicted` again counted each flow
 * twice once both buffers were full. Only flows the host received but never sent (e.g. an import larger
 * than the host's buffer sends just the newest, in chunks) are missing from the renderer: `received` minus
 * the flows it will get, which are at least those delivered so far and those the host holds (every held
 * flow is sent: a live stream's at once, an import's in the following chunks).
 */
export class UpstreamEvictions {
  private readonly delivered = new Map<string, number>();
  private readonly missing = new Map<string, number>();

  /** Records a batch; returns how many more of the stream's flows the renderer will never receive. */
  onBatch(b: Pick<FlowBatch, 'streamId' | 'flows' | 'held' | 'evicted' | 'received'>): number {
    const delivered = (this.delivered.get(b.streamId) ?? 0) + b.flows.length;
    this.delivered.set(b.streamId, delivered);
    const received = b.received ?? b.held + b.evicted;
    const missing = Math.max(0, received - Math.max(delivered, b.held));
    const before = this.missing.get(b.streamId) ?? 0;
    if (missing <= before) return 0;
    this.missing.set(b.streamId, missing);
    return missing - before;
  }

  clear(): void {
    this.delivered.clear();
    this.missing.clear();
  }
}
