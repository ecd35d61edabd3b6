/**
 * FlowView: what the flow inspector shows of one stream — the ring buffer's flows that pass the user's
 * `hubble observe`-style filter (and the window's namespace filter), with counts by verdict. Kept up to date
 * incrementally: each sync filters only the flows pushed since the last one and drops those the ring buffer
 * evicted, so its cost follows the stream's rate, never the buffer's size. A paused view is frozen (it keeps
 * its flows even when the buffer evicts them) and counts what arrives; resuming catches up.
 */
import { buildFlowFilters } from '@shared/flows/filter';
import { compileFilters } from '@shared/flows/match';
import type { Flow, FlowFilterOptions } from '@shared/flows/types';
import { flowRowData, MAX_ROWS_PER_REQUEST, type FlowRowData, type FlowRows } from '@shared/flows/view';
import type { FlowStore } from './flow-store';
import { materialize, storedVerdict, type StoredFlow } from './raw-flow';

export interface FlowViewSettings {
  /** `hubble observe`-style filters (time and count flags are ignored: the view shows the buffer) */
  filter?: FlowFilterOptions;
  /** only flows from or to these namespaces (empty: all) */
  namespaces?: string[];
  paused?: boolean;
}

export interface FlowViewState {
  generation: number;
  base: number;
  total: number;
  counts: Record<string, number>;
  paused: boolean;
  newWhilePaused: number;
}

function viewTest(settings: FlowViewSettings): ((f: Flow) => boolean) | undefined {
  const filter = settings.filter ?? {};
  const { whitelist, blacklist } = buildFlowFilters(filter);
  const test = whitelist.length || blacklist.length ? compileFilters({ whitelist, blacklist }) : undefined;
  const ns = settings.namespaces?.length ? new Set(settings.namespaces) : undefined;
  if (!ns) return test;
  return (f) => {
    const src = f.source?.namespace;
    const dst = f.destination?.namespace;
    if (!(src !== undefined && ns.has(src)) && !(dst !== undefined && ns.has(dst))) return false;
    return !test || test(f);
  };
}

function sameSettings(a: FlowViewSettings, b: FlowViewSettings): boolean {
  return (
    JSON.stringify([a.filter ?? {}, a.namespaces ?? []]) ===
    JSON.stringify([b.filter ?? {}, b.namespaces ?? []])
  );
}

export class FlowView {
  private settings: FlowViewSettings = {};
  private test: ((f: Flow) => boolean) | undefined;
  private generation = 0;
  /** the view's flows and their ring-buffer sequence numbers, oldest first, from index `head` */
  private flows: StoredFlow[] = [];
  private seqs: number[] = [];
  private head = 0;
  /** ordinal of flows[head] */
  private base = 0;
  /** next ring-buffer sequence number to look at */
  private scanned: number;
  private counts: Record<string, number> = {};
  private paused = false;
  /** while paused: next sequence number to count, and the count */
  private pauseScan = 0;
  private newWhilePaused = 0;

  constructor(private readonly store: FlowStore) {
    this.scanned = store.firstSeq;
    this.sync();
  }

  /**
   * Applies new settings. A different filter rebuilds the view (a new generation); pausing freezes it,
   * resuming catches up with the buffer.
   */
  configure(settings: FlowViewSettings): void {
    const next = { filter: settings.filter, namespaces: settings.namespaces };
    if (!sameSettings(this.settings, next)) {
      this.settings = next;
      this.test = viewTest(next);
      this.generation++;
      this.flows = [];
      this.seqs = [];
      this.head = 0;
      this.base = 0;
      this.counts = {};
      this.scanned = this.store.firstSeq;
      // a new filter while paused shows the buffer as it is now, still paused
      const wasPaused = this.paused;
      this.paused = false;
      this.sync();
      if (wasPaused) this.pause();
    }
    if (settings.paused !== undefined && settings.paused !== this.paused) {
      if (settings.paused) {
        this.sync();
        this.pause();
      } else {
        this.paused = false;
        this.newWhilePaused = 0;
      }
    }
    this.sync();
  }

  private pause(): void {
    this.paused = true;
    this.pauseScan = this.store.nextSeq;
    this.newWhilePaused = 0;
  }

  /** Catches up with the ring buffer. Returns true when the view changed. */
  sync(): boolean {
    const store = this.store;
    if (this.paused) {
      const from = Math.max(this.pauseScan, store.firstSeq);
      const to = store.nextSeq;
      let n = 0;
      const test = this.test;
      if (!test) n = Math.max(0, to - from);
      else for (let seq = from; seq < to; seq++) if (test(store.atSeq(seq)!)) n++;
      this.pauseScan = to;
      this.newWhilePaused += n;
      return n > 0;
    }
    let changed = false;
    // the flows the ring buffer evicted
    const first = store.firstSeq;
    let h = this.head;
    while (h < this.seqs.length && this.seqs[h] < first) {
      const v = storedVerdict(this.flows[h]);
      if (--this.counts[v] === 0) delete this.counts[v];
      h++;
    }
    if (h !== this.head) {
      this.base += h - this.head;
      this.head = h;
      changed = true;
      this.compact();
    }
    const to = store.nextSeq;
    const test = this.test;
    for (let seq = Math.max(this.scanned, first); seq < to; seq++) {
      const f = store.entryAtSeq(seq)!;
      // only a filter needs the flow decoded; counting reads the verdict the scan kept
      if (test && !test(materialize(f))) continue;
      this.flows.push(f);
      this.seqs.push(seq);
      const v = storedVerdict(f);
      this.counts[v] = (this.counts[v] ?? 0) + 1;
      changed = true;
    }
    this.scanned = to;
    return changed;
  }

  /** drop the consumed front of the arrays once it is most of them */
  private compact(): void {
    if (this.head < 4096 || this.head < this.flows.length / 2) return;
    this.flows = this.flows.slice(this.head);
    this.seqs = this.seqs.slice(this.head);
    this.head = 0;
  }

  get size(): number {
    return this.flows.length - this.head;
  }

  state(): FlowViewState {
    return {
      generation: this.generation,
      base: this.base,
      total: this.size,
      counts: { ...this.counts },
      paused: this.paused,
      newWhilePaused: this.newWhilePaused,
    };
  }

  /** Table rows from `ordinal` on (at most MAX_ROWS_PER_REQUEST); fewer when the view is shorter. */
  rows(from: number, count: number): FlowRows {
    const start = Math.max(from, this.base);
    const end = Math.min(from + Math.min(count, MAX_ROWS_PER_REQUEST), this.base + this.size);
    const rows: FlowRowData[] = [];
    for (let ord = start; ord < end; ord++)
      rows.push(flowRowData(materialize(this.flows[this.head + ord - this.base]), ord));
    return { generation: this.generation, base: this.base, total: this.size, rows };
  }

  /** The flow with this ordinal, while it is in the view. */
  flow(ordinal: number): Flow | undefined {
    if (ordinal < this.base || ordinal >= this.base + this.size) return undefined;
    return materialize(this.flows[this.head + ordinal - this.base]);
  }

  /** The flows in the view, oldest first. */
  toArray(): Flow[] {
    return this.flows.slice(this.head).map(materialize);
  }

  isGeneration(generation: number): boolean {
    return generation === this.generation;
  }
}
