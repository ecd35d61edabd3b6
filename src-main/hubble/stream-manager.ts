/**
 * FlowStreamManager: live Hubble flow streams (Relay through a port-forward, or a direct address) and
 * imported files, each held in a bounded ring buffer and delivered in batches (every ~100 ms or 500 flows;
 * never one message per flow). When the port-forward or the stream drops it reconnects with backoff and
 * resumes from the last flow's time, dropping flows already seen (by uuid) so nothing is duplicated, and
 * reports a gap when Relay no longer holds the flows it missed (its ring buffer wrapped meanwhile).
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { buildFlowFilters, buildFlowRequest } from '@shared/flows/filter';
import { exportFlowLines, parseFlowLines } from '@shared/flows/jsonl';
import { selectFlows } from '@shared/flows/match';
import { compareTimestamps, joinTimestamp, resolveFlowTime, splitTimestamp } from '@shared/flows/time';
import type {
  Flow,
  FlowBatch,
  FlowFilterOptions,
  FlowRequest,
  FlowStreamState,
  FlowStreamStateName,
} from '@shared/flows/types';
import type { HubbleClient, HubbleTlsOptions, NodeStatusEvent } from './client';
import { HubbleError, type HubbleErrorCode } from './errors';
import type { FlowRows, FlowViewUpdate } from '@shared/flows/view';
import { DEFAULT_FLOW_BUFFER, FlowStore } from './flow-store';
import { materialize, RawFlow, type StoredFlow } from './raw-flow';
import { FlowView, type FlowViewSettings } from './flow-view';
import { connectRelay, connectServer, type HubbleConnection, type RelayTlsChoice } from './relay';

/** Where a live stream comes from. */
export type FlowSourceSpec =
  | { kind: 'server'; address: string; tls?: HubbleTlsOptions }
  | {
      kind: 'relay';
      context: string;
      kubeconfig?: string;
      namespace?: string;
      service?: string;
      tls?: RelayTlsChoice;
    }
  | { kind: 'custom'; connect: () => Promise<HubbleConnection> };

export interface FlowStreamStartOptions {
  source: FlowSourceSpec;
  /** `hubble observe`-style filters (also since/until/last/first/follow) */
  filter?: FlowFilterOptions;
  /** ring buffer size for this stream (default: the manager's) */
  bufferSize?: number;
  streamId?: string;
}

export interface FlowStreamManagerOptions {
  /** default ring buffer size per stream (100k) */
  bufferSize?: number;
  /** flush a batch at least this often (100 ms) */
  batchIntervalMs?: number;
  /** flush when this many flows are pending (500) */
  batchMaxFlows?: number;
  /** send a stream's view update at most this often (100 ms) */
  viewIntervalMs?: number;
  /** reconnect backoff: first delay, cap, attempts (Infinity for follow streams, 5 otherwise) */
  reconnect?: { initialMs?: number; maxMs?: number; maxAttempts?: number };
  /** resume this far before the last flow's time (Relay sorts flows in a ~1 s window), deduplicating by uuid */
  resumeOverlapMs?: number;
  dialTimeoutMs?: number;
}

export interface FlowStreamStats {
  streamId: string;
  state: FlowStreamStateName;
  held: number;
  evicted: number;
  received: number;
  duplicatesDropped: number;
  lost: number;
  reconnects: number;
  gaps: { from: string; to: string }[];
}

export interface FlowExportRequest {
  filter?: FlowFilterOptions;
  /** the flows the stream's view shows (its filter, namespaces and pause) */
  fromView?: boolean;
  uuids?: string[];
  format: 'json' | 'jsonpb';
}

export interface FlowImportOutcome {
  streamId: string;
  imported: number;
  errors: { line: number; message: string }[];
  /** errors beyond the first 500 are counted, not listed */
  moreErrors: number;
}

interface ManagerEvents {
  batch: [FlowBatch];
  state: [FlowStreamState];
  /** a stream's view changed (throttled; only for streams whose view was set) */
  view: [FlowViewUpdate];
}

/**
 * Failures worth retrying once a stream has been live. A TLS-looking failure counts too: the settings
 * worked before, so it is a server restarting (accepting TCP before it speaks gRPC), not a mismatch.
 */
