import { useEffect, useMemo, useState } from 'react';
import type { Flow } from '@shared/flows/types';
import type { TraceResult } from '@shared/engine/types';
import { compareFlowWithTrace, flowToQuestion, type FlowExplainFinding } from '@shared/flows/explain';
import { api } from '../../api';
import { useSession } from '../../stores/session';
import { useFlows } from '../../stores/flows';
import { describeError } from '../../stores/toasts';
import { navigate } from '../../lib/router';
import { CodeBlock } from '../../components/CopyButton';
import { flowRowData } from '@shared/flows/view';
import { verdictClass } from './flow-format';

interface Explained {
  finding: FlowExplainFinding;
  trace?: TraceResult;
  question?: { from: string; to: string; port: number; protocol: string };
}

/** The selected flow: summary, Explain (engine vs Hubble), and the full JSON. */
export function FlowDetail({ flow }: { flow: Flow }) {
  const summary = useSession((s) => s.summary);
  const [explained, setExplained] = useState<Explained | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const r = useMemo(() => flowRowData(flow, 0), [flow]);

  useEffect(() => {
    setExplained(undefined);
    setError(undefined);
  }, [flow]);

  const explain = async () => {
    setBusy(true);
    setError(undefined);
    const q = flowToQuestion(flow);
    try {
      if ('error' in q) {
        setError(`Cannot explain this flow: ${q.error}.`);
        return;
      }
      if (!summary) {
        setError('Open the snapshot of this cluster to compare the flow with its policies.');
        return;
      }
      let trace: TraceResult | { error: string };
      try {
        trace = await api.engine.trace({ snapshotId: summary.snapshotId, question: q });
      } catch (e) {
        const d = describeError(e);
        if (d.code === 'not-found' || d.code === 'bad-input') trace = { error: d.message };
        else throw e;
      }
      setExplained({
        finding: compareFlowWithTrace(flow, trace),
        trace: 'error' in trace ? undefined : trace,
        question: q,
      });
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="flow-detail card" aria-label="Flow details" data-testid="flow-detail">
      <div className="card-head">
        <h2>Flow</h2>
        <button
          type="button"
          className="btn ghost small"
          onClick={() => useFlows.getState().select(undefined)}
          aria-label="Close details"
        >
          ✕
        </button>
      </div>
      <div className="card-pad stack">
        <div className="fd-route mono">
          <div>{r.src}</div>
          <div className="faint">
            → {r.port} <span className={`pill ${verdictClass(r.verdict)}`}>{r.verdict}</span>
          </div>
          <div>{r.dst}</div>
        </div>
        <dl className="facts">
          <dt>Time</dt>
          <dd className="mono">{flow.time ?? '—'}</dd>
          {r.dropReason && (
            <>
              <dt>Drop reason</dt>
              <dd>{r.dropReason}</dd>
            </>
          )}
          {r.direction && (
            <>
              <dt>Direction</dt>
              <dd>{r.direction}</dd>
            </>
          )}
          <dt>Policies (Hubble)</dt>
          <dd className={r.defaultDeny ? 'default-deny' : ''}>
            {r.policies || <span className="faint">none reported</span>}
          </dd>
          {flow.node_name && (
            <>
              <dt>Node</dt>
              <dd className="mono">{flow.node_name}</dd>
            </>
          )}
        </dl>
        <div className="row">
          <button
            type="button"
            className="btn primary"
            onClick={() => void explain()}
            disabled={busy}
            data-testid="explain-flow"
          >
            {busy ? <span className="spinner" aria-hidden="true" /> : null} Explain
          </button>
          {explained?.question && (
            <button
              type="button"
              className="btn"
              data-testid="open-in-wizard"
              onClick={() => {
                const q = explained.question!;
                navigate('wizard', { from: q.from, to: q.to, port: q.port, protocol: q.protocol });
              }}
            >
              Open in wizard →
            </button>
          )}
        </div>
        {error && (
          <p className="banner warn" role="alert">
            {error}
          </p>
        )}
        {explained && <ExplainResult e={explained} />}
        <details className="fd-json">
          <summary>Full flow JSON</summary>
          <CodeBlock text={JSON.stringify(flow, null, 2)} copyLabel="Copy JSON" />
        </details>
      </div>
    </aside>
  );
}

function ExplainResult({ e }: { e: Explained }) {
  const f = e.finding;
  return (
    <div
      className={`banner ${f.agrees ? 'ok' : 'warn'} explain-result`}
      role="status"
      data-testid="explain-result"
      data-agrees={f.agrees}
    >
      <span className="banner-icon" aria-hidden="true">
        {f.agrees ? '✓' : '≠'}
      </span>
      <div className="stack">
        <h3>{f.agrees ? 'The policies agree with Hubble' : 'The policies and Hubble disagree'}</h3>
        <p>{f.message}</p>
        <div className="row wrap">
          <span className="faint">Hubble:</span> <span className="pill neutral">{f.hubble}</span>
          <span className="faint">Policies:</span>{' '}
          <span
            className={`pill ${f.engine === 'allowed' ? 'allowed' : f.engine === 'denied' ? 'denied' : 'neutral'}`}
          >
            {f.engine ?? 'unknown'}
          </span>
        </div>
        {e.trace && (
          <ul className="explain-sides">
            <li>
              <strong>Egress:</strong> {e.trace.egress.reason}
            </li>
            <li>
              <strong>Ingress:</strong> {e.trace.ingress.reason}
            </li>
          </ul>
        )}
        {f.notes.length > 0 && (
          <ul>
            {f.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
