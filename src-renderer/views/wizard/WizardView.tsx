import { useEffect, useRef } from 'react';
import { useRoute } from '../../lib/router';
import { useSession } from '../../stores/session';
import { useWizard } from '../../stores/wizard';
import { CniBanner } from '../overview/CniPanel';
import { QuestionForm } from './QuestionForm';
import { ReportExport } from './ReportExport';
import { StepCard, Stepper } from './StepCard';
import { VerdictPanel } from './VerdictPanel';
import { draftFromParams, sameQuestion, toQuestion } from './question';
import type { Diagnosis } from '@shared/diagnose/types';

export function WizardView() {
  const { params } = useRoute();
  const summary = useSession((s) => s.summary);
  const running = useWizard((s) => s.running);
  const diagnosis = useWizard((s) => s.diagnosis);
  const whatIf = useWizard((s) => s.whatIf);
  const whatIfError = useWizard((s) => s.whatIfError);
  const error = useWizard((s) => s.error);
  const ranKey = useRef<string | undefined>(undefined);

  // the deep link (#/wizard?from=…&to=…&port=…&protocol=…) fills the form and runs it
  const paramKey = params.toString();
  const snapshotId = summary?.snapshotId;
  useEffect(() => {
    const d = draftFromParams(new URLSearchParams(paramKey));
    if (!d) return;
    useWizard.getState().setDraft(d);
    const { question } = toQuestion(d);
    const key = `${snapshotId}|${paramKey}`;
    if (question && snapshotId && ranKey.current !== key) {
      ranKey.current = key;
      void useWizard.getState().run(question);
    }
  }, [paramKey, snapshotId]);

  // on a live context the wizard re-runs when the cluster changes (snapshot.updated)
  const takenAt = summary?.takenAt;
  const lastTaken = useRef(takenAt);
  useEffect(() => {
    if (lastTaken.current === takenAt) return;
    lastTaken.current = takenAt;
    const w = useWizard.getState();
    if (w.diagnosis && !w.running && !w.whatIf && w.snapshotId === snapshotId)
      void w.run(w.diagnosis.question);
  }, [takenAt, snapshotId]);

  const shown = whatIf?.diagnosis ?? diagnosis;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusedFor = useRef<Diagnosis['question'] | undefined>(undefined);
  useEffect(() => {
    // move focus to the results for a new question (not on a live re-run of the same one)
    if (diagnosis && !running && !sameQuestion(focusedFor.current, diagnosis.question)) {
      focusedFor.current = diagnosis.question;
      headingRef.current?.focus();
    }
  }, [diagnosis, running]);

  return (
    <div className="stack-lg wizard">
      <div className="view-head">
        <div className="grow">
          <h1>Troubleshooting wizard</h1>
          <div className="sub">
            Labels → namespace → syntax → CNI → verdict, with the evidence and a fix for each step.
          </div>
        </div>
      </div>
      <QuestionForm />
      {!summary && (
        <p className="banner info">Open a context, snapshot files or the demo to ask a question.</p>
      )}
      {error && (
        <div className="banner bad" role="alert" data-testid="wizard-error">
          <span className="banner-icon" aria-hidden="true">
            ✕
          </span>
          <div>
            <h3>Could not diagnose ({error.code})</h3>
            <p>{error.message}</p>
            {error.details && error.details.length > 0 && (
              <ul>
                {error.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {running && (
        <div className="row muted" role="status">
          <span className="spinner" aria-hidden="true" /> Evaluating every policy…
        </div>
      )}
      {shown && (
        <div className="stack-lg results" aria-live="polite">
          <h2 className="visually-hidden" tabIndex={-1} ref={headingRef}>
            Diagnosis
          </h2>
          {whatIf && (
            <div className="banner info whatif-banner" data-testid="whatif-banner">
              <span className="banner-icon" aria-hidden="true">
                ⎇
              </span>
              <div className="grow">
                <h3>
                  What-if: {whatIf.fixes.length} fix{whatIf.fixes.length === 1 ? '' : 'es'} applied to a copy
                  of the snapshot
                </h3>
                <p>
                  Verdict was <strong>{whatIf.before}</strong>, now{' '}
                  <strong data-testid="whatif-verdict">{whatIf.diagnosis.verdict}</strong>. Nothing was
                  changed in the cluster — apply the fix there with the command or YAML shown.
                </p>
                <ul>
                  {whatIf.fixes.map((f) => (
                    <li key={f.id}>{f.description}</li>
                  ))}
                </ul>
              </div>
              <button
                type="button"
                className="btn"
                onClick={() => useWizard.getState().clearWhatIf()}
                data-testid="whatif-discard"
              >
                Back to the real snapshot
              </button>
            </div>
          )}
          {whatIfError && (
            <p className="banner warn" role="alert">
              Could not apply the fix to the snapshot: {whatIfError}
            </p>
          )}
          <CniBanner cni={shown.cni} />
          <VerdictPanel diagnosis={shown} whatIf={!!whatIf} />
          <Stepper steps={shown.steps} />
          <div className="stack steps">
            {shown.steps.map((s, i) => (
              <StepCard key={s.id} step={s} index={i} canApply={true} />
            ))}
          </div>
          {snapshotId && !whatIf && <ReportExport snapshotId={snapshotId} question={shown.question} />}
        </div>
      )}
      {!shown && !running && !error && summary && (
        <div className="empty wizard-empty">
          <p>
            Pick a source and a destination, then Diagnose. The address bar keeps the question, so you can
            share it.
          </p>
        </div>
      )}
    </div>
  );
}
