import { useState } from 'react';
import { Icon } from '../../components/Icon';
import type { SnapshotSummary } from '@shared/api/contract';
import { api } from '../../api';
import { nsVisible, useSession } from '../../stores/session';
import { toastError, toastInfo } from '../../stores/toasts';
import { downloadFile } from '../../lib/download';
import { navigate } from '../../lib/router';
import { ago } from '../../lib/time';
import { describeSource } from '../../app/source';
import { CniPanel, CniBanner } from './CniPanel';
import { modKey } from '../../app/TitleBar';

const kindLabels: Record<string, string> = {
  NetworkPolicy: 'NetworkPolicy',
  AdminNetworkPolicy: 'AdminNetworkPolicy',
  BaselineAdminNetworkPolicy: 'BaselineAdminNetworkPolicy',
  ClusterNetworkPolicy: 'ClusterNetworkPolicy',
  CiliumNetworkPolicy: 'CiliumNetworkPolicy',
  CiliumClusterwideNetworkPolicy: 'CiliumClusterwideNetworkPolicy',
  CalicoNetworkPolicy: 'Calico NetworkPolicy',
  CalicoGlobalNetworkPolicy: 'Calico GlobalNetworkPolicy',
};

export function OverviewView() {
  const summary = useSession((s) => s.summary);
  const loading = useSession((s) => s.loading);
  const lastError = useSession((s) => s.lastError);
  if (!summary) {
    return (
      <div className="empty">
        <h1>Why can’t A reach B?</h1>
        <p>Open a kubeconfig context, snapshot files or the demo to start.</p>
        {lastError && (
          <p className="banner bad" role="alert">
            {lastError.code}: {lastError.message}
          </p>
        )}
        <div className="row">
          <button
            type="button"
            className="btn primary"
            onClick={() => useSession.getState().setPickerOpen(true)}
            disabled={!!loading}
          >
            Open… <span className="kbd">{modKey} K</span>
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => void useSession.getState().openDemo()}
            disabled={!!loading}
          >
            Open demo
          </button>
        </div>
      </div>
    );
  }
  return <Overview summary={summary} />;
}

function Overview({ summary }: { summary: SnapshotSummary }) {
  const src = describeSource(summary);
  const policyTotal = Object.values(summary.counts.policies).reduce((a, b) => a + b, 0);
  return (
    <div className="stack-lg overview">
      <div className="view-head">
        <div className="grow">
          <h1 data-testid="overview-title">{src.name}</h1>
          <div className="sub">
            {src.kind} · {src.detail} · taken {ago(summary.takenAt)}
          </div>
        </div>
        <SaveSnapshotButton summary={summary} />
        <button type="button" className="btn primary" onClick={() => navigate('wizard')}>
          Ask why A can’t reach B →
        </button>
      </div>

      <CniBanner cni={summary.cni} />
      <PartialBanner summary={summary} />

      <section aria-label="What was loaded" className="counts" data-testid="counts">
        <Count label="Namespaces" value={summary.counts.namespaces} testid="count-namespaces" />
        <Count label="Pods" value={summary.counts.pods} testid="count-pods" />
        <Count label="Services" value={summary.counts.services} testid="count-services" />
        <Count label="Nodes" value={summary.counts.nodes} testid="count-nodes" />
        <div className="count-card card policies-card">
          <div className="count-value" data-testid="count-policies">
            {policyTotal}
          </div>
          <div className="count-label">Policies</div>
          <ul className="policy-kinds">
            {Object.entries(summary.counts.policies)
              .filter(([, n]) => n > 0)
              .map(([k, n]) => (
                <li key={k}>
                  <span className="mono">{n}</span> {kindLabels[k] ?? k}
                </li>
              ))}
            {policyTotal === 0 && <li className="faint">none — every pod accepts all traffic</li>}
          </ul>
        </div>
      </section>

      <div className="overview-grid">
        <CniPanel cni={summary.cni} />
        <NamespacesPanel />
      </div>

      <LoadFindings summary={summary} />
    </div>
  );
}

function Count({ label, value, testid }: { label: string; value: number; testid: string }) {
  return (
    <div className="count-card card">
      <div className="count-value" data-testid={testid}>
        {value.toLocaleString()}
      </div>
      <div className="count-label">{label}</div>
    </div>
  );
}

