import { create } from 'zustand';
import type { Flow, FlowFilterOptions, FlowStreamState } from '@shared/flows/types';
import type { FlowViewUpdate } from '@shared/flows/view';
import type { HubbleTlsSettings } from '@shared/api/contract';
import { api } from '../api';
import { rowCache } from '../views/flows/row-cache';
import { describeError, toastError, toastInfo } from './toasts';

/**
 * Flow inspector state. The flows themselves stay in main (the stream's ring buffer and its view: filter,
 * pause, counts); the renderer holds the latest view update, the rows on screen (row-cache.ts) and the
 * selected flow. So a stream of 20k flows/s costs the renderer ten small updates a second.
 */

export interface FlowSource {
  kind: 'file' | 'stream';
  label: string;
  streamId?: string;
}

/** Where "Live from Hubble" connects (the key and certificates are kept in memory only). */
export interface HubbleConnection {
  /** Relay in the cluster (a context is open) or a Hubble address */
  target: 'relay' | 'server';
  namespace: string;
  service: string;
  address: string;
  tls: HubbleTlsSettings;
  /** names of the picked PEM files, to show */
  fileNames: Partial<Record<'ca' | 'cert' | 'key', string>>;
}

export interface SelectedFlow {
  ordinal: number;
  /** the full flow, once fetched (kept when the buffer evicts it) */
  flow?: Flow;
}

interface FlowsState {
  source?: FlowSource;
  /** the state bar: the live stream shown, or the one being connected */
  stream?: FlowStreamState;
  /**
   * A live stream being connected: the flows shown so far stay until it is live (a failed or refused
   * connection loses nothing). `streamId` is known once flows.start answers.
   */
  connecting?: { label: string; streamId?: string };
  /** what main's view of the stream holds now */
  view?: FlowViewUpdate;
  importErrors: { line: number; message: string }[];
  /** the filter bar's applied text (`hubble observe` flags) */
  filterText: string;
  /** the view settings the user chose (sent to main) */
  filter: FlowFilterOptions;
  namespaces: string[];
  paused: boolean;
  selected?: SelectedFlow;
  connection: HubbleConnection;

  setFilter(filter: FlowFilterOptions, namespaces: string[]): void;
  setPaused(p: boolean): void;
  select(ordinal: number | undefined): void;
  importText(name: string, text: string): Promise<void>;
  /** streams live from where `connection` says (Relay of `context`, or a Hubble address) */
  startStream(args: { snapshotId?: string; context?: string }): Promise<void>;
  /** ends the live stream (its flows stay to read and export); `why` is shown in the stream bar */
  stop(why?: string): Promise<void>;
}

/** how many of the flows Hubble holds a live stream starts with */
const RECENT_FLOWS_ON_START = 1000;

/** streams this window stopped or replaced: their last states are not the new stream's */
const retired = new Set<string>();

/** set by the store: shows a stream that went live (replacing what was shown) */
let promote: (source: FlowSource) => void = () => undefined;

/** Forgets a stream still being connected (a new start, an import or leaving the view came first). */
function abandonConnecting(): void {
  const pending = useFlows.getState().connecting;
  if (!pending) return;
  useFlows.setState({ connecting: undefined });
  if (pending.streamId) {
    retired.add(pending.streamId);
    void api.flows.close({ streamId: pending.streamId }).catch(() => undefined);
  }
}

/** A state of the stream being connected: live (or done) shows it; failed keeps what was shown. */
function onConnectingState(st: FlowStreamState): void {
  const pending = useFlows.getState().connecting;
  if (!pending) return;
  useFlows.setState({ stream: st });
  if (!pending.streamId) return; // flows.start has not answered yet: it will look again
  if (st.state === 'live' || st.state === 'done') {
    useFlows.setState({ connecting: undefined });
    promote({ kind: 'stream', label: pending.label, streamId: pending.streamId });
  } else if (st.state === 'failed') abandonConnecting();
}

