import { formatPolicyRefText } from './run';
import type { CheckResultLine, CheckRun } from './types';

export { parseExpectations, parsePortSpec, ExpectationsError } from './parse';
export type { Expectations, ExpectationEntry, PortSpec } from './parse';
export {
  runCheck,
  parseSelectorText,
  oneSentenceReason,
  type CheckEngine,
  type RunCheckOptions,
} from './run';
export { checkToJunit, lineTitle } from './junit';
export type * from './types';

/** One `--json` line: `{"from","to","port","protocol","expect","actual","ok","decidedBy","reason"}`. */
export function checkLineJson(r: CheckResultLine): Record<string, unknown> {
  return {
    ...(r.name ? { name: r.name } : {}),
    from: r.from,
    to: r.to,
    port: r.port,
    ...(r.portName ? { portName: r.portName } : {}),
    protocol: r.protocol,
    expect: r.expect,
    actual: r.actual,
    ok: r.ok,
    decidedBy: r.decidedBy.map(formatPolicyRefText),
    reason: r.reason,
  };
}

/** The human summary line: `N passed, M failed` (plus errors when entries could not be evaluated). */
export function checkSummary(run: CheckRun): string {
  return `${run.passed} passed, ${run.failed} failed${run.errors.length ? `, ${run.errors.length} error${run.errors.length === 1 ? '' : 's'}` : ''}`;
}
