import type { FlowRowData, FlowViewUpdate } from '@shared/flows/view';
import { api } from '../../api';

/** rows are fetched in aligned chunks of this many */
const CHUNK = 100;
/** cached rows beyond this are dropped (all but the ones on screen) */
const MAX_CACHED = 20_000;

/**
 * The flow table's rows, fetched from main's view by ordinal as they come on screen and kept until the
 * view moves past them or its filter changes. React reads it through useSyncExternalStore.
 */
export class RowCache {
  private streamId?: string;
  private generation = -1;
  private base = 0;
  private rows = new Map<number, FlowRowData>();
  private inflight = new Set<number>();
  private version = 0;
  private readonly listeners = new Set<() => void>();
  /** the range the table last asked for (kept when trimming) */
  private wanted: [number, number] = [0, 0];

  constructor(
    private readonly fetchRows: (req: {
      streamId: string;
      generation: number;
      from: number;
      count: number;
    }) => Promise<{ generation: number; rows: FlowRowData[] }>,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  reset(): void {
    this.streamId = undefined;
    this.generation = -1;
    this.rows.clear();
    this.inflight.clear();
    this.changed();
  }

  /** A new view update: a new stream or filter empties the cache; rows that left the view are dropped. */
  onView(view: FlowViewUpdate): void {
    if (view.streamId !== this.streamId || view.generation !== this.generation) {
      this.streamId = view.streamId;
      this.generation = view.generation;
      this.rows.clear();
      this.inflight.clear();
      this.base = view.base;
      this.changed();
      return;
    }
    if (view.base > this.base) {
      for (const ord of this.rows.keys()) if (ord < view.base) this.rows.delete(ord);
      this.base = view.base;
    }
  }

  get(ordinal: number): FlowRowData | undefined {
    return this.rows.get(ordinal);
  }

  /** Fetches the rows of ordinals [from, to) that are not cached yet. */
  ensure(from: number, to: number): void {
    const streamId = this.streamId;
    if (streamId === undefined || to <= from) return;
    this.wanted = [from, to];
    const generation = this.generation;
    for (let c = Math.floor(from / CHUNK) * CHUNK; c < to; c += CHUNK) {
      if (this.inflight.has(c)) continue;
      let missing = false;
      for (let o = Math.max(c, from); o < Math.min(c + CHUNK, to); o++)
        if (!this.rows.has(o)) {
          missing = true;
          break;
        }
      if (!missing) continue;
      this.inflight.add(c);
      this.fetchRows({ streamId, generation, from: c, count: CHUNK })
        .then((res) => {
          if (streamId !== this.streamId || res.generation !== this.generation) return;
          for (const r of res.rows) if (r.ordinal >= this.base) this.rows.set(r.ordinal, r);
          this.trim();
          this.changed();
        })
        .catch(() => {
          // stale generation or a closed stream: the next view update asks again
        })
        .finally(() => {
          if (streamId === this.streamId && generation === this.generation) this.inflight.delete(c);
        });
    }
  }

  private trim(): void {
    if (this.rows.size <= MAX_CACHED) return;
    const [from, to] = this.wanted;
    for (const ord of this.rows.keys()) if (ord < from - CHUNK || ord >= to + CHUNK) this.rows.delete(ord);
  }
}

export const rowCache = new RowCache((req) => api.flows.rows(req));
