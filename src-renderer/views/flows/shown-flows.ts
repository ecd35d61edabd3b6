import type { Flow } from '@shared/flows/types';

/** Which flows the table shows: the buffered flows that pass the filter, with counts by verdict. */
export interface ShownFlows {
  flows: Flow[];
  counts: Record<string, number>;
}

/**
 * Keeps the filtered view of the flow buffer up to date by filtering only the flows appended since the last
 * call and dropping the ones evicted from the front, instead of re-filtering the whole buffer on every batch.
 *
 * `buffer` holds the flows with sequence numbers `appended - buffer.length` .. `appended - 1`, where
 * `appended` counts every flow ever appended to the buffer (it never goes down; a cleared buffer is one
 * whose flows were all evicted). A new `test` (filter) re-filters from scratch.
 *
 * The returned `flows` array is the tracker's own and changes in place on later calls (read its length
 * per render); a new filter or a restart hands out a new array. `counts` is a new object on every change.
 */
export class ShownFlowsTracker {
  private test: ((f: Flow) => boolean) | undefined;
  private seqs: number[] = [];
  private shown: Flow[] = [];
  private counts: Record<string, number> = {};
  private appended = 0;
  private started = false;

  update(buffer: readonly Flow[], appended: number, test: ((f: Flow) => boolean) | undefined): ShownFlows {
    const start = appended - buffer.length;
    if (!this.started || test !== this.test || appended < this.appended) {
      this.started = true;
      this.test = test;
      this.seqs = [];
      this.shown = [];
      this.counts = {};
      this.appended = start;
    }
    // the shown flows that left the buffer
    let drop = 0;
    while (drop < this.seqs.length && this.seqs[drop] < start) drop++;
    const from = Math.max(this.appended, start);
    if (drop === 0 && from >= appended) return { flows: this.shown, counts: this.counts };
    // updated in place (no copy of up to a whole buffer per batch); counts are a new object per change
    const counts = { ...this.counts };
    for (let i = 0; i < drop; i++) {
      const v = verdictKey(this.shown[i]);
      counts[v] -= 1;
      if (counts[v] === 0) delete counts[v];
    }
    if (drop) {
      this.seqs.splice(0, drop);
      this.shown.splice(0, drop);
    }
    for (let seq = from; seq < appended; seq++) {
      const f = buffer[seq - start];
      if (test && !test(f)) continue;
      this.seqs.push(seq);
      this.shown.push(f);
      const v = verdictKey(f);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    this.counts = counts;
    this.appended = appended;
    return { flows: this.shown, counts };
  }
}

function verdictKey(f: Flow): string {
  return f.verdict ?? 'UNKNOWN';
}
