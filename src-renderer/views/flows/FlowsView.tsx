import { useEffect, useMemo, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import type { FlowFilterOptions } from '@shared/flows/types';
import { buildFlowFilters, parseHubbleArgs, toHubbleCommand } from '@shared/flows/filter';
import { exportFlowLines } from '@shared/flows/jsonl';
import { useSession } from '../../stores/session';
import { subscribeFlowEvents, useFlows } from '../../stores/flows';
import { readFiles, downloadFile } from '../../lib/download';
import { CopyButton } from '../../components/CopyButton';
import { ConnectionPanel } from './ConnectionPanel';
import { FlowTable } from './FlowTable';
import { FlowDetail } from './FlowDetail';
import { verdictClass } from './flow-format';
import { loadDemoFlows } from './demo-flows';
import { toastError } from '../../stores/toasts';
import { api } from '../../api';

/** Downloads what the view shows (its filter and namespaces), as `hubble observe -o jsonpb` lines. */
async function exportView(streamId: string | undefined): Promise<void> {
  if (!streamId) return;
  try {
    const { fileName, text } = await api.flows.exportText({ streamId, fromView: true, format: 'jsonpb' });
    downloadFile(fileName, text, 'application/x-ndjson');
  } catch (e) {
    toastError('Could not export the flows', e);
  }
}

const stateWords: Record<string, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  failed: 'Failed',
  closed: 'Closed',
  done: 'Done',
};

function useFilter(text: string): { opts: FlowFilterOptions; error?: string } {
  return useMemo(() => {
    if (!text.trim()) return { opts: {} };
    try {
      const opts = parseHubbleArgs(text);
      buildFlowFilters(opts); // the same validation main applies
      return { opts };
    } catch (e) {
      return { opts: {}, error: e instanceof Error ? e.message : String(e) };
    }
  }, [text]);
}

