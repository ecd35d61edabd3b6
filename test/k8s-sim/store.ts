/**
 * The simulator's object store: objects per resource keyed `namespace/name`, one global
 * resourceVersion counter (like etcd's revision), and a bounded event history that watches replay.
 * Compacting the history makes older resourceVersions "too old" (410) for watches and continue tokens.
 */
import { createHash } from 'node:crypto';
import type { ResourceDef } from './resources.js';
import { apiVersionOf } from './resources.js';

export interface KubeObjectLike {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  resourceId: string;
  type: WatchEventType;
  object: KubeObjectLike;
  /** The object before a MODIFIED/DELETED (for selector transitions). */
  previous?: KubeObjectLike;
}

export function resourceIdOf(def: { group: string; plural: string }): string {
  return `${def.group}/${def.plural}`;
}

export function keyOf(obj: { metadata: { name: string; namespace?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

function uidFor(resourceId: string, key: string): string {
  const h = createHash('sha1').update(`${resourceId}|${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

class ResourceTable {
  readonly objects = new Map<string, KubeObjectLike>();
  private sorted: string[] | null = null;
  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.objects.keys()].sort();
    return this.sorted;
  }
  invalidate(): void {
    this.sorted = null;
  }
}

export class ObjectStore {
  private rv = 1;
  private readonly tables = new Map<string, ResourceTable>();
  private history: StoreEvent[] = [];
  /** Events with rv <= compactedRv are gone. */
  private compactedRv = 0;
  private readonly listeners = new Set<(ev: StoreEvent) => void>();
  private readonly createdAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  constructor(private readonly historySize = 10_000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestAvailableRv(): number {
    return this.compactedRv;
  }

  table(resourceId: string): ResourceTable {
    let t = this.tables.get(resourceId);
    if (!t) {
      t = new ResourceTable();
      this.tables.set(resourceId, t);
    }
    return t;
  }

  get(def: ResourceDef, key: string): KubeObjectLike | undefined {
    return this.table(resourceIdOf(def)).objects.get(key);
  }

  /** Sorted keys (etcd order), optionally restricted to a namespace. */
  keys(def: ResourceDef, namespace?: string): string[] {
    const all = this.table(resourceIdOf(def)).sortedKeys();
    if (!namespace || !def.namespaced) return all;
    const prefix = `${namespace}/`;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < all.length && all[end]!.startsWith(prefix)) end++;
    return all.slice(lo, end);
  }

  subscribe(fn: (ev: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Events after `rv` for a resource, or 'expired' when the history no longer reaches back that far. */
  eventsSince(rv: number, resourceId: string): StoreEvent[] | 'expired' {
    if (rv < this.compactedRv) return 'expired';
    return this.history.filter((e) => e.rv > rv && e.resourceId === resourceId);
  }

  /** Forget all history (like an etcd compaction): older resourceVersions become too old. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = [];
  }

  private record(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > this.historySize) {
      const drop = this.history.length - this.historySize;
      this.compactedRv = this.history[drop - 1]!.rv;
      this.history = this.history.slice(drop);
    }
    for (const fn of this.listeners) fn(ev);
  }

  /** Insert or replace; returns the stored object (with metadata filled in). */
  upsert(def: ResourceDef, input: KubeObjectLike, type?: 'ADDED' | 'MODIFIED'): StoreEvent {
    const resourceId = resourceIdOf(def);
    const t = this.table(resourceId);
    const key = keyOf(input);
    const previous = t.objects.get(key);
    this.rv += 1;
    const obj: KubeObjectLike = {
      ...input,
      apiVersion: input.apiVersion || apiVersionOf(def),
      kind: input.kind || def.kind,
      metadata: {
        ...input.metadata,
        uid: input.metadata.uid ?? previous?.metadata.uid ?? uidFor(resourceId, key),
        resourceVersion: String(this.rv),
        creationTimestamp:
          (input.metadata.creationTimestamp as string | undefined) ??
          (previous?.metadata.creationTimestamp as string | undefined) ??
          this.createdAt,
      },
    };
    if (!def.namespaced) delete obj.metadata.namespace;
    if (!previous) t.invalidate();
    t.objects.set(key, obj);
    const ev: StoreEvent = {
      rv: this.rv,
      resourceId,
      type: type ?? (previous ? 'MODIFIED' : 'ADDED'),
      object: obj,
      ...(previous ? { previous } : {}),
    };
    this.record(ev);
    return ev;
  }

  remove(def: ResourceDef, key: string): StoreEvent | undefined {
    const resourceId = resourceIdOf(def);
    const t = this.table(resourceId);
    const previous = t.objects.get(key);
    if (!previous) return undefined;
    this.rv += 1;
    t.objects.delete(key);
    t.invalidate();
    const obj = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(this.rv) } };
    const ev: StoreEvent = { rv: this.rv, resourceId, type: 'DELETED', object: obj, previous };
    this.record(ev);
    return ev;
  }

  /** Bulk load without recording history (initial scenario / generator). */
  load(def: ResourceDef, input: KubeObjectLike): void {
    const resourceId = resourceIdOf(def);
    const t = this.table(resourceId);
    const key = keyOf(input);
    this.rv += 1;
    const obj: KubeObjectLike = {
      ...input,
      apiVersion: input.apiVersion || apiVersionOf(def),
      kind: input.kind || def.kind,
      metadata: {
        ...input.metadata,
        uid: input.metadata.uid ?? uidFor(resourceId, key),
        resourceVersion: String(this.rv),
        creationTimestamp: (input.metadata.creationTimestamp as string | undefined) ?? this.createdAt,
      },
    };
    if (!def.namespaced) delete obj.metadata.namespace;
    t.objects.set(key, obj);
    t.invalidate();
    this.compactedRv = this.rv;
  }

  all(): KubeObjectLike[] {
    return [...this.tables.values()].flatMap((t) => [...t.objects.values()]);
  }
}
