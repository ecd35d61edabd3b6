import { create } from 'zustand';
import type { Flow, FlowBatch, FlowStreamState } from '@shared/flows/types';
import { parseFlowLines } from '@shared/flows/jsonl';
import { api } from '../api';
import { UpstreamEvictions } from '../views/flows/upstream-evictions';
import { toastError, toastInfo } from './toasts';

/** Flow inspector state: a bounded buffer of flows (oldest first), pause/resume, stream states. */

export const DEFAULT_BUFFER = 100_000;

export interface FlowSource {
  kind: 'file' | 'stream';
  label: string;
  streamId?: string;
}

interface FlowsState {
  flows: Flow[];
  bufferSize: number;
  /** flows dropped from the front of the buffer (ours plus the stream's ring buffer) */
  evicted: number;
  paused: boolean;
  /** flows that arrived while paused, shown on resume */
  held: Flow[];
  source?: FlowSource;
  stream?: FlowStreamState;
  importErrors: { line: number; message: string }[];
  selected?: Flow;
  /** bumps on every change of `flows` so memoized views refresh without copying */
  version: number;
  /** flows ever appended to `flows` (never goes down): `flows` holds numbers `appended - flows.length` .. `appended - 1` */
  appended: number;

  add(flows: Flow[], evictedUpstream?: number): void;
  setPaused(p: boolean): void;
  select(f: Flow | undefined): void;
  importText(name: string, text: string): void;
  startStream(args: { snapshotId?: string; context?: string; label: string }): Promise<void>;
  stop(): Promise<void>;
  clear(): void;
}

export const useFlows = create<FlowsState>((set, get) => ({
  flows: [],
  bufferSize: DEFAULT_BUFFER,
  evicted: 0,
  paused: false,
  held: [],
  importErrors: [],
  version: 0,
  appended: 0,

  add(incoming, evictedUpstream = 0) {
    const s = get();
    if (s.paused) {
      const held = s.held.concat(incoming);
      const over = Math.max(0, held.length - s.bufferSize);
      set({ held: over ? held.slice(over) : held, evicted: s.evicted + over + evictedUpstream });
      return;
    }
    if (incoming.length === 0 && evictedUpstream === 0) return;
    const over = Math.max(0, s.flows.length + incoming.length - s.bufferSize);
    // one copy: keep the newest of the old flows, then the newest of the incoming ones
    const kept = over >= s.flows.length ? [] : over > 0 ? s.flows.slice(over) : s.flows;
    const fresh = over > s.flows.length ? incoming.slice(over - s.flows.length) : incoming;
    set({
      flows: kept.length === 0 ? fresh.slice() : kept.concat(fresh),
      evicted: s.evicted + over + evictedUpstream,
      version: s.version + 1,
      appended: s.appended + incoming.length,
    });
  },

  setPaused(paused) {
    const s = get();
    if (!paused && s.held.length > 0) {
      set({ paused: false, held: [] });
      get().add(s.held);
    } else set({ paused });
  },

  select: (selected) => set({ selected }),

  importText(name, text) {
    void get().stop();
    const parsed = parseFlowLines(text);
    set({
      flows: [],
      held: [],
      evicted: 0,
      selected: undefined,
      importErrors: parsed.errors,
      source: { kind: 'file', label: name },
      stream: undefined,
      paused: false,
    });
    get().add(parsed.flows);
    if (parsed.flows.length === 0 && parsed.errors.length > 0) {
      toastError(`Could not import ${name}`, {
        code: 'bad-input',
        message: `No flow could be read; first problem on line ${parsed.errors[0].line}: ${parsed.errors[0].message}`,
      });
    } else {
      toastInfo(
        `Imported ${parsed.flows.length.toLocaleString()} flows from ${name}`,
        parsed.errors.length
          ? `${parsed.errors.length} line${parsed.errors.length === 1 ? '' : 's'} skipped (see the list above the table).`
          : '',
        parsed.errors.length ? 'info' : 'success',
      );
    }
  },

  async startStream({ snapshotId, context, label }) {
    await get().stop();
    set({
      flows: [],
      held: [],
      evicted: 0,
      selected: undefined,
      importErrors: [],
      source: { kind: 'stream', label },
      stream: { streamId: '', state: 'connecting' },
      paused: false,
      version: get().version + 1,
    });
    starting = true;
    try {
      const { streamId } = await api.flows.start({ snapshotId, context, filter: { follow: true } });
      starting = false;
      set((s) => ({
        source: { kind: 'stream', label, streamId },
        stream:
          s.stream?.streamId === streamId
            ? s.stream
            : { streamId, state: s.stream?.state ?? 'connecting', message: s.stream?.message },
      }));
    } catch (e) {
      starting = false;
      set({ stream: { streamId: '', state: 'failed', message: e instanceof Error ? e.message : String(e) } });
      toastError('Could not start the flow stream', e);
    }
  },

  async stop() {
    const id = get().source?.streamId;
    if (!id) return;
    set((s) => ({ source: s.source ? { ...s.source, streamId: undefined } : undefined }));
    try {
      await api.flows.stop({ streamId: id });
    } catch {
      /* already gone */
    }
  },

  clear: () =>
    set({
      flows: [],
      held: [],
      evicted: 0,
      selected: undefined,
      importErrors: [],
      version: get().version + 1,
    }),
}));

/** set while flows.start is in flight: its first batches can arrive before its answer */
let starting = false;

function ours(streamId: string): boolean {
  const src = useFlows.getState().source;
  if (src?.kind !== 'stream') return false;
  if (src.streamId === streamId) return true;
  if (starting && src.streamId === undefined) {
    useFlows.setState({ source: { ...src, streamId } });
    return true;
  }
  return false;
}

/** flows of a stream the host dropped before sending them (its own evictions are not ours to count twice) */
const upstreamEvictions = new UpstreamEvictions();

/**
 * Wires flows.batch / flows.state events into the store. Batches are coalesced into one store update per
 * animation frame (the table cannot show more often), so a fast stream does not re-render per batch.
 */
export function subscribeFlowEvents(): () => void {
  let pending: Flow[][] = [];
  let pendingEvicted = 0;
  let frame: (() => void) | undefined;
  const flush = () => {
    frame = undefined;
    const batches = pending;
    const evictedUpstream = pendingEvicted;
    pending = [];
    pendingEvicted = 0;
    const flows = batches.length === 1 ? batches[0] : batches.flat();
    useFlows.getState().add(flows, evictedUpstream);
  };
  const offBatch = api.flows.onBatch((b: FlowBatch) => {
    if (!ours(b.streamId)) return;
    pending.push(b.flows);
    pendingEvicted += upstreamEvictions.onBatch(b);
    frame ??= onNextFrame(flush);
  });
  const offState = api.flows.onState((st: FlowStreamState) => {
    if (!ours(st.streamId)) return;
    // flows that arrived before this state change are applied first, in order
    if (frame) {
      frame();
      flush();
    }
    useFlows.setState({ stream: st });
  });
  return () => {
    offBatch();
    offState();
    frame?.();
    frame = undefined;
    pending = [];
    pendingEvicted = 0;
    upstreamEvictions.clear();
  };
}

/** Runs `fn` before the next paint (or soon, where there are no frames); returns a cancel function. */
function onNextFrame(fn: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    // a hidden window gets no frames: fall back to a timer so the buffer still fills
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      fn();
    };
    const raf = requestAnimationFrame(run);
    const timer = setTimeout(run, 100);
    return () => {
      done = true;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
    };
  }
  const timer = setTimeout(fn, 16);
  return () => clearTimeout(timer);
}