export function FlowsView() {
  const view = useFlows((s) => s.view);
  const paused = useFlows((s) => s.paused);
  const source = useFlows((s) => s.source);
  const stream = useFlows((s) => s.stream);
  const importErrors = useFlows((s) => s.importErrors);
  const selected = useFlows((s) => s.selected);
  const summary = useSession((s) => s.summary);
  const nsFilter = useSession((s) => s.namespaces);
  // the applied filter text lives in the store, so it is still there when the user comes back
  const filterText = useFlows((s) => s.filterText);
  const setFilterText = (text: string) => useFlows.setState({ filterText: text });
  const [draftText, setDraftText] = useState(filterText);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const filter = useFilter(filterText);

  // leaving the view ends a live stream and its port-forward (what was received stays)
  useEffect(() => {
    const off = subscribeFlowEvents();
    return () => {
      off();
      void useFlows.getState().stop('stopped when you left the Flows view');
    };
  }, []);

  // main filters the stream: send it the filter bar's flags and the window's namespaces
  useEffect(() => {
    if (!filter.error) useFlows.getState().setFilter(filter.opts, nsFilter);
  }, [filter, nsFilter]);

  const counts = view?.counts ?? {};
  const shownCount = view?.total ?? 0;
  const held = view?.held ?? 0;
  const evicted = view?.evicted ?? 0;
  const newWhilePaused = view?.newWhilePaused ?? 0;
  const lost = view?.lost ?? 0;

  const command = toHubbleCommand(filter.opts);
  const hasContext = summary?.source.type === 'context';
  const connection = useFlows((s) => s.connection);
  const canLive = hasContext || connection.address.trim() !== '';
  const [showConnection, setShowConnection] = useState(false);
  const startLive = () => {
    void useFlows.getState().startStream({
      snapshotId: summary?.snapshotId,
      context: summary?.source.type === 'context' ? summary.source.context : undefined,
    });
  };
  const isDemo = summary?.source.type === 'demo';

  const onFiles = async (files: FileList | File[]) => {
    const list = await readFiles(files);
    for (const f of list) await useFlows.getState().importText(f.name, f.text);
  };

  const applyFilter = (text: string) => {
    setDraftText(text);
    setFilterText(text);
  };

  return (
    <div
      className={`flows-view ${dragging ? 'dragging' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (e.dataTransfer.files.length) void onFiles(e.dataTransfer.files);
      }}
    >
      <div className="view-head">
        <div className="grow">
          <h1>Flows</h1>
          <div className="sub">
            What the datapath did — {source ? <strong>{source.label}</strong> : 'no flows yet'}
          </div>
        </div>
        {isDemo && (
          <button
            type="button"
            className="btn"
            data-testid="open-demo-flows"
            onClick={() =>
              void loadDemoFlows().catch((e: unknown) => toastError('Could not open the demo flows', e))
            }
          >
            Open demo flows
          </button>
        )}
        {canLive && (
          <button type="button" className="btn" onClick={startLive} data-testid="live-from-hubble">
            Live from Hubble
          </button>
        )}
        <button
          type="button"
          className={`btn ${showConnection ? 'primary' : ''}`}
          aria-expanded={showConnection}
          onClick={() => setShowConnection(!showConnection)}
          data-testid="hubble-connection"
        >
          Connection…
        </button>
        <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
          Import file…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="flows-file-input"
          accept=".json,.jsonl,.jsonpb,.txt,.log"
          onChange={(e) => {
            if (e.target.files) void onFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </div>

      {showConnection && (
        <ConnectionPanel
          hasContext={hasContext}
          onConnect={() => {
            setShowConnection(false);
            startLive();
          }}
        />
      )}

      {stream && (
        <div className="stream-bar row" role="status" data-testid="stream-bar">
          <span className={`pill stream-${stream.state}`} data-testid="stream-state">
            {stream.state === 'live' && <span className="live-dot" aria-hidden="true" />}
            {stateWords[stream.state] ?? stream.state}
          </span>
          {stream.message && (
            <span className="ell muted grow" title={stream.message}>
              {stream.message}
            </span>
          )}
          {(stream.state === 'failed' || stream.state === 'closed') && (
            <button type="button" className="btn small" onClick={startLive}>
              {stream.state === 'failed' ? 'Retry' : 'Stream again'}
            </button>
          )}
        </div>
      )}
      {stream?.gap && (
        <p className="banner warn" role="status">
          Gap: Relay no longer had the flows between {stream.gap.from} and {stream.gap.to}.
        </p>
      )}
      {importErrors.length > 0 && (
        <details className="banner warn import-errors">
          <summary>
            {importErrors.length} line{importErrors.length === 1 ? '' : 's'} could not be read (the rest was
            imported)
          </summary>
          <ul>
            {importErrors.slice(0, 20).map((e, i) => (
              <li key={i}>
                line {e.line}: {e.message}
              </li>
            ))}
          </ul>
        </details>
      )}

      <form
        className="filter-bar card"
        onSubmit={(e) => {
          e.preventDefault();
          setFilterText(draftText);
        }}
      >
        <label htmlFor="flow-filter" className="visually-hidden">
          Filter flows (hubble observe flags)
        </label>
        <input
          id="flow-filter"
          className="input mono grow"
          placeholder="--verdict DROPPED --namespace backend --to-port 8080"
          value={draftText}
          onChange={(e) => setDraftText(e.target.value)}
          data-testid="flow-filter"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={!!filter.error}
          aria-describedby="flow-filter-cmd"
        />
        <button type="submit" className="btn primary">
          Filter
        </button>
        {filterText && (
          <button type="button" className="btn ghost" onClick={() => applyFilter('')}>
            Clear
          </button>
        )}
      </form>
      <div className="filter-cmd row" id="flow-filter-cmd">
        {filter.error ? (
          <span className="bad-text" role="alert">
            {filter.error}
          </span>
        ) : (
          <>
            <span className="faint">Same as</span>
            <code className="mono cmd" data-testid="hubble-command">
              {command}
            </code>
            <CopyButton text={command} label="Copy" />
          </>
        )}
      </div>

      <div className="flows-toolbar row wrap">
        <div className="verdict-counts row wrap" aria-label="Counts by verdict" data-testid="verdict-counts">
          {Object.entries(counts)
            .sort((a, b) => b[1] - a[1])
            .map(([v, n]) => (
              <button
                key={v}
                type="button"
                className={`pill ${verdictClass(v)} pill-btn`}
                title={`Show only ${v}`}
                onClick={() => applyFilter(`--verdict ${v}`)}
              >
                {v} {n.toLocaleString()}
              </button>
            ))}
          <span className="faint">
            {shownCount.toLocaleString()} of {held.toLocaleString()} shown
            {evicted > 0 && ` · ${evicted.toLocaleString()} evicted from the buffer`}
            {lost > 0 && ` · ${lost.toLocaleString()} lost by Hubble`}
          </span>
        </div>
        <div className="grow" />
        <button
          type="button"
          className={`btn ${paused ? 'primary' : ''}`}
          onClick={() => useFlows.getState().setPaused(!paused)}
          aria-pressed={paused}
          data-testid="flows-pause"
        >
          <Icon name={paused ? 'play' : 'pause'} />
          {paused ? `Resume${newWhilePaused ? ` (${newWhilePaused.toLocaleString()} new)` : ''}` : 'Pause'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={shownCount === 0}
          onClick={() => void exportView(source?.streamId)}
        >
          <Icon name="download" /> Export {filterText || nsFilter.length ? 'filtered' : 'all'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!selected?.flow}
          onClick={() =>
            selected?.flow &&
            downloadFile('flow.jsonpb', exportFlowLines([selected.flow]), 'application/x-ndjson')
          }
        >
          <Icon name="download" /> Export selected
        </button>
      </div>

      <div className="flows-main">
        {!view || (held === 0 && shownCount === 0) ? (
          <div className="empty flows-empty card">
            <h2>
              {stream && (stream.state === 'live' || stream.state === 'connecting')
                ? 'Waiting for flows…'
                : 'No flows yet'}
            </h2>
            <p>
              Drop a <code>hubble observe -o jsonpb</code> file here, import one,{' '}
              {isDemo ? 'open the demo’s recorded flows, ' : ''}
              {hasContext
                ? 'or stream live from Hubble Relay.'
                : 'or stream live from a Hubble address (Connection…), or open a cluster context to reach Hubble Relay.'}
            </p>
            <div className="row">
              {isDemo && (
                <button
                  type="button"
                  className="btn primary"
                  onClick={() =>
                    void loadDemoFlows().catch((e: unknown) => toastError('Could not open the demo flows', e))
                  }
                >
                  Open demo flows
                </button>
              )}
              <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
                Import file…
              </button>
            </div>
          </div>
        ) : (
          <FlowTable view={view} />
        )}
        {selected?.flow && <FlowDetail flow={selected.flow} />}
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop flow files to import
        </div>
      )}
    </div>
  );
}