const TRANSIENT: HubbleErrorCode[] = ['unreachable', 'unavailable', 'internal', 'not-ready', 'tls'];

/** [seconds, nanos] of a stored flow, without decoding a raw one */
function storedTime(f: StoredFlow): [number, number] | undefined {
  if (f instanceof RawFlow) return f.seconds || f.nanos ? [f.seconds, f.nanos] : undefined;
  return f.time ? splitTimestamp(f.time) : undefined;
}

function flowKey(stored: StoredFlow): string {
  if (stored.uuid) return stored.uuid;
  const f = materialize(stored);
  const p = f.l4?.TCP ?? f.l4?.UDP ?? f.l4?.SCTP;
  return `${f.time}|${f.node_name}|${f.IP?.source}|${f.IP?.destination}|${p?.source_port}|${p?.destination_port}|${f.verdict}|${f.event_type?.type}|${f.event_type?.sub_type}`;
}

class StreamRecord {
  state: FlowStreamStateName = 'connecting';
  pending: StoredFlow[] = [];
  timer?: NodeJS.Timeout;
  lost = 0;
  duplicates = 0;
  reconnects = 0;
  gaps: { from: string; to: string }[] = [];
  /**
   * After a reconnect: the keys of the flows already held from the resume point on, and the time up to
   * which a resumed flow may be one of them. Undefined in steady state (no per-flow bookkeeping then).
   */
  resumeKeys?: Set<string>;
  resumeUntil?: [number, number];
  /** the newest flow time seen, as [seconds, nanos] */
  maxTimeParts?: [number, number];
  /** when the stream first went live (resume point when no flow arrived before a drop) */
  liveSince?: string;
  stopped = false;
  conn?: HubbleConnection;
  view?: FlowView;
  viewTimer?: NodeJS.Timeout;
  viewSentAt = 0;
  cancelStream?: () => void;
  wake?: () => void;
  constructor(
    readonly id: string,
    readonly store: FlowStore,
  ) {}

  /** the newest flow time seen (RFC 3339) */
  get maxTime(): string | undefined {
    return this.maxTimeParts && joinTimestamp(this.maxTimeParts[0], this.maxTimeParts[1]);
  }

  /** A resumed flow already held? Leaves resume mode once flows are newer than anything held before. */
  isDuplicate(flow: StoredFlow, t: [number, number] | undefined): boolean {
    const until = this.resumeUntil;
    if (!until || !this.resumeKeys) return false;
    if (t && (t[0] > until[0] || (t[0] === until[0] && t[1] > until[1]))) {
      this.resumeKeys = undefined;
      this.resumeUntil = undefined;
      return false;
    }
    const key = flowKey(flow);
    if (this.resumeKeys.has(key)) return true;
    this.resumeKeys.add(key);
    return false;
  }
}

export class FlowStreamManager extends EventEmitter<ManagerEvents> {
  private readonly streams = new Map<string, StreamRecord>();
  private readonly opts: Required<Omit<FlowStreamManagerOptions, 'reconnect' | 'dialTimeoutMs'>> & {
    reconnect: { initialMs: number; maxMs: number; maxAttempts?: number };
    dialTimeoutMs?: number;
  };

  constructor(opts: FlowStreamManagerOptions = {}) {
    super();
    this.opts = {
      bufferSize: opts.bufferSize ?? DEFAULT_FLOW_BUFFER,
      batchIntervalMs: opts.batchIntervalMs ?? 100,
      batchMaxFlows: opts.batchMaxFlows ?? 500,
      viewIntervalMs: opts.viewIntervalMs ?? 100,
      resumeOverlapMs: opts.resumeOverlapMs ?? 2000,
      reconnect: {
        initialMs: opts.reconnect?.initialMs ?? 250,
        maxMs: opts.reconnect?.maxMs ?? 5000,
        maxAttempts: opts.reconnect?.maxAttempts,
      },
      dialTimeoutMs: opts.dialTimeoutMs,
    };
  }

