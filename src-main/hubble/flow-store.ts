/**
 * Bounded ring buffer of flows (default 100k): the oldest flow is evicted when full and the evictions
 * are counted so the UI can say how many were dropped from view.
 */
import type { Flow } from '@shared/flows/types';
import { materialize, RawFlow, type StoredFlow } from './raw-flow';

export const DEFAULT_FLOW_BUFFER = 100_000;

/**
 * Label lists repeat across flows (every flow of a pod carries the same 5-10 label strings, every flow of
 * a node the same node labels): share one frozen array per distinct list, so 100k flows hold a few
 * hundred label arrays instead of 200k. Bounded; cleared when it grows past its limit.
 */
class ListInterner {
  private readonly map = new Map<string, readonly string[]>();
  constructor(private readonly limit = 20_000) {}
  intern(list: string[] | undefined): string[] | undefined {
    if (!list || list.length === 0) return list;
    const key = list.join('\u0000');
    const hit = this.map.get(key);
    if (hit) return hit as string[];
    if (this.map.size >= this.limit) this.map.clear();
    const frozen = Object.freeze(list.slice());
    this.map.set(key, frozen);
    return frozen as string[];
  }
}

const interner = new ListInterner();

/** Replaces a flow's label lists by shared frozen copies (in place; returns the flow). */
export function internFlowLists(flow: Flow): Flow {
  if (flow.source?.labels) flow.source.labels = interner.intern(flow.source.labels);
  if (flow.destination?.labels) flow.destination.labels = interner.intern(flow.destination.labels);
  if (Array.isArray(flow.node_labels)) flow.node_labels = interner.intern(flow.node_labels as string[]);
  return flow;
}

export class FlowStore {
  private buf: (StoredFlow | undefined)[];
  private head = 0; // index of the oldest flow
  private count = 0;
  private evictedCount = 0;

  constructor(readonly capacity: number = DEFAULT_FLOW_BUFFER) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`flow buffer size must be a positive integer, got ${capacity}`);
    this.buf = new Array<StoredFlow | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** flows pushed out of the buffer so far */
  get evicted(): number {
    return this.evictedCount;
  }

  /** every flow ever pushed (held + evicted) */
  get received(): number {
    return this.count + this.evictedCount;
  }

  /** sequence number of the oldest held flow (flows are numbered 0, 1, ... as they are pushed) */
  get firstSeq(): number {
    return this.evictedCount;
  }

  /** sequence number the next pushed flow gets */
  get nextSeq(): number {
    return this.evictedCount + this.count;
  }

  /** Adds a flow (decoded, or raw from gRPC: kept as its bytes until someone looks at it). */
  push(flow: StoredFlow): void {
    if (!(flow instanceof RawFlow)) internFlowLists(flow);
    if (this.count < this.capacity) {
      this.buf[(this.head + this.count) % this.capacity] = flow;
      this.count++;
      return;
    }
    this.buf[this.head] = flow;
    this.head = (this.head + 1) % this.capacity;
    this.evictedCount++;
  }

  pushMany(flows: readonly StoredFlow[]): void {
    for (const f of flows) this.push(f);
  }

  /** the held entry with this sequence number, as stored (undefined once evicted) */
  entryAtSeq(seq: number): StoredFlow | undefined {
    const i = seq - this.evictedCount;
    if (i < 0 || i >= this.count) return undefined;
    return this.buf[(this.head + i) % this.capacity];
  }

  /** the held flow with this sequence number, decoded (undefined once evicted) */
  atSeq(seq: number): Flow | undefined {
    const e = this.entryAtSeq(seq);
    return e && materialize(e);
  }

  /** i-th held flow, 0 = oldest, decoded */
  at(i: number): Flow | undefined {
    return this.atSeq(this.evictedCount + i);
  }

  last(): Flow | undefined {
    return this.at(this.count - 1);
  }

  /** held flows, oldest first, decoded */
  toArray(): Flow[] {
    const out = new Array<Flow>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = materialize(this.buf[(this.head + i) % this.capacity]!);
    return out;
  }

  /** drops every held flow (they count as evicted, so sequence numbers keep growing) */
  clear(): void {
    this.buf = new Array<StoredFlow | undefined>(this.capacity);
    this.evictedCount += this.count;
    this.head = 0;
    this.count = 0;
  }
}
