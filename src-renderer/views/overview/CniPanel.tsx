import type { CniFacts } from '@shared/snapshot/types';
import { StatusIcon } from '../../components/StatusIcon';

const cniNames: Record<string, string> = {
  cilium: 'Cilium',
  calico: 'Calico',
  canal: 'Canal',
  flannel: 'Flannel',
  kindnet: 'kindnet',
  'aws-vpc-cni': 'AWS VPC CNI',
  'azure-cni': 'Azure CNI',
  'azure-npm': 'Azure NPM',
  'gke-dpv2': 'GKE Dataplane V2',
  weave: 'Weave Net',
  antrea: 'Antrea',
  'kube-router': 'kube-router',
  'ovn-kubernetes': 'OVN-Kubernetes',
  unknown: 'Unknown CNI',
};

export function cniDisplayName(cni: CniFacts): string {
  return cniNames[cni.name] ?? cni.name;
}

/** The prominent red banner when the CNI does not enforce NetworkPolicy. */
export function CniBanner({ cni }: { cni?: CniFacts }) {
  if (!cni) return null;
  if (cni.enforcesNetworkPolicy === false) {
    return (
      <div className="banner bad cni-banner" role="alert" data-testid="cni-not-enforcing">
        <span className="banner-icon" aria-hidden="true">
          ⛔
        </span>
        <div>
          <h3>{cniDisplayName(cni)} does not enforce NetworkPolicy — your policies have no effect</h3>
          <p>
            Every pod can reach every other pod, whatever the policies say. Verdicts below describe what the
            policies would do on a CNI that enforces them.
          </p>
          {cni.warnings.length > 0 && (
            <ul>
              {cni.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    );
  }
  const unready = cni.nodes.filter((n) => !n.ready);
  if (cni.enforcesNetworkPolicy === 'unknown' || unready.length > 0 || cni.warnings.length > 0) {
    return (
      <div className="banner warn" role="status">
        <span className="banner-icon" aria-hidden="true">
          ⚠
        </span>
        <div>
          <h3>
            {cni.enforcesNetworkPolicy === 'unknown'
              ? 'Could not tell whether the CNI enforces NetworkPolicy'
              : unready.length > 0
                ? `${cniDisplayName(cni)} agent not ready on ${unready.map((n) => n.node).join(', ')}`
                : `${cniDisplayName(cni)} warnings`}
          </h3>
          {cni.warnings.length > 0 && (
            <ul>
              {cni.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    );
  }
  return null;
}

/** CNI health: name, version, enforcement, components, per-node agents, observability. */
export function CniPanel({ cni }: { cni?: CniFacts }) {
  if (!cni) {
    return (
      <section className="card" aria-label="CNI health">
        <div className="card-head">
          <h2>CNI</h2>
        </div>
        <div className="card-pad muted">
          No CNI facts in this snapshot (no agent DaemonSet or config was loaded).
        </div>
      </section>
    );
  }
  const enforce = cni.enforcesNetworkPolicy;
  const mode = cni.cilium?.policyEnforcementMode;
  return (
    <section className="card cni-panel" aria-labelledby="cni-title" data-testid="cni-panel">
      <div className="card-head">
        <h2 id="cni-title">
          CNI: {cniDisplayName(cni)} {cni.version && <span className="faint mono">{cni.version}</span>}
        </h2>
        <span className={`pill ${enforce === true ? 'ok' : enforce === false ? 'bad' : 'warn'}`}>
          {enforce === true
            ? 'enforces policies'
            : enforce === false
              ? 'does NOT enforce policies'
              : 'enforcement unknown'}
        </span>
      </div>
      <div className="card-pad stack">
        <dl className="facts">
          {mode && (
            <>
              <dt>Policy enforcement mode</dt>
              <dd className="mono">{mode}</dd>
            </>
          )}
          <dt>Hubble</dt>
          <dd>
            {cni.observability.hubble ? (
              <span className="pill ok">available</span>
            ) : (
              <span className="pill neutral">not available</span>
            )}
            {cni.cilium && (
              <span className="faint">
                {' '}
                enabled: {fmtBool(cni.cilium.hubbleEnabled)} · relay: {fmtBool(cni.cilium.hubbleRelayPresent)}
              </span>
            )}
          </dd>
          {cni.calico && (
            <>
              <dt>Calico install</dt>
              <dd>
                {cni.calico.install} in <span className="mono">{cni.calico.namespace}</span>
                {cni.calico.v3ApiServed !== undefined &&
                  ` · v3 API ${cni.calico.v3ApiServed ? 'served' : 'not served'}`}
              </dd>
            </>
          )}
          <dt>ipBlock vs pod IPs</dt>
          <dd>
            {cni.ipBlockMatchesPodIPs ? 'ipBlock also matches pod IPs' : 'ipBlock does not match pod IPs'}
          </dd>
        </dl>

        {cni.components.length > 0 && (
          <div>
            <h3 className="sub-h">Components</h3>
            <table className="data">
              <thead>
                <tr>
                  <th>Component</th>
                  <th>Kind</th>
                  <th className="num">Ready</th>
                  <th>Version</th>
                </tr>
              </thead>
              <tbody>
                {cni.components.map((c) => {
                  const ok = c.present && (c.desired === undefined || c.ready === c.desired);
                  return (
                    <tr key={`${c.namespace}/${c.name}`}>
                      <td>
                        <span className="row">
                          <StatusIcon status={!c.present ? 'skip' : ok ? 'pass' : 'fail'} size={16} />
                          <span className="mono">
                            {c.namespace}/{c.name}
                          </span>
                        </span>
                      </td>
                      <td>{c.kind}</td>
                      <td className="num">
                        {c.present ? `${c.ready ?? '?'}/${c.desired ?? '?'}` : 'absent'}
                      </td>
                      <td className="mono">{c.version ?? '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}

        {cni.nodes.length > 0 && (
          <div>
            <h3 className="sub-h">Agent per node</h3>
            <table className="data" data-testid="cni-nodes">
              <thead>
                <tr>
                  <th>Node</th>
                  <th>Agent pod</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {cni.nodes.map((n) => (
                  <tr key={n.node}>
                    <td className="mono">{n.node}</td>
                    <td className="mono">{n.pod ?? '—'}</td>
                    <td>
                      <span className={`pill ${n.ready ? 'ok' : 'bad'}`}>
                        {n.ready ? 'ready' : 'not ready'}
                      </span>
                      {n.reason && <span className="muted"> {n.reason}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {cni.evidence.length > 0 && (
          <details className="evidence-list">
            <summary>How this was detected ({cni.evidence.length})</summary>
            <ul>
              {cni.evidence.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </section>
  );
}

function fmtBool(b: boolean | undefined): string {
  return b === undefined ? 'unknown' : b ? 'yes' : 'no';
}
