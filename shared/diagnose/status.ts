import type { StepFinding, StepStatus } from './types';

/** fail when a finding is an error, warn when one is a warning, pass otherwise. */
export function statusOf(findings: StepFinding[]): StepStatus {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}
