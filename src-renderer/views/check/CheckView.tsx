import { useMemo, useRef, useState } from 'react';
import type { CheckRun } from '@shared/check/types';
import { api } from '../../api';
import { nsVisible, useSession } from '../../stores/session';
import { describeError } from '../../stores/toasts';
import { readFiles } from '../../lib/download';
import { navigate } from '../../lib/router';
import { policyName } from '../wizard/VerdictPanel';

const bundledExpectations = import.meta.glob('../../../assets/demo/*expect*.{yaml,yml,json}', {
  query: '?raw',
  import: 'default',
}) as Record<string, () => Promise<string>>;

/** Expected connections checked against the snapshot (netpol-doctor check, in the app). */
export function CheckView() {
  const summary = useSession((s) => s.summary);
  const nsFilter = useSession((s) => s.namespaces);
  const [file, setFile] = useState<string | undefined>();
  const [run, setRun] = useState<CheckRun | undefined>();
  const [error, setError] = useState<{ code: string; message: string; details?: string[] } | undefined>();
  const [busy, setBusy] = useState(false);
  const [failedOnly, setFailedOnly] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const demoFiles = Object.entries(bundledExpectations)
    .map(([path, load]) => ({ name: path.split('/').pop()!, load }))
    .sort((a, b) => a.name.length - b.name.length);

  const check = async (name: string, text: string) => {
    if (!summary) return;
    setBusy(true);
    setError(undefined);
    setFile(name);
    try {
      setRun(await api.check.run({ snapshotId: summary.snapshotId, expectations: { name, text } }));
    } catch (e) {
      setRun(undefined);
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const rows = useMemo(() => {
    const all = run?.results ?? [];
    return all.filter(
      (r) =>
        (!failedOnly || !r.ok) &&
        (nsFilter.length === 0 ||
          nsVisible(nsFilter, r.from.split('/')[0]) ||
          nsVisible(nsFilter, r.to.split('/')[0])),
    );
  }, [run, failedOnly, nsFilter]);

  return (
    <div className="stack-lg">
      <div className="view-head">
        <div className="grow">
          <h1>Check expected connections</h1>
          <div className="sub">
            An expectations file (<code>from</code>, <code>to</code>, <code>port</code>,{' '}
            <code>expect: allowed|denied</code>) checked against {summary ? 'this snapshot' : 'a snapshot'} —
            the same as <code>netpol-doctor check</code>.
          </div>
        </div>
        {summary?.source.type === 'demo' &&
          demoFiles.map((d, i) => (
            <button
              key={d.name}
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => void d.load().then((t) => check(d.name, t))}
              data-testid={i === 0 ? 'check-demo' : `check-demo-${i}`}
              title={`assets/demo/${d.name}`}
            >
              Demo: {d.name}
            </button>
          ))}
        <button
          type="button"
          className="btn primary"
          disabled={!summary || busy}
          onClick={() => input.current?.click()}
          data-testid="check-open"
        >
          Load expectations…
        </button>
        <input
          ref={input}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          accept=".yaml,.yml,.json"
          data-testid="check-file-input"
          onChange={async (e) => {
            const f = e.target.files;
            if (!f || f.length === 0) return;
            const [t] = await readFiles(f);
            e.target.value = '';
            await check(t.name, t.text);
          }}
        />
      </div>
      {!summary && <p className="banner info">Open a context, snapshot or the demo first.</p>}
      {busy && (
        <p className="row muted" role="status">
          <span className="spinner" aria-hidden="true" /> Checking {file}…
        </p>
      )}
      {error && (
        <div className="banner bad" role="alert" data-testid="check-error">
          <span className="banner-icon" aria-hidden="true">
            ✕
          </span>
          <div>
            <h3>
              Could not check {file} ({error.code})
            </h3>
            <p>{error.message}</p>
            {error.details && (
              <ul>
                {error.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {run && (
        <>
          <div
            className={`banner ${run.failed > 0 || run.errors.length > 0 ? 'bad' : 'ok'}`}
            role="status"
            data-testid="check-summary"
          >
            <span className="banner-icon" aria-hidden="true">
              {run.failed > 0 ? '✕' : '✓'}
            </span>
            <div className="grow">
              <h3>
                {run.passed} passed, {run.failed} failed
                {run.errors.length > 0 ? `, ${run.errors.length} could not be checked` : ''}
              </h3>
              <p className="faint">
                {file} · {run.results.length} connection{run.results.length === 1 ? '' : 's'} in{' '}
                {(run.seconds * 1000).toFixed(0)} ms
              </p>
            </div>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={failedOnly}
                onChange={(e) => setFailedOnly(e.target.checked)}
                data-testid="check-failed-only"
              />
              Failed only
            </label>
          </div>
          {run.errors.length > 0 && (
            <div className="banner warn" role="alert">
              <div>
                <h3>Entries that could not be checked</h3>
                <ul>
                  {run.errors.map((e, i) => (
                    <li key={i}>
                      entry {e.entry + 1}
                      {e.name ? ` (${e.name})` : ''}: {e.message}
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          )}
          <div className="card table-scroll">
            <table className="data check-table" data-testid="check-table">
              <thead>
                <tr>
                  <th>Result</th>
                  <th>Name</th>
                  <th>From</th>
                  <th>To</th>
                  <th>Port</th>
                  <th>Expected</th>
                  <th>Actual</th>
                  <th>Reason</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i} className={r.ok ? '' : 'row-fail'} data-ok={r.ok}>
                    <td>
                      <span className={`pill ${r.ok ? 'pass' : 'fail'}`}>{r.ok ? 'pass' : 'FAIL'}</span>
                    </td>
                    <td>{r.name ?? <span className="faint">—</span>}</td>
                    <td className="mono">{r.from}</td>
                    <td className="mono">{r.to}</td>
                    <td className="mono">
                      {r.port}
                      {r.portName ? ` (${r.portName})` : ''}/{r.protocol}
                    </td>
                    <td>
                      <span className={`pill ${r.expect}`}>{r.expect}</span>
                    </td>
                    <td>
                      <span className={`pill ${r.actual}`}>{r.actual}</span>
                    </td>
                    <td className="reason">
                      {r.reason}
                      {r.decidedBy.length > 0 && (
                        <div className="faint">decided by {r.decidedBy.map(policyName).join(', ')}</div>
                      )}
                    </td>
                    <td>
                      {!r.ok && (
                        <button
                          type="button"
                          className="btn small"
                          onClick={() =>
                            navigate('wizard', {
                              from: r.from,
                              to: r.to,
                              port: r.portName ?? r.port,
                              protocol: r.protocol,
                            })
                          }
                        >
                          Open in wizard →
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={9} className="faint">
                      {failedOnly ? 'No failed expectation.' : 'No entries.'}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
      {!run && !error && !busy && summary && (
        <div className="empty card">
          <h2>Write your intent down, check it on every change</h2>
          <pre className="code-block example-expect">{`- name: frontend reaches the api
  from: frontend/app=web
  to: backend/app=api
  port: 8080/TCP
  expect: allowed
- name: nothing else reaches the database
  from: "*/*"
  to: data/app=postgres
  port: 5432/TCP
  expect: denied`}</pre>
        </div>
      )}
    </div>
  );
}