  /**
   * Starts a live stream. Validates the filters at once (throws FlowFilterError / FlowTimeError), then
   * connects in the background: watch 'state' for connecting → live → (reconnecting → live)* → done |
   * failed | closed, and 'batch' for the flows.
   */
  start(options: FlowStreamStartOptions): { streamId: string } {
    const filter = options.filter ?? {};
    const startedAt = Date.now();
    const request = buildFlowRequest(filter, startedAt);
    const id = options.streamId ?? randomUUID();
    if (this.streams.has(id)) throw new Error(`flow stream ${id} exists`);
    const rec = new StreamRecord(id, new FlowStore(options.bufferSize ?? this.opts.bufferSize));
    this.streams.set(id, rec);
    const connect = this.connector(options.source);
    void this.run(rec, connect, request, new Date(startedAt).toISOString());
    return { streamId: id };
  }

  /** Ends the stream and its port-forward. Resolves true when the stream existed. Flows stay for export. */
  async stop(streamId: string): Promise<boolean> {
    const rec = this.streams.get(streamId);
    if (!rec) return false;
    if (!rec.stopped) {
      rec.stopped = true;
      rec.cancelStream?.();
      rec.wake?.();
      const conn = rec.conn;
      rec.conn = undefined;
      await conn?.close().catch(() => undefined);
      this.flush(rec);
      if (rec.state !== 'done' && rec.state !== 'failed') this.setState(rec, 'closed', 'stopped');
    }
    return true;
  }

  /** Stops every stream (window closing). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.streams.keys()].map((id) => this.stop(id)));
  }

  /** Forgets a stopped stream's flows. */
  async release(streamId: string): Promise<void> {
    await this.stop(streamId);
    const rec = this.streams.get(streamId);
    if (rec?.viewTimer) clearTimeout(rec.viewTimer);
    this.streams.delete(streamId);
  }

  /**
   * Sets what the stream's view shows (filter, namespaces, paused) and returns it. The view then follows
   * the stream: a 'view' event at most every viewIntervalMs while it changes.
   */
  setView(streamId: string, settings: FlowViewSettings): FlowViewUpdate {
    const rec = this.require(streamId);
    rec.view ??= new FlowView(rec.store);
    rec.view.configure(settings);
    return this.viewUpdate(rec, rec.view);
  }

  /** Rows of the stream's view from an ordinal on; not-found when the view's filter changed since. */
  viewRows(streamId: string, generation: number, from: number, count: number): FlowRows {
    const view = this.requireView(streamId, generation);
    return view.rows(from, count);
  }

  /** One flow of the stream's view, in full. */
  viewFlow(streamId: string, generation: number, ordinal: number): Flow {
    const flow = this.requireView(streamId, generation).flow(ordinal);
    if (!flow) throw new HubbleError('not-found', 'that flow has left the buffer (evicted by newer flows)');
    return flow;
  }

  private requireView(streamId: string, generation: number): FlowView {
    const view = this.require(streamId).view;
    if (!view) throw new HubbleError('bad-request', `flow stream ${streamId} has no view`);
    if (!view.isGeneration(generation))
      throw new HubbleError('not-found', 'the view changed (new filter) since these rows were asked for');
    return view;
  }

  private viewUpdate(rec: StreamRecord, view: FlowView): FlowViewUpdate {
    return {
      streamId: rec.id,
      ...view.state(),
      held: rec.store.size,
      evicted: rec.store.evicted,
      received: rec.store.received,
      lost: rec.lost,
    };
  }

  /** Brings the stream's view up to date and sends it, at most every viewIntervalMs. */
  private touchView(rec: StreamRecord, now = false): void {
    const view = rec.view;
    if (!view) return;
    const send = () => {
      rec.viewTimer = undefined;
      rec.viewSentAt = Date.now();
      view.sync();
      this.emit('view', this.viewUpdate(rec, view));
    };
    if (now) {
      if (rec.viewTimer) clearTimeout(rec.viewTimer);
      send();
      return;
    }
    if (rec.viewTimer) return;
    const wait = this.opts.viewIntervalMs - (Date.now() - rec.viewSentAt);
    if (wait <= 0) send();
    else rec.viewTimer = setTimeout(send, wait);
  }

