/**
 * Keeps a live snapshot current: one client-node Watch per list, from the list's resourceVersion.
 * A watch that ends is restarted (at once after a normal close or idle timeout, with exponential backoff
 * after an error); 410 Gone re-lists that collection and resyncs it. A failed re-list keeps what was
 * already loaded. Updates are coalesced and delivered as a whole new Snapshot.
 */
import { randomUUID } from 'node:crypto';
import { Watch } from '@kubernetes/client-node';
import type { LiveStatus } from '@shared/cluster/types';
import type { Snapshot } from '@shared/snapshot/types';
import { ApiStatusError } from './errors';
import {
  acceptObject,
  assembleSnapshot,
  connectAndList,
  listUnit,
  objectKey,
  type ListUnit,
  type LiveLoadOptions,
  type LiveState,
  type Obj,
} from './live-snapshot';
import { collectionPath, resourceLabel } from './resources';

export interface LiveClusterOptions extends LiveLoadOptions {
  onUpdate?: (snapshot: Snapshot, status: LiveStatus) => void;
  onStatus?: (status: LiveStatus) => void;
  /** coalescing window for watch events (default 250 ms) */
  debounceMs?: number;
  /** first and largest restart delay after a failed watch (default 1 s and 30 s) */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  snapshotId?: string;
}

interface WatchState {
  unit: ListUnit;
  controller?: AbortController;
  failures: number;
  timer?: NodeJS.Timeout;
  gone: boolean;
  lastError?: string;
}

/** Equal apart from metadata.resourceVersion (objects are already trimmed to what the analysis reads). */
function sameContent(a: Obj, b: Obj): boolean {
  const strip = (o: Obj) =>
    JSON.stringify({ ...o, metadata: { ...(o.metadata as Obj), resourceVersion: undefined } });
  return strip(a) === strip(b);
}

export class LiveCluster {
  private readonly watches = new Map<string, WatchState>();
  private stopped = false;
  private updateTimer: NodeJS.Timeout | undefined;
  private current: Snapshot;
  private liveStatus: LiveStatus;
  /** counts of applied watch events and re-lists, for tests and diagnostics */
  readonly stats = { events: 0, relists: 0, restarts: 0 };

