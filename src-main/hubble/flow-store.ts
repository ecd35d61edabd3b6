/**
 * Bounded ring buffer of flows (default 100k): the oldest flow is evicted when full and the evictions
 * are counted so the UI can say how many were dropped from view.
 */
import type { Flow } from '@shared/flows/types';

export const DEFAULT_FLOW_BUFFER = 100_000;

export class FlowStore {
  private buf: (Flow | undefined)[];
  private head = 0; // index of the oldest flow
  private count = 0;
  private evictedCount = 0;

  constructor(readonly capacity: number = DEFAULT_FLOW_BUFFER) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`flow buffer size must be a positive integer, got ${capacity}`);
    this.buf = new Array<Flow | undefined>(capacity);
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

  push(flow: Flow): void {
    if (this.count < this.capacity) {
      this.buf[(this.head + this.count) % this.capacity] = flow;
      this.count++;
      return;
    }
    this.buf[this.head] = flow;
    this.head = (this.head + 1) % this.capacity;
    this.evictedCount++;
  }

  pushMany(flows: readonly Flow[]): void {
    for (const f of flows) this.push(f);
  }

  /** i-th held flow, 0 = oldest */
  at(i: number): Flow | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.buf[(this.head + i) % this.capacity];
  }

  last(): Flow | undefined {
    return this.at(this.count - 1);
  }

  /** held flows, oldest first */
  toArray(): Flow[] {
    const out = new Array<Flow>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.buf[(this.head + i) % this.capacity]!;
    return out;
  }

  clear(): void {
    this.buf = new Array<Flow | undefined>(this.capacity);
    this.head = 0;
    this.count = 0;
  }
}