  /**
   * Imports `hubble observe -o json|jsonpb` text as a finished stream: malformed lines are reported with
   * their line numbers and the rest imported. Emits batches (chunks of 5000) and a 'done' state.
   */
  importText(text: string, opts: { bufferSize?: number; streamId?: string } = {}): FlowImportOutcome {
    const parsed = parseFlowLines(text);
    const id = opts.streamId ?? randomUUID();
    const rec = new StreamRecord(id, new FlowStore(opts.bufferSize ?? this.opts.bufferSize));
    rec.stopped = true;
    rec.lost = parsed.lost;
    this.streams.set(id, rec);
    rec.store.pushMany(parsed.flows);
    const held = rec.store.toArray();
    for (let i = 0; i < held.length || i === 0; i += 5000) {
      this.emit('batch', {
        streamId: id,
        flows: held.slice(i, i + 5000),
        held: rec.store.size,
        evicted: rec.store.evicted,
        lost: rec.lost,
        received: rec.store.received,
      });
      if (!held.length) break;
    }
    const errors = parsed.errors.slice(0, 500);
    this.setState(
      rec,
      'done',
      `imported ${parsed.flows.length} flows${parsed.errors.length ? `; ${parsed.errors.length} malformed line(s) skipped (first at line ${parsed.errors[0].line})` : ''}${rec.store.evicted ? `; buffer keeps the newest ${rec.store.size}` : ''}`,
    );
    return {
      streamId: id,
      imported: parsed.flows.length,
      errors,
      moreErrors: parsed.errors.length - errors.length,
    };
  }

  /** The stream's held flows filtered (and/or picked by uuid), as `hubble observe -o json|jsonpb` text. */
  exportText(streamId: string, req: FlowExportRequest): { fileName: string; text: string; count: number } {
    const view = req.fromView ? this.require(streamId).view : undefined;
    if (req.fromView && !view) throw new HubbleError('bad-request', `flow stream ${streamId} has no view`);
    const flows = view ? view.toArray() : this.selectFlows(streamId, req.filter, req.uuids);
    return {
      fileName: `flows-${new Date().toISOString().replace(/[:.]/g, '-')}.${req.format}`,
      text: exportFlowLines(flows, req.format),
      count: flows.length,
    };
  }

  /** Held flows (oldest first), optionally filtered like `hubble observe` and/or picked by uuid. */
  selectFlows(streamId: string, filter?: FlowFilterOptions, uuids?: string[]): Flow[] {
    const rec = this.require(streamId);
    let flows = rec.store.toArray();
    if (uuids?.length) {
      const set = new Set(uuids);
      flows = flows.filter((f) => !!f.uuid && set.has(f.uuid));
    }
    if (filter) {
      const { whitelist, blacklist } = buildFlowFilters(filter);
      const request: FlowRequest = { whitelist, blacklist };
      if (filter.since) request.since = resolveFlowTime(filter.since);
      if (filter.until) request.until = resolveFlowTime(filter.until);
      if (filter.first) Object.assign(request, { number: filter.first, first: true });
      else if (filter.last) request.number = filter.last;
      flows = selectFlows(flows, request);
    }
    return flows;
  }

  stats(streamId: string): FlowStreamStats {
    const rec = this.require(streamId);
    return {
      streamId,
      state: rec.state,
      held: rec.store.size,
      evicted: rec.store.evicted,
      received: rec.store.received,
      duplicatesDropped: rec.duplicates,
      lost: rec.lost,
      reconnects: rec.reconnects,
      gaps: [...rec.gaps],
    };
  }

  has(streamId: string): boolean {
    return this.streams.has(streamId);
  }

  // ------------------------------------------------------------------ internals

  private require(streamId: string): StreamRecord {
    const rec = this.streams.get(streamId);
    if (!rec) throw new HubbleError('bad-request', `no flow stream ${streamId}`);
    return rec;
  }

  private connector(source: FlowSourceSpec): () => Promise<HubbleConnection> {
    const dial = this.opts.dialTimeoutMs;
    switch (source.kind) {
      case 'server':
        return () => connectServer(source.address, source.tls, dial);
      case 'relay':
        return async () => {
          const { loadKubeConfigForContext } = await import('../cluster/kubeconfig');
          let kc;
          try {
            kc = loadKubeConfigForContext(source.context, source.kubeconfig);
          } catch (err) {
            throw new HubbleError('bad-request', (err as Error).message);
          }
          return connectRelay({
            kubeConfig: kc,
            namespace: source.namespace,
            service: source.service,
            tls: source.tls,
            dialTimeoutMs: dial,
          });
        };
      case 'custom':
        return source.connect;
    }
  }

