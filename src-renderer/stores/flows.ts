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

  add(incoming, evictedUpstream = 0) {
    const s = get();
    if (s.paused) {
      const held = s.held.concat(incoming);
      const over = Math.max(0, held.length - s.bufferSize);
      set({ held: over ? held.slice(over) : held, evicted: s.evicted + over + evictedUpstream });
      return;
    }
    const all = s.flows.length === 0 ? incoming.slice() : s.flows.concat(incoming);
    const over = Math.max(0, all.length - s.bufferSize);
    set({
      flows: over ? all.slice(over) : all,
      evicted: s.evicted + over + evictedUpstream,
      version: s.version + 1,
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

/** Wires flows.batch / flows.state events into the store. */
export function subscribeFlowEvents(): () => void {
  const offBatch = api.flows.onBatch((b: FlowBatch) => {
    if (!ours(b.streamId)) return;
    useFlows.getState().add(b.flows, upstreamEvictions.onBatch(b));
  });
  const offState = api.flows.onState((st: FlowStreamState) => {
    if (!ours(st.streamId)) return;
    useFlows.setState({ stream: st });
  });
  return () => {
    offBatch();
    offState();
    upstreamEvictions.clear();
  };
}