  constructor(
    private readonly state: LiveState,
    private readonly opts: LiveClusterOptions = {},
  ) {
    this.current = assembleSnapshot(state);
    this.liveStatus = {
      snapshotId: opts.snapshotId ?? randomUUID(),
      lastUpdated: state.takenAt,
      watching: false,
    };
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  get status(): LiveStatus {
    return this.liveStatus;
  }

  start(): void {
    for (const unit of this.state.units) {
      const ws: WatchState = { unit, failures: 0, gone: false };
      this.watches.set(unit.id, ws);
      void this.startWatch(ws);
    }
    // Lists that failed on connect (dropped connections) are retried until they load, then watched.
    for (const unit of this.state.failedUnits) {
      const ws: WatchState = { unit, failures: 1, gone: true };
      this.watches.set(unit.id, ws);
      ws.timer = setTimeout(() => void this.relist(ws), this.backoff(0));
    }
    this.state.failedUnits = [];
    this.opts.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.setStatus({ watching: true, message: undefined });
    this.opts.onProgress?.({
      loadId: this.state.loadId,
      phase: 'watching',
      done: 1,
      total: 1,
      objects: this.state.units.reduce((n, u) => n + u.objects.size, 0),
      message: 'watching for changes',
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.updateTimer);
    for (const ws of this.watches.values()) {
      clearTimeout(ws.timer);
      ws.controller?.abort();
    }
    this.watches.clear();
    this.setStatus({ watching: false, message: 'stopped' });
    await this.state.http.close();
  }

  private setStatus(patch: Partial<LiveStatus>): void {
    this.liveStatus = { ...this.liveStatus, ...patch };
    if (patch.message === undefined && 'message' in patch) delete this.liveStatus.message;
    this.opts.onStatus?.(this.liveStatus);
  }

  private async startWatch(ws: WatchState): Promise<void> {
    if (this.stopped) return;
    const { unit } = ws;
    const watch = new Watch(this.state.kc);
    const started = Date.now();
    try {
      ws.controller = await watch.watch(
        collectionPath(unit.spec, unit.namespace),
        { resourceVersion: unit.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 600 },
        (type: string, obj: Obj) => this.onEvent(ws, type, obj),
        (err: unknown) => this.onDone(ws, err, started),
      );
    } catch (err) {
      // watch() reports failures through done(); anything thrown here is a credential failure
      this.onDone(ws, err, started);
    }
  }

  private onEvent(ws: WatchState, type: string, obj: Obj): void {
    if (this.stopped) return;
    const { unit } = ws;
    const rv = (obj?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    switch (type) {
      case 'ADDED':
      case 'MODIFIED': {
        const o = acceptObject(unit.spec, obj);
        if (rv) unit.resourceVersion = rv;
        if (!o) return; // a ConfigMap CNI detection does not read
        const key = objectKey(o);
        const prev = unit.objects.get(key);
        unit.objects.set(key, o);
        // Heartbeats and status timestamps change nothing the analysis reads: no new snapshot.
        if (prev && sameContent(prev, o)) return;
        break;
      }
      case 'DELETED':
        if (!unit.objects.delete(objectKey(obj))) {
          if (rv) unit.resourceVersion = rv;
          return;
        }
        break;
      case 'BOOKMARK':
        if (rv) unit.resourceVersion = rv;
        return;
      case 'ERROR': {
        const code = (obj as { code?: number }).code;
        if (code === 410) ws.gone = true;
        ws.lastError = (obj as { message?: string }).message ?? `watch error ${code ?? ''}`;
        ws.controller?.abort();
        return;
      }
      default:
        return;
    }
    if (rv) unit.resourceVersion = rv;
    ws.failures = 0;
    this.stats.events++;
    this.scheduleUpdate();
  }

  private onDone(ws: WatchState, err: unknown, started: number): void {
    if (this.stopped || this.watches.get(ws.unit.id) !== ws) return;
    const status = (err as { statusCode?: number })?.statusCode;
    if (status === 410 || ws.gone) {
      void this.relist(ws);
      return;
    }
    const timedOut = (err as { name?: string })?.name === 'TimeoutError';
    if (!err || timedOut) {
      // a normal end of the stream (server timeout, idle): continue from the last resourceVersion
      this.stats.restarts++;
      const quick = Date.now() - started > 1000;
      ws.timer = setTimeout(() => void this.startWatch(ws), quick ? 0 : this.backoff(ws.failures++));
      return;
    }
    ws.failures++;
    ws.lastError = err instanceof Error ? err.message : String(err);
    this.stats.restarts++;
    const delay = this.backoff(ws.failures - 1);
    this.setStatus({
      message: `watch of ${resourceLabel(ws.unit.spec)}${ws.unit.namespace ? ` in ${ws.unit.namespace}` : ''} failed (${ws.lastError}); retrying in ${Math.round(delay / 100) / 10} s`,
    });
    ws.timer = setTimeout(() => void this.startWatch(ws), delay);
  }

  private backoff(failures: number): number {
    const first = this.opts.initialBackoffMs ?? 1000;
    const max = this.opts.maxBackoffMs ?? 30_000;
    return Math.min(max, first * 2 ** Math.max(0, failures));
  }

  /** 410 Gone: the resourceVersion is too old. List again, replace the objects, watch from the new version. */
  private async relist(ws: WatchState): Promise<void> {
    ws.gone = false;
    if (this.stopped) return;
    try {
      await listUnit(this.state.http, ws.unit);
      this.stats.relists++;
      ws.failures = 0;
      if (!this.state.units.includes(ws.unit)) this.state.units.push(ws.unit);
      this.state.failures.delete(ws.unit.id);
      this.scheduleUpdate();
      void this.startWatch(ws);
    } catch (err) {
      // keep what we have; try again later
      ws.failures++;
      const delay = this.backoff(ws.failures - 1);
      const msg = err instanceof ApiStatusError || err instanceof Error ? err.message : String(err);
      this.setStatus({
        message: `re-listing ${resourceLabel(ws.unit.spec)} failed (${msg}); showing the last known state, retrying in ${Math.round(delay / 100) / 10} s`,
      });
      ws.gone = true;
      ws.timer = setTimeout(() => void this.relist(ws), delay);
    }
  }

  private scheduleUpdate(): void {
    if (this.updateTimer || this.stopped) return;
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      if (this.stopped) return;
      this.state.takenAt = new Date().toISOString();
      this.current = assembleSnapshot(this.state);
      const anyFailing = [...this.watches.values()].some((w) => w.failures > 0);
      this.setStatus({
        lastUpdated: this.state.takenAt,
        watching: true,
        ...(anyFailing ? {} : { message: undefined }),
      });
      this.opts.onUpdate?.(this.current, this.liveStatus);
    }, this.opts.debounceMs ?? 250);
  }
}

/** Loads the context and keeps it current; resolves once the first snapshot is ready and watches run. */
export async function watchLiveSnapshot(
  context: string,
  opts: LiveClusterOptions = {},
): Promise<LiveCluster> {
  const state = await connectAndList(context, opts);
  const live = new LiveCluster(state, opts);
  live.start();
  return live;
}