  private setState(
    rec: StreamRecord,
    state: FlowStreamStateName,
    message?: string,
    extra: Partial<FlowStreamState> = {},
  ): void {
    rec.state = state;
    this.touchView(rec, true);
    this.emit('state', { streamId: rec.id, state, message, ...extra });
  }

  private flush(rec: StreamRecord): void {
    if (rec.timer) {
      clearTimeout(rec.timer);
      rec.timer = undefined;
    }
    if (!rec.pending.length) return;
    const pending = rec.pending;
    rec.pending = [];
    this.touchView(rec);
    // decoded only for whoever listens (the CLI prints them; the app reads rows from the view)
    if (this.listenerCount('batch') === 0) return;
    this.emit('batch', {
      streamId: rec.id,
      flows: pending.map(materialize),
      held: rec.store.size,
      evicted: rec.store.evicted,
      lost: rec.lost,
      received: rec.store.received,
    });
  }

  private accept(rec: StreamRecord, flow: StoredFlow): void {
    const t = storedTime(flow);
    if (rec.isDuplicate(flow, t)) {
      rec.duplicates++;
      return;
    }
    if (t) {
      const m = rec.maxTimeParts;
      if (!m || t[0] > m[0] || (t[0] === m[0] && t[1] > m[1])) rec.maxTimeParts = t;
    }
    rec.store.push(flow);
    rec.pending.push(flow);
    if (rec.pending.length >= this.opts.batchMaxFlows) this.flush(rec);
    else rec.timer ??= setTimeout(() => this.flush(rec), this.opts.batchIntervalMs);
  }

