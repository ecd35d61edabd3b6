import { useEffect, useRef, useState } from 'react';
import { onConnectionState, type ConnectionState } from '../api';
import { useSession } from '../stores/session';
import { ago } from '../lib/time';
import { useNow } from '../lib/hooks';
import { describeSource } from './source';
import { NamespaceFilter } from './NamespaceFilter';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const modKey = isMac ? '⌘' : 'Ctrl';

export function TitleBar() {
  const summary = useSession((s) => s.summary);
  const live = useSession((s) => s.live);
  const loading = useSession((s) => s.loading);
  const setPickerOpen = useSession((s) => s.setPickerOpen);
  const now = useNow();
  const src = summary ? describeSource(summary) : undefined;
  const updated = live?.lastUpdated ?? summary?.takenAt;

  return (
    <header className="titlebar">
      <div className="brand" aria-label="Netpol Doctor">
        <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="6" cy="7" r="2.6" />
          <circle cx="18" cy="7" r="2.6" />
          <circle cx="12" cy="18" r="2.6" />
          <path d="M8.4 8.4 10.6 15.6M15.6 8.4l-2.2 7.2M8.6 7h6.8" />
        </svg>
        <span className="brand-name">Netpol Doctor</span>
      </div>
      <button
        type="button"
        className="active-source"
        onClick={() => setPickerOpen(true)}
        aria-haspopup="dialog"
        aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
        title="Switch context or snapshot"
        data-testid="active-source"
      >
        {src ? (
          <>
            <span className={`source-kind ${src.kind.toLowerCase()}`}>{src.kind}</span>
            <span className="source-name">{src.name}</span>
            <span className="source-detail">{src.detail}</span>
            {summary?.partial && <span className="pill warn">partial</span>}
            <span className="source-updated" title={updated}>
              {summary?.live || live ? (
                <span className={`live-dot ${live?.watching === false ? 'stale' : ''}`} aria-hidden="true" />
              ) : null}
              {summary?.live || live ? 'updated ' : 'taken '}
              {ago(updated, now)}
            </span>
          </>
        ) : (
          <span className="source-name muted">{loading ? `Opening ${loading.label}…` : 'Nothing open'}</span>
        )}
        <span className="kbd" aria-hidden="true">
          {modKey} K
        </span>
      </button>
      <div className="grow" />
      <NamespaceFilter />
      <ConnectionIndicator />
    </header>
  );
}

function ConnectionIndicator() {
  const [state, setState] = useState<ConnectionState>({ state: 'connecting', attempts: 0 });
  const first = useRef(true);
  useEffect(() => onConnectionState(setState), []);
  if (state.state === 'open') {
    first.current = false;
    return null;
  }
  const text =
    state.state === 'connecting' && first.current
      ? 'Connecting…'
      : state.state === 'reconnecting'
        ? `Reconnecting to the host (attempt ${state.attempts})…`
        : state.state === 'closed'
          ? 'Disconnected'
          : 'Connecting…';
  return (
    <div className="conn-state" role="status" title={state.message}>
      <span className="spinner" aria-hidden="true" /> {text}
      {state.message && <span className="faint"> {state.message}</span>}
    </div>
  );
}