export const useFlows = create<FlowsState>((set, get) => {
  /** Sends the view settings for the shown stream and applies main's answer. */
  const pushView = async (): Promise<void> => {
    const { source, filter, namespaces, paused } = get();
    const streamId = source?.streamId;
    if (!streamId) return;
    try {
      const view = await api.flows.view({ streamId, filter, namespaces, paused });
      applyView(view);
    } catch (e) {
      if (get().source?.streamId === streamId) toastError('Could not update the flow view', e);
    }
  };

  /**
   * Shows `next` instead of the current source: the old stream is forgotten in main (its late states
   * ignored), and the view starts empty until main answers.
   */
  const replaceSource = (next: FlowSource, extra: Partial<FlowsState>): void => {
    const old = get().source?.streamId;
    if (old && old !== next.streamId) {
      retired.add(old);
      void api.flows.close({ streamId: old }).catch(() => undefined);
    }
    rowCache.reset();
    set({ source: next, view: undefined, selected: undefined, paused: false, ...extra });
  };

  promote = (source) => {
    replaceSource(source, { importErrors: [] });
    void pushView();
  };

  return {
    importErrors: [],
    filterText: '',
    filter: {},
    connection: {
      target: 'relay',
      namespace: '',
      service: '',
      address: '',
      tls: { mode: 'auto' },
      fileNames: {},
    },
    namespaces: [],
    paused: false,

    setFilter(filter, namespaces) {
      set({ filter, namespaces, selected: undefined });
      void pushView();
    },

    setPaused(paused) {
      set({ paused });
      void pushView();
    },

    select(ordinal) {
      if (ordinal === undefined) {
        set({ selected: undefined });
        return;
      }
      const { source, view, selected } = get();
      if (selected?.ordinal === ordinal) return;
      set({ selected: { ordinal } });
      if (!source?.streamId || !view) return;
      api.flows
        .flow({ streamId: source.streamId, generation: view.generation, ordinal })
        .then(({ flow }) => {
          if (get().selected?.ordinal === ordinal) set({ selected: { ordinal, flow } });
        })
        .catch((e: unknown) => {
          if (get().selected?.ordinal === ordinal) {
            set({ selected: undefined });
            toastError('Could not show that flow', e);
          }
        });
    },

    async importText(name, text) {
      let result;
      try {
        result = await api.flows.importText({ file: { name, text } });
      } catch (e) {
        toastError(`Could not import ${name}`, e);
        return;
      }
      if (result.imported === 0 && result.errors.length > 0) {
        await api.flows.close({ streamId: result.streamId }).catch(() => undefined);
        toastError(`Could not import ${name}`, {
          code: 'bad-input',
          message: `No flow could be read; first problem on line ${result.errors[0].line}: ${result.errors[0].message}`,
        });
        return;
      }
      abandonConnecting();
      replaceSource(
        { kind: 'file', label: name, streamId: result.streamId },
        { importErrors: result.errors, stream: undefined },
      );
      await pushView();
      toastInfo(
        `Imported ${result.imported.toLocaleString()} flows from ${name}`,
        result.errors.length
          ? `${result.errors.length} line${result.errors.length === 1 ? '' : 's'} skipped (see the list above the table).`
          : '',
        result.errors.length ? 'info' : 'success',
      );
    },

    async startStream({ snapshotId, context }) {
      const c = get().connection;
      const direct = !context || (c.target === 'server' && c.address.trim() !== '');
      const label = direct ? `Hubble at ${c.address.trim()} (live)` : 'Hubble Relay (live)';
      // the live stream shown is stopped now and replaced once the new one is live: its last states are old news
      const shown = get().source;
      if (shown?.kind === 'stream' && shown.streamId) retired.add(shown.streamId);
      await get().stop();
      abandonConnecting();
      // no stream id until flows.start answers: the states that arrive meanwhile are this stream's
      set({ connecting: { label }, stream: { streamId: '', state: 'connecting' } });
      try {
        const tls = c.tls.mode === 'auto' && direct ? undefined : c.tls;
        const { streamId } = await api.flows.start({
          snapshotId,
          context,
          ...(direct
            ? { server: c.address.trim() }
            : {
                relay: { namespace: c.namespace.trim() || undefined, service: c.service.trim() || undefined },
              }),
          ...(tls ? { tls } : {}),
          // like the Hubble UI: the recent flows Hubble holds first, then the live tail
          filter: { follow: true, last: RECENT_FLOWS_ON_START },
        });
        if (get().connecting?.label !== label) return; // another start or import came first
        set({ connecting: { label, streamId } });
        const early = get().stream;
        if (early?.streamId === streamId) onConnectingState(early);
      } catch (e) {
        set({
          connecting: undefined,
          stream: { streamId: '', state: 'failed', message: describeError(e).message },
        });
        toastError('Could not start the flow stream', e);
      }
    },

    async stop(why) {
      const pending = get().connecting?.streamId;
      if (pending) {
        abandonConnecting();
        set({ stream: undefined });
      }
      const id = get().source?.streamId;
      if (!id || get().source?.kind !== 'stream') return;
      const live = get().stream?.state;
      try {
        await api.flows.stop({ streamId: id });
      } catch {
        /* already gone */
      }
      // the 'closed' state may come after this window stopped listening
      if (why && live !== 'done' && live !== 'failed')
        set((s) =>
          s.stream?.streamId === id ? { stream: { streamId: id, state: 'closed', message: why } } : {},
        );
    },
  };
});

/** Applies a view update of the shown stream (older generations are stale and ignored). */
function applyView(view: FlowViewUpdate): void {
  const s = useFlows.getState();
  if (view.streamId !== s.source?.streamId) return;
  if (s.view && view.generation < s.view.generation) return;
  rowCache.onView(view);
  const selected = s.selected;
  // a new filter: the selected flow's ordinal means another flow now
  const keepSelected = !selected || !s.view || s.view.generation === view.generation;
  useFlows.setState({ view, ...(keepSelected ? {} : { selected: undefined }) });
}

/** Wires flows.view / flows.state events into the store. Returns the unsubscribe function. */
export function subscribeFlowEvents(): () => void {
  const offView = api.flows.onView(applyView);
  const offState = api.flows.onState((st: FlowStreamState) => {
    if (retired.has(st.streamId)) return;
    const { connecting, source } = useFlows.getState();
    // before flows.start answers (no id yet), the states that arrive are the new stream's
    if (connecting && (!connecting.streamId || connecting.streamId === st.streamId))
      return onConnectingState(st);
    if (source?.kind === 'stream' && st.streamId === source.streamId) useFlows.setState({ stream: st });
  });
  return () => {
    offView();
    offState();
  };
}
