import { createEngine } from '@shared/engine';
import { applyFix, diagnose } from '@shared/diagnose';
import type { DiagnoseFix, Diagnosis, Question } from '@shared/diagnose/types';
import type { Snapshot } from '@shared/snapshot/types';

/**
 * "Apply to snapshot": applies the fixes to a COPY of the snapshot and re-runs the diagnosis locally
 * (the engine and the wizard are pure TypeScript). Nothing is sent to the cluster.
 */
export function whatIfDiagnose(snapshot: Snapshot, fixes: DiagnoseFix[], question: Question): Diagnosis {
  let copy = snapshot;
  for (const f of fixes) copy = applyFix(copy, f);
  // CNI facts stay those of the original snapshot (a fix never changes the CNI)
  const engine = createEngine(copy);
  return diagnose(engine, question);
}
