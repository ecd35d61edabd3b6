import type { Diagnosis } from '@shared/diagnose/types';
import type { DirectionTrace, RuleRef } from '@shared/engine/types';

export function policyName(p: RuleRef['policy']): string {
  return `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
}

/** "ingress rule 1 of NetworkPolicy backend/allow-from-frontend (Allow)" */
export function describeRule(r: RuleRef): string {
  return `${r.direction} rule ${r.index + 1}${r.name ? ` “${r.name}”` : ''} of ${policyName(r.policy)} (${r.action})`;
}

function Side({ title, side }: { title: string; side: DirectionTrace }) {
  const deny = side.decision === 'deny';
  return (
    <div className={`verdict-side ${deny ? 'deny' : 'allow'}`} data-testid={`verdict-${side.direction}`}>
      <div className="row">
        <span className="side-title grow">{title}</span>
        <span className={`pill ${deny ? 'denied' : 'allowed'}`}>{deny ? 'denies' : 'allows'}</span>
      </div>
      <p className="side-reason">{side.reason}</p>
      {side.decidedBy.length > 0 ? (
        <ul className="side-rules">
          {side.decidedBy.map((r, i) => (
            <li key={i}>
              Decided by <strong>{describeRule(r)}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className="faint side-rules">
          {!side.applicable
            ? 'Not a pod the policies can select on this side.'
            : side.isolated
              ? `Isolated by ${side.isolatedBy.map(policyName).join(', ')}; no rule matched, so the default deny applies.`
              : 'No policy selects this pod in this direction: allowed by default.'}
        </p>
      )}
    </div>
  );
}

/** Allowed or denied, the deciding rule on each side in plain words, and the engine's explanation. */
export function VerdictPanel({ diagnosis, whatIf }: { diagnosis: Diagnosis; whatIf?: boolean }) {
  const t = diagnosis.trace;
  const allowed = diagnosis.verdict === 'allowed';
  const q = t.query;
  return (
    <section
      className={`verdict card ${allowed ? 'allowed' : 'denied'}`}
      aria-labelledby="verdict-title"
      data-testid="verdict"
      data-verdict={diagnosis.verdict}
    >
      <div className="verdict-head">
        <div className="verdict-badge" aria-hidden="true">
          {allowed ? '✓' : '✕'}
        </div>
        <div className="grow">
          <h2 id="verdict-title">
            {whatIf ? 'What-if verdict: ' : ''}
            {allowed ? 'Allowed' : 'Denied'}
          </h2>
          <p className="verdict-q mono">
            {q.from} → {q.to} : {q.port}
            {q.portName ? ` (${q.portName})` : ''}/{q.protocol}
          </p>
        </div>
        {diagnosis.partial && <span className="pill warn">partial data — may be incomplete</span>}
      </div>
      <div className="verdict-sides">
        <Side title="Source side (egress)" side={t.egress} />
        <Side title="Destination side (ingress)" side={t.ingress} />
      </div>
      {t.explanation.length > 0 && (
        <div className="explanation">
          <h3>Explanation</h3>
          <ol>
            {t.explanation.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </div>
      )}
      {t.assumptions.length > 0 && (
        <details className="assumptions">
          <summary>Assumptions ({t.assumptions.length})</summary>
          <ul>
            {t.assumptions.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