  private sleep(rec: StreamRecord, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        rec.wake = undefined;
        resolve();
      }, ms);
      rec.wake = () => {
        clearTimeout(t);
        rec.wake = undefined;
        resolve();
      };
    });
  }

  /** The request to resume with after a drop: since the last flow's time (minus overlap). */
  private resumeRequest(rec: StreamRecord, base: FlowRequest, startedAt: string): FlowRequest {
    const from = rec.maxTime ?? (base.follow ? rec.liveSince : undefined);
    if (!from) return base;
    const ms = Date.parse(from) - this.opts.resumeOverlapMs;
    const since = new Date(ms).toISOString();
    this.armDedupe(rec, ms);
    const req: FlowRequest = { whitelist: base.whitelist, blacklist: base.blacklist, since };
    if (base.follow) req.follow = true;
    if (base.until) req.until = base.until;
    else if (!base.follow) req.until = startedAt; // a finished "last N" query: only the rest of it
    if (base.first && base.number) {
      req.first = true;
      req.number = Math.max(1, base.number - rec.store.received + rec.duplicates);
    }
    return req;
  }

  /**
   * The resumed stream repeats the flows since `sinceMs`: remember the keys of those already held (the
   * newest end of the ring buffer; Relay's ~1 s sort window allows for a little disorder) so they are
   * dropped once, and nothing is tracked per flow once the stream is past them.
   */
  private armDedupe(rec: StreamRecord, sinceMs: number): void {
    if (!rec.maxTimeParts) return;
    const keys = new Set<string>();
    const floor = sinceMs - 1000;
    for (let seq = rec.store.nextSeq - 1; seq >= rec.store.firstSeq; seq--) {
      const f = rec.store.entryAtSeq(seq)!;
      const parts = storedTime(f);
      if (parts && parts[0] * 1000 + parts[1] / 1e6 < floor) break;
      keys.add(flowKey(f));
    }
    rec.resumeKeys = keys;
    rec.resumeUntil = rec.maxTimeParts;
  }

  /** After reconnecting: does Relay still hold the flows since our last one? If its ring wrapped, report the gap. */
  private async checkGap(
    rec: StreamRecord,
    conn: HubbleConnection,
  ): Promise<{ from: string; to: string } | undefined> {
    if (!rec.maxTime) return undefined;
    const s = conn.status;
    const wrapped = s.seenFlows > s.numFlows || (s.maxFlows > 0 && s.numFlows >= s.maxFlows);
    if (!wrapped) return undefined;
    const oldest = await this.oldestFlowTime(conn.client).catch(() => undefined);
    if (oldest && compareTimestamps(oldest, rec.maxTime) > 0) return { from: rec.maxTime, to: oldest };
    return undefined;
  }

  private oldestFlowTime(client: HubbleClient): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      let oldest: string | undefined;
      client.getFlows(
        { whitelist: [], blacklist: [], number: 1, first: true },
        {
          onFlow: (f) => {
            if (f.time && (!oldest || compareTimestamps(f.time, oldest) < 0)) oldest = f.time;
          },
          onEnd: () => resolve(oldest),
          onError: reject,
        },
      );
    });
  }

  private runStream(rec: StreamRecord, conn: HubbleConnection, req: FlowRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      const handle = conn.client.getFlows(req, {
        onFlow: (f) => this.accept(rec, f),
        onRawFlow: (f) => this.accept(rec, f),
        onLost: (n) => {
          rec.lost += n;
        },
        onNodeStatus: (ev: NodeStatusEvent) => {
          if (ev.state === 'NODE_ERROR' || ev.state === 'NODE_UNAVAILABLE')
            this.setState(
              rec,
              rec.state,
              `${ev.state === 'NODE_ERROR' ? 'error' : 'unavailable'} on ${ev.nodeNames.join(', ')}${ev.message ? `: ${ev.message}` : ''}`,
            );
        },
        onEnd: () => resolve(),
        onError: (e) => reject(e),
      });
      rec.cancelStream = () => {
        handle.cancel();
        resolve();
      };
    });
  }

  private async run(
    rec: StreamRecord,
    connect: () => Promise<HubbleConnection>,
    base: FlowRequest,
    startedAt: string,
  ): Promise<void> {
    const { initialMs, maxMs } = this.opts.reconnect;
    const maxAttempts = this.opts.reconnect.maxAttempts ?? (base.follow ? Infinity : 5);
    let attempt = 0;
    let everLive = false;
    this.setState(rec, 'connecting');
    while (!rec.stopped) {
      let conn: HubbleConnection | undefined;
      try {
        conn = await connect();
        if (rec.stopped) {
          await conn.close();
          return;
        }
        rec.conn = conn;
        let gap: { from: string; to: string } | undefined;
        if (everLive) {
          gap = await this.checkGap(rec, conn);
          if (gap) rec.gaps.push(gap);
        }
        const req = everLive ? this.resumeRequest(rec, base, startedAt) : base;
        if (rec.stopped) return;
        const s = conn.status;
        this.setState(
          rec,
          'live',
          `${everLive ? 'reconnected to' : 'connected to'} ${conn.description}; ${s.numFlows}/${s.maxFlows} flows in the buffer${s.numConnectedNodes !== undefined ? `, ${s.numConnectedNodes} node(s) connected` : ''}${s.numUnavailableNodes ? `, ${s.numUnavailableNodes} unavailable (${s.unavailableNodes.join(', ')})` : ''}${gap ? `; gap: Relay no longer has the flows between ${gap.from} and ${gap.to} (its ring buffer wrapped while disconnected)` : ''}`,
          gap ? { gap } : {},
        );
        if (!everLive) rec.liveSince = new Date().toISOString();
        everLive = true;
        attempt = 0;
        await this.runStream(rec, conn, req);
        if (rec.stopped) return;
        this.flush(rec);
        rec.conn = undefined;
        await conn.close();
        this.setState(rec, 'done', `${rec.store.received} flows received`);
        rec.stopped = true;
        return;
      } catch (err) {
        rec.conn = undefined;
        await conn?.close().catch(() => undefined);
        if (rec.stopped) return;
        this.flush(rec);
        const e =
          err instanceof HubbleError
            ? err
            : new HubbleError('internal', (err as Error).message ?? String(err));
        attempt++;
        if (!everLive || !TRANSIENT.includes(e.code) || attempt > maxAttempts) {
          this.setState(rec, 'failed', e.message, { code: e.code });
          rec.stopped = true;
          return;
        }
        rec.reconnects++;
        const delay = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
        this.setState(
          rec,
          'reconnecting',
          `connection lost (${e.message}); reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${attempt})`,
        );
        await this.sleep(rec, delay);
      }
    }
  }
}
