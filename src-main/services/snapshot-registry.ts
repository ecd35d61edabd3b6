import { randomUUID } from 'node:crypto';
import { ApiError } from '@shared/api/contract';
import type { Snapshot } from '@shared/snapshot/types';

export interface LiveHandle {
  stop(): void;
}

interface Entry<E> {
  snapshot: Snapshot;
  engine?: E;
  live?: LiveHandle;
}

/**
 * The snapshots one session has open: id → snapshot, its engine (built once, on first use, and
 * rebuilt only after the snapshot changes) and the live watch keeping it current.
 */
export class SnapshotRegistry<E> {
  private readonly entries = new Map<string, Entry<E>>();

  constructor(private readonly engineFactory: (snapshot: Snapshot) => E) {}

  add(snapshot: Snapshot, id: string = randomUUID()): string {
    if (this.entries.has(id)) throw new Error(`snapshot id ${id} is taken`);
    this.entries.set(id, { snapshot });
    return id;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  private entry(id: string): Entry<E> {
    const e = this.entries.get(id);
    if (!e)
      throw new ApiError(
        'not-found',
        `snapshot ${id} is not open (it was closed or the app restarted); open it again`,
      );
    return e;
  }

  get(id: string): Snapshot {
    return this.entry(id).snapshot;
  }

  engine(id: string): E {
    const e = this.entry(id);
    if (e.engine === undefined) e.engine = this.engineFactory(e.snapshot);
    return e.engine;
  }

  /** A live update: the next engine() call builds a fresh engine for the new snapshot. */
  replace(id: string, snapshot: Snapshot): void {
    const e = this.entry(id);
    e.snapshot = snapshot;
    e.engine = undefined;
  }

  setLive(id: string, live: LiveHandle): void {
    const e = this.entry(id);
    e.live?.stop();
    e.live = live;
  }

  isLive(id: string): boolean {
    return this.entries.get(id)?.live !== undefined;
  }

  close(id: string): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    e.live?.stop();
    this.entries.delete(id);
    return true;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  dispose(): void {
    for (const id of this.ids()) this.close(id);
  }
}
