import { createEngine } from '@shared/engine';
import { applyFix, diagnose } from '@shared/diagnose';
import { lintSnapshot } from '@shared/lint';
import type { DiagnoseFix, Diagnosis, Question } from '@shared/diagnose/types';
import type { Snapshot } from '@shared/snapshot/types';

/**
 * "Apply to snapshot": applies the fixes to a COPY of the snapshot and re-runs the diagnosis locally
 * (the engine, lint and the wizard are pure TypeScript). Nothing is sent to the cluster.
 */
export function whatIfDiagnose(snapshot: Snapshot, fixes: DiagnoseFix[], question: Question): Diagnosis {
  let copy = snapshot;
  for (const f of fixes) copy = applyFix(copy, f);
  const engine = createEngine(copy);
  return diagnose(engine, question, { lint: lintSnapshot(copy, engine) });
}