function PartialBanner({ summary }: { summary: SnapshotSummary }) {
  const gaps = summary.partial?.gaps ?? [];
  if (gaps.length === 0) return null;
  return (
    <div className="banner warn" role="alert" data-testid="partial-warning">
      <span className="banner-icon" aria-hidden="true">
        ⚠
      </span>
      <div>
        <h3>Partial data: some objects could not be read</h3>
        <p>
          Verdicts on this snapshot may be incomplete — a policy you cannot see may still allow or deny
          traffic. Everything else still works.
        </p>
        <ul>
          {gaps.map((g, i) => (
            <li key={i}>{g.message}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function SaveSnapshotButton({ summary }: { summary: SnapshotSummary }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          const out = await api.snapshot.export({ snapshotId: summary.snapshotId });
          downloadFile(out.fileName, out.text, 'application/yaml');
          toastInfo('Snapshot saved', `${out.fileName} — open it later with “Open snapshot files…”.`);
        } catch (e) {
          toastError('Could not save the snapshot', e);
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : <Icon name="download" />} Save snapshot
    </button>
  );
}

const NO_GAPS: never[] = [];

function NamespacesPanel() {
  const snapshot = useSession((s) => s.snapshot);
  const filter = useSession((s) => s.namespaces);
  const gaps = useSession((s) => s.summary?.partial?.gaps) ?? NO_GAPS;
  const forbidden = (ns: string) =>
    gaps.some((g) => g.resource === 'networkpolicies' && (!g.namespace || g.namespace === ns));
  if (!snapshot) {
    return (
      <section className="card" aria-label="Namespaces">
        <div className="card-head">
          <h2>Namespaces</h2>
        </div>
        <div className="card-pad faint">Reading objects…</div>
      </section>
    );
  }
  const rows = snapshot.namespaces
    .filter((n) => nsVisible(filter, n.metadata.name))
    .map((n) => {
      const name = n.metadata.name;
      const pods = snapshot.pods.filter((p) => p.metadata.namespace === name).length;
      const policies = snapshot.networkPolicies.filter((p) => p.metadata.namespace === name);
      return { name, labels: n.metadata.labels ?? {}, pods, policies };
    });
  return (
    <section className="card" aria-labelledby="ns-title">
      <div className="card-head">
        <h2 id="ns-title">Namespaces</h2>
        <span className="faint">{rows.length}</span>
      </div>
      <div className="table-scroll">
        <table className="data ns-table">
          <thead>
            <tr>
              <th>Namespace</th>
              <th className="num">Pods</th>
              <th>NetworkPolicies</th>
              <th>Labels</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <td className="mono">{r.name}</td>
                <td className="num">{r.pods}</td>
                <td>
                  {forbidden(r.name) ? (
                    <span
                      className="pill warn"
                      title="You may not list NetworkPolicies here: the list may be incomplete"
                    >
                      no permission{r.policies.length ? ` (${r.policies.length} seen)` : ''}
                    </span>
                  ) : r.policies.length === 0 ? (
                    <span className="faint">none</span>
                  ) : (
                    <div className="chips">
                      {r.policies.map((p) => (
                        <span key={p.metadata.name} className="chip">
                          {p.metadata.name}
                        </span>
                      ))}
                    </div>
                  )}
                </td>
                <td>
                  <div className="chips">
                    {Object.entries(r.labels).map(([k, v]) => (
                      <span key={k} className="chip">
                        {k}={v}
                      </span>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function LoadFindings({ summary }: { summary: SnapshotSummary }) {
  const unknown = Object.entries(summary.unknownKinds);
  const findings = summary.loadFindings;
  if (unknown.length === 0 && findings.length === 0) return null;
  return (
    <section className="card" aria-labelledby="lf-title" data-testid="load-findings">
      <div className="card-head">
        <h2 id="lf-title">While loading</h2>
        <span className="faint">
          {findings.length} finding{findings.length === 1 ? '' : 's'}
          {unknown.length > 0 ? ` · ${unknown.length} unknown kind${unknown.length === 1 ? '' : 's'}` : ''}
        </span>
      </div>
      {unknown.length > 0 && (
        <div className="card-pad">
          <p className="muted">These kinds were not analysed (kept, not an error):</p>
          <div className="chips">
            {unknown.map(([k, n]) => (
              <span key={k} className="chip">
                {k} × {n}
              </span>
            ))}
          </div>
        </div>
      )}
      {findings.length > 0 && (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Object</th>
                <th>Field</th>
                <th>Where</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f, i) => (
                <tr key={i}>
                  <td>
                    <span className={`pill ${f.severity}`}>{f.severity}</span>
                  </td>
                  <td className="mono">
                    {f.object
                      ? `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`
                      : '—'}
                  </td>
                  <td className="mono">{f.field ?? '—'}</td>
                  <td className="mono">
                    {f.file ? `${f.file.split(/[\\/]/).pop()}${f.line ? `:${f.line}` : ''}` : '—'}
                  </td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
