import type { DirectionTrace, RuleRef } from '../engine/types';
import type { DiagnoseContext } from './context';
import { endpointName } from './context';
import { allowConnectionPolicy, newObjectFix } from './fixes';
import { formatPolicyRef, toYaml } from './objects';
import type { DiagnoseStep, Evidence, StepFinding } from './types';

export function formatRule(r: RuleRef): string {
  return `${formatPolicyRef(r.policy)} ${r.direction} rule ${r.index + 1}${r.name ? ` "${r.name}"` : ''} (${r.action})`;
}

export function sideSentence(dt: DirectionTrace): string {
  if (!dt.applicable) return `${dt.direction}: not evaluated (${dt.reason})`;
  const how = dt.decidedBy.length
    ? ` by ${dt.decidedBy.map(formatRule).join(', ')}`
    : dt.isolated
      ? ` (isolated by ${dt.isolatedBy.map(formatPolicyRef).join(', ')}, no rule matches)`
      : ' (no policy isolates this side)';
  return `${dt.direction}: ${dt.decision}${how}`;
}

/** Step 5 — the verdict: allowed or denied, the deciding rule on each side, the engine's explanation. */
export function verdictStep(c: DiagnoseContext, fixesSoFar: number): DiagnoseStep {
  const t = c.trace;
  const evidence: Evidence[] = [];
  const findings: StepFinding[] = [];
  evidence.push({
    label: 'Connection',
    value: `${endpointName(t.source)} → ${endpointName(t.destination)} :${t.query.port}${t.query.portName ? ` (${t.query.portName})` : ''}/${t.query.protocol}`,
    state: 'neutral',
  });
  for (const dt of [t.egress, t.ingress]) {
    evidence.push({
      label:
        dt.direction === 'egress'
          ? `Egress at the source (${endpointName(t.source)})`
          : `Ingress at the destination (${endpointName(t.destination)})`,
      value: `${sideSentence(dt)} — ${dt.reason}`,
      state: !dt.applicable ? 'neutral' : dt.decision === 'allow' ? 'ok' : 'bad',
    });
    for (const n of dt.notes) evidence.push({ label: 'Note', value: n, state: 'neutral' });
  }
  for (const a of t.assumptions) evidence.push({ label: 'Assumed', value: a, state: 'neutral' });
  for (const line of t.explanation) findings.push({ severity: 'info', code: 'explanation', message: line });

  if (t.verdict === 'denied' && fixesSoFar === 0) {
    const docs: string[] = [];
    const where: string[] = [];
    for (const side of c.sides) {
      if (!side.denied) continue;
      if (side.trace.tier === 'admin') {
        findings.push({
          severity: 'warning',
          code: 'admin-deny',
          message: `${side.trace.direction} is denied by an admin-tier policy (${side.trace.decidedBy.map(formatRule).join(', ')}); a NetworkPolicy cannot override it — ask a cluster admin.`,
        });
        continue;
      }
      const p = allowConnectionPolicy(
        c.snapshot,
        side.ctx.direction,
        side.ctx.subject,
        side.ctx.peer,
        t.query.portName ?? t.query.port,
        t.query.protocol,
      );
      docs.push(toYaml(p));
      where.push(`${side.ctx.direction} of ${endpointName(side.ctx.subject)}`);
    }
    if (docs.length) {
      const fix = newObjectFix(
        `allow-connection:${t.query.from}:${t.query.to}:${t.query.port}`,
        `Allow exactly this connection (${where.join(' and ')})`,
        { apiVersion: 'v1', kind: 'List', metadata: { name: 'fix' } },
      );
      fix.yaml = docs.join('---\n');
      findings.push({
        severity: 'info',
        code: 'allow-connection',
        message: `If this connection should be allowed, add a policy allowing it on the denying side${docs.length > 1 ? 's' : ''} (${where.join(' and ')}).`,
        fix,
      });
    }
  }
  const decided = t.decidedBy.length ? ` Decided by ${t.decidedBy.map(formatPolicyRef).join(', ')}.` : '';
  return {
    id: 'verdict',
    title: 'Verdict',
    status: t.verdict === 'allowed' ? 'pass' : 'fail',
    summary: `${t.verdict === 'allowed' ? 'Allowed' : 'Denied'}: ${endpointName(t.source)} → ${endpointName(t.destination)} :${t.query.port}/${t.query.protocol}.${decided}${t.partial ? ' The snapshot is partial: the verdict may be incomplete.' : ''}`,
    evidence,
    findings,
  };
}
