import { create } from 'zustand';
import type { AppInfo, SnapshotSummary } from '@shared/api/contract';
import type { LiveStatus, LoadProgress } from '@shared/cluster/types';
import type { Snapshot } from '@shared/snapshot/types';
import { api } from '../api';
import { toastError, toastInfo } from './toasts';
import { describeError } from './toasts';
import { navigate } from '../lib/router';

/** What the window shows: the active context or snapshot, its load progress, and the namespace filter. */

export type RecentItem =
  | { kind: 'demo'; label: string; at: string }
  | { kind: 'context'; label: string; context: string; at: string }
  | { kind: 'files'; label: string; paths: string[]; at: string };

export interface Loading {
  label: string;
  progress?: LoadProgress;
  startedAt: string;
}

interface SessionState {
  info?: AppInfo;
  summary?: SnapshotSummary;
  /** the full snapshot (pickers, what-if); fetched after open */
  snapshot?: Snapshot;
  live?: LiveStatus;
  loading?: Loading;
  lastError?: { code: string; message: string; details?: string[] };
  /** namespaces to show; empty = all */
  namespaces: string[];
  recent: RecentItem[];
  pickerOpen: boolean;

  init(): Promise<void>;
  openDemo(): Promise<void>;
  openTexts(files: { name: string; text: string }[]): Promise<void>;
  openPaths(paths: string[]): Promise<void>;
  connect(context: string): Promise<void>;
  cancelLoad(): Promise<void>;
  setNamespaces(ns: string[]): void;
  setPickerOpen(open: boolean): void;
}

const RECENT_KEY = 'netpol-doctor.recent';

function loadRecent(): RecentItem[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as RecentItem[]).slice(0, 8) : [];
  } catch {
    return [];
  }
}

function recentKey(r: RecentItem): string {
  return r.kind === 'context' ? `c:${r.context}` : r.kind === 'files' ? `f:${r.paths.join('|')}` : 'demo';
}

function remember(item: RecentItem) {
  const list = [item, ...useSession.getState().recent.filter((r) => recentKey(r) !== recentKey(item))].slice(
    0,
    8,
  );
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    /* storage full or disabled: recent items are a convenience */
  }
  useSession.setState({ recent: list });
}

let opening = 0;
let initStarted = false;

async function open(label: string, run: () => Promise<SnapshotSummary>, recent?: RecentItem): Promise<void> {
  const ticket = ++opening;
  useSession.setState({ loading: { label, startedAt: new Date().toISOString() }, lastError: undefined });
  try {
    const summary = await run();
    if (ticket !== opening) return;
    const previous = useSession.getState().summary;
    useSession.setState({
      summary,
      snapshot: undefined,
      live: undefined,
      loading: undefined,
      namespaces: [],
    });
    if (recent) remember(recent);
    if (previous && previous.snapshotId !== summary.snapshotId) {
      api.snapshot.close({ snapshotId: previous.snapshotId }).catch(() => {});
    }
    try {
      const snapshot = await api.snapshot.get({ snapshotId: summary.snapshotId });
      if (useSession.getState().summary?.snapshotId === summary.snapshotId) useSession.setState({ snapshot });
    } catch (e) {
      toastError('Could not read the snapshot’s objects', e);
    }
  } catch (e) {
    if (ticket !== opening) return;
    const d = describeError(e);
    useSession.setState({ loading: undefined, lastError: d });
    if (d.code === 'cancelled') toastInfo('Loading cancelled', label, 'info');
    else toastError(`Could not open ${label}`, e);
  }
}

export const useSession = create<SessionState>((set, get) => ({
  namespaces: [],
  recent: loadRecent(),
  pickerOpen: false,

  async init() {
    if (initStarted) return;
    initStarted = true;
    let info: AppInfo;
    try {
      info = await api.app.info();
    } catch (e) {
      toastError('Could not reach the Netpol Doctor host', e);
      set({ lastError: describeError(e) });
      return;
    }
    set({ info });
    // a question given on the command line (--from/--to/--port) opens the wizard prefilled
    const pf = info.prefill;
    if (pf && (pf.from || pf.to || pf.port) && !location.hash.startsWith('#/wizard?')) {
      navigate('wizard', { from: pf.from, to: pf.to, port: pf.port });
    }
    const init = info.initial;
    if (init.kind === 'demo') await get().openDemo();
    else if (init.kind === 'context') await get().connect(init.context);
    else if (init.kind === 'files') await get().openPaths(init.paths);
    else set({ pickerOpen: true });
  },

  openDemo: () =>
    open('the demo snapshot', () => api.snapshot.openDemo(), {
      kind: 'demo',
      label: 'Demo cluster',
      at: new Date().toISOString(),
    }),

  openTexts: (files) =>
    open(files.length === 1 ? files[0].name : `${files.length} files`, () =>
      api.snapshot.openText({ files }),
    ),

  openPaths: (paths) =>
    open(paths.length === 1 ? paths[0] : `${paths.length} files`, () => api.snapshot.openFiles({ paths }), {
      kind: 'files',
      label: paths.map((p) => p.split(/[\\/]/).pop()).join(', '),
      paths,
      at: new Date().toISOString(),
    }),

  connect: (context) =>
    open(`context ${context}`, () => api.snapshot.connect({ context }), {
      kind: 'context',
      label: context,
      context,
      at: new Date().toISOString(),
    }),

  async cancelLoad() {
    const loadId = get().loading?.progress?.loadId;
    opening++;
    set({ loading: undefined });
    if (loadId) {
      try {
        await api.snapshot.cancel({ loadId });
      } catch (e) {
        toastError('Could not cancel the load', e);
      }
    }
    toastInfo('Loading cancelled', 'Nothing was changed; the previous snapshot stays open.', 'info');
  },

  setNamespaces: (namespaces) => set({ namespaces }),
  setPickerOpen: (pickerOpen) => set({ pickerOpen }),
}));

/** Wires main → renderer events into the session store. Returns an unsubscribe. */
export function subscribeSessionEvents(): () => void {
  const offs = [
    api.snapshot.onProgress((progress) => {
      const loading = useSession.getState().loading;
      if (loading) useSession.setState({ loading: { ...loading, progress } });
    }),
    api.snapshot.onUpdated(({ snapshotId, summary, live }) => {
      const cur = useSession.getState().summary;
      if (cur?.snapshotId !== snapshotId) return;
      useSession.setState({ summary, live });
      api.snapshot
        .get({ snapshotId })
        .then((snapshot) => {
          if (useSession.getState().summary?.snapshotId === snapshotId) useSession.setState({ snapshot });
        })
        .catch(() => {});
    }),
  ];
  return () => offs.forEach((o) => o());
}

/** Namespace filter helper: true when `ns` is visible under the current filter. */
export function nsVisible(filter: string[], ns: string | undefined): boolean {
  return filter.length === 0 || (ns !== undefined && filter.includes(ns));
}
