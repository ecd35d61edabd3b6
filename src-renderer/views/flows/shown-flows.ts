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
    const counts = { ...this.counts };
    for (let i = 0; i < drop; i++) {
      const v = verdictKey(this.shown[i]);
      counts[v] -= 1;
      if (counts[v] === 0) delete counts[v];
    }
    const seqs = this.seqs.slice(drop);
    const shown = this.shown.slice(drop);
    for (let seq = from; seq < appended; seq++) {
      const f = buffer[seq - start];
      if (test && !test(f)) continue;
      seqs.push(seq);
      shown.push(f);
      const v = verdictKey(f);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    this.seqs = seqs;
    this.shown = shown;
    this.counts = counts;
    this.appended = appended;
    return { flows: shown, counts };
  }
}

function verdictKey(f: Flow): string {
  return f.verdict ?? 'UNKNOWN';
}
