import type { Diagnosis } from '@shared/diagnose/types';
import type { DirectionTrace, RuleRef } from '@shared/engine/types';
import { StatusIcon } from '../../components/StatusIcon';
import { useWizard } from '../../stores/wizard';

export function policyName(p: RuleRef['policy']): string {
  return `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
}

/** "ingress rule 1 of NetworkPolicy backend/allow-from-frontend (Allow)" */
export function describeRule(r: RuleRef): string {
  return `${r.direction} rule ${r.index + 1}${r.name ? ` “${r.name}”` : ''} of ${policyName(r.policy)} (${r.action})`;
}

/** The deciding rule on one side, in plain words. */
export function sideDecision(side: DirectionTrace): string {
  if (side.decidedBy.length > 0) return `Decided by ${side.decidedBy.map(describeRule).join('; ')}.`;
  if (!side.applicable) return 'Not a pod the policies can select on this side: no policy applies.';
  if (side.isolated)
    return `No rule admits it: ${side.isolatedBy.map(policyName).join(', ')} isolate${side.isolatedBy.length === 1 ? 's' : ''} the pod, so the default deny applies.`;
  return 'No policy selects this pod in this direction: allowed by default.';
}

function Side({ title, side }: { title: string; side: DirectionTrace }) {
  const deny = side.decision === 'deny';
  return (
    <div className={`verdict-side ${deny ? 'deny' : 'allow'}`} data-testid={`verdict-${side.direction}`}>
      <div className="row">
        <span className="side-title grow">{title}</span>
        <span className={`pill ${deny ? 'denied' : 'allowed'}`}>{deny ? 'denies' : 'allows'}</span>
      </div>
      <p className="side-rule">{sideDecision(side)}</p>
    </div>
  );
}

function openStep(id: string) {
  useWizard.getState().toggle(id, true);
  requestAnimationFrame(() => {
    const el = document.getElementById(`step-btn-${id}`);
    el?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    el?.focus({ preventScroll: true });
  });
}

/** At a glance: allowed or denied, the cause, and the deciding rule on each side. */
export function VerdictPanel({ diagnosis, whatIf }: { diagnosis: Diagnosis; whatIf?: boolean }) {
  const t = diagnosis.trace;
  const allowed = diagnosis.verdict === 'allowed';
  const q = t.query;
  const cause = diagnosis.cause ? diagnosis.steps.find((s) => s.id === diagnosis.cause) : undefined;
  const fixes = diagnosis.fixes.length;
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
          <h2 id="verdict-title" data-testid="verdict-word">
            {whatIf ? 'What-if: ' : ''}
            {allowed ? 'Allowed' : 'Denied'}
          </h2>
          <p className="verdict-q mono">
            {q.from} → {q.to} : {q.port}
            {q.portName ? ` (${q.portName})` : ''}/{q.protocol}
          </p>
        </div>
        {diagnosis.partial && <span className="pill warn">partial data — may be incomplete</span>}
      </div>
      {cause && (
        <div className={`verdict-cause ${cause.status}`} data-testid="verdict-cause" data-cause={cause.id}>
          <StatusIcon status={cause.status} size={22} />
          <div className="grow">
            <div className="cause-label">
              {allowed ? 'But look at' : 'Cause'}: <strong>{cause.title}</strong>
            </div>
            <p>{cause.summary}</p>
          </div>
          <button
            type="button"
            className="btn primary"
            onClick={() => openStep(cause.id)}
            data-testid="go-to-cause"
          >
            {fixes > 0 ? `See the fix${fixes === 1 ? '' : 'es'}` : 'See the evidence'} →
          </button>
        </div>
      )}
      <div className="verdict-sides">
        <Side title="Source side (egress)" side={t.egress} />
        <Side title="Destination side (ingress)" side={t.ingress} />
      </div>
    </section>
  );
}
