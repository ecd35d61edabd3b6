import type { DiagnoseStep } from '@shared/diagnose/types';
import { StatusIcon, statusWord } from '../../components/StatusIcon';
import { useWizard } from '../../stores/wizard';
import { EvidenceTable } from './EvidenceTable';
import { FixView } from './FixView';

const stepBlurb: Record<string, string> = {
  labels: 'Which policies select each pod, and do the pods’ labels match their selectors?',
  namespace: 'Do the namespaces’ labels match every namespaceSelector involved?',
  syntax: 'Schema errors and lint findings for the policies involved.',
  cni: 'Does the CNI enforce policies, and are its agents healthy on both nodes?',
  verdict: 'What the policies decide, and which rule decided it on each side.',
};

/** One wizard step: a header button (Enter/Space toggles) and its evidence, findings and fixes. */
export function StepCard({
  step,
  index,
  canApply,
}: {
  step: DiagnoseStep;
  index: number;
  canApply: boolean;
}) {
  const open = useWizard((s) => !!s.expanded[step.id]);
  const toggle = useWizard((s) => s.toggle);
  const bodyId = `step-body-${step.id}`;
  return (
    <section
      className={`step card ${step.status} ${open ? 'open' : ''}`}
      data-testid={`step-${step.id}`}
      data-status={step.status}
      aria-labelledby={`step-h-${step.id}`}
    >
      <h3 className="step-h" id={`step-h-${step.id}`}>
        <button
          type="button"
          className="step-toggle"
          id={`step-btn-${step.id}`}
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => toggle(step.id)}
        >
          <StatusIcon status={step.status} size={28} />
          <span className="step-titles">
            <span className="step-title">
              <span className="step-num">{index + 1}</span> {step.title}
              <span className={`pill ${step.status}`}>{statusWord(step.status)}</span>
            </span>
            <span className="step-summary">
              {step.status === 'skip' && step.skipReason ? step.skipReason : step.summary}
            </span>
          </span>
          <span className="step-chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
        </button>
      </h3>
      {open && (
        <div className="step-body" id={bodyId}>
          <p className="faint step-blurb">{stepBlurb[step.id]}</p>
          {step.status === 'skip' && step.skipReason && <p className="muted">Skipped: {step.skipReason}</p>}
          <EvidenceTable evidence={step.evidence} />
          {step.id === 'verdict' && <VerdictExplanation step={step} />}
          {step.id !== 'verdict' && step.findings.length > 0 && (
            <ul className="findings">
              {step.findings.map((f, i) => (
                <li key={i} className={`finding ${f.severity}`}>
                  <div className="finding-msg">
                    <StatusIcon
                      status={f.severity === 'error' ? 'fail' : f.severity === 'warning' ? 'warn' : 'info'}
                      size={16}
                    />
                    <span>{f.message}</span>
                  </div>
                  {f.fix && <FixView fix={f.fix} canApply={canApply} />}
                </li>
              ))}
            </ul>
          )}
          {step.findings.length === 0 && step.evidence.length === 0 && step.status !== 'skip' && (
            <p className="faint">Nothing to report for this step.</p>
          )}
        </div>
      )}
    </section>
  );
}

/** The verdict step: the engine's explanation as numbered sentences, then any finding with a fix. */
function VerdictExplanation({ step }: { step: DiagnoseStep }) {
  const sentences = step.findings.filter((f) => !f.fix);
  const withFix = step.findings.filter((f) => f.fix);
  return (
    <>
      {sentences.length > 0 && (
        <div className="explanation">
          <h4>Explanation</h4>
          <ol>
            {sentences.map((f, i) => (
              <li key={i} className={f.severity}>
                {f.message}
              </li>
            ))}
          </ol>
        </div>
      )}
      {withFix.length > 0 && (
        <ul className="findings">
          {withFix.map((f, i) => (
            <li key={i} className={`finding ${f.severity}`}>
              <div className="finding-msg">
                <StatusIcon
                  status={f.severity === 'error' ? 'fail' : f.severity === 'warning' ? 'warn' : 'info'}
                  size={16}
                />
                <span>{f.message}</span>
              </div>
              {f.fix && <FixView fix={f.fix} canApply={true} />}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The row of steps at the top: status at a glance; each jumps to (and opens) its card. */
export function Stepper({ steps }: { steps: DiagnoseStep[] }) {
  const toggle = useWizard((s) => s.toggle);
  return (
    <ol className="stepper" aria-label="Diagnosis steps">
      {steps.map((s, i) => (
        <li key={s.id} className={`stepper-item ${s.status}`}>
          <button
            type="button"
            className="stepper-btn"
            onClick={() => {
              toggle(s.id, true);
              requestAnimationFrame(() => {
                const el = document.getElementById(`step-btn-${s.id}`);
                el?.scrollIntoView({ block: 'start', behavior: 'smooth' });
                el?.focus({ preventScroll: true });
              });
            }}
            aria-label={`Step ${i + 1}, ${s.title}: ${statusWord(s.status)}`}
          >
            <StatusIcon status={s.status} size={22} />
            <span className="stepper-label">{s.title}</span>
          </button>
          {i < steps.length - 1 && <span className="stepper-line" aria-hidden="true" />}
        </li>
      ))}
    </ol>
  );
}
