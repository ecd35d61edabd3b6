import { createTwoFilesPatch } from 'diff';
import type { Engine, Fix, LintFinding, NearMiss, NearMissCode, PolicyRef } from '../engine/types';
import { lintSnapshot } from '../lint';
import type { CniFacts } from '../snapshot/types';
import { detectCni } from '../cni/detect';
import { buildContext } from './context';
import { policyKey } from './objects';
import { cniStep } from './step-cni';
import { labelsStep } from './step-labels';
import { namespaceStep } from './step-namespace';
import { statusOf } from './status';
import { syntaxStep } from './step-syntax';
import { verdictStep } from './step-verdict';
import type { DiagnoseFix, DiagnoseStep, Diagnosis, Question, StepId } from './types';

export { applyFix, FixApplyError } from './apply-fix';
export { diagnoseToJson, diagnosisToText } from './output';
export type * from './types';

const lintCache = new WeakMap<Engine, LintFinding[]>();

/** Lint findings of the engine's snapshot, computed once per engine. */
export function lintFor(engine: Engine): LintFinding[] {
  let l = lintCache.get(engine);
  if (!l) {
    l = lintSnapshot(engine.snapshot, engine);
    lintCache.set(engine, l);
  }
  return l;
}

export interface DiagnoseOptions {
  /** lint findings for the snapshot (default: `lintSnapshot(snapshot, engine)`, cached per engine) */
  lint?: LintFinding[];
  /** CNI facts (default: the snapshot's own facts, else detected from the snapshot) */
  cni?: CniFacts;
}

const NEAR_MISS_STEP: Partial<Record<NearMissCode, StepId>> = {
  'label-one-edit-away': 'labels',
  'selector-matches-no-pod': 'labels',
  'namespace-name-label': 'namespace',
  'policy-in-other-namespace': 'namespace',
  'named-port-not-exposed': 'syntax',
  'policy-types-disables-rules': 'syntax',
  'separate-peers-or': 'syntax',
};

/** Turns an engine Fix into a wizard fix (kind, id, and a unified diff for patches). */
export function toDiagnoseFix(fix: Fix, id: string): DiagnoseFix {
  const kind: DiagnoseFix['kind'] = fix.patch ? 'patch' : fix.yaml ? 'new-object' : 'command';
  const out: DiagnoseFix = { ...fix, id, kind };
  if (fix.patch) {
    const o = fix.patch.object;
    const file = `${o.namespace ? `${o.namespace}/` : ''}${o.name}.yaml`;
    out.diff = createTwoFilesPatch(
      `a/${file}`,
      `b/${file}`,
      fix.patch.before,
      fix.patch.after,
      'current',
      'fixed',
      { context: 3 },
    );
  }
  return out;
}

function addNearMisses(steps: DiagnoseStep[], nearMisses: NearMiss[], sidesDenied: Set<string>): void {
  for (const nm of nearMisses) {
    const step = steps.find((s) => s.id === (NEAR_MISS_STEP[nm.code] ?? 'syntax'));
    if (!step) continue;
    const key = policyKey(nm.policy);
    if (step.findings.some((f) => f.policy && policyKey(f.policy) === key)) continue;
    const deciding = nm.direction ? sidesDenied.has(nm.direction) : false;
    step.findings.push({
      severity: deciding && nm.fix ? 'error' : 'warning',
      code: nm.code,
      policy: nm.policy,
      message: nm.message,
      fix: nm.fix ? toDiagnoseFix(nm.fix, `near-miss:${nm.code}:${key}`) : undefined,
    });
    if (step.status !== 'skip') {
      step.status = statusOf(step.findings);
      if (step.status !== 'pass')
        step.summary = (step.findings.find((f) => f.severity === 'error') ??
          step.findings.find((f) => f.severity === 'warning'))!.message;
    }
  }
}

/**
 * The guided troubleshooting flow, label → namespace → syntax → CNI → verdict, as data: each step
 * with a status, the evidence checked (actual values) and concrete fixes. Throws the engine's
 * EndpointError for unknown endpoints.
 */
export function diagnose(engine: Engine, question: Question, options: DiagnoseOptions = {}): Diagnosis {
  const snapshot = engine.snapshot;
  const trace = engine.trace({
    from: question.from,
    to: question.to,
    port: question.port,
    protocol: question.protocol,
  });
  const cni = options.cni ?? snapshot.cni ?? detectCni(snapshot);
  const ctx = buildContext(
    snapshot,
    question,
    trace,
    cni,
    options.lint ?? lintFor(engine),
    engine.ipBlockMatchesPodIPs,
  );

  const involved = new Map<string, PolicyRef>();
  const addRef = (r: PolicyRef) => involved.set(policyKey(r), r);
  for (const side of ctx.sides)
    for (const a of side.analyses)
      if (
        a.selectsSubject ||
        a.nearSelectsSubject ||
        !a.inSubjectNamespace ||
        (a.appliesToDirection && a.rules.some((r) => r.matched))
      )
        addRef(a.ref);
  for (const dt of [trace.egress, trace.ingress]) {
    for (const p of dt.policies) if (p.selectsSubject) addRef(p.policy);
    for (const r of dt.isolatedBy) addRef(r);
    for (const r of dt.decidedBy) addRef(r.policy);
  }
  // NetworkPolicy near misses are covered by diagnose's own analysis; other families come from the engine
  const nearMisses = trace.nearMisses.filter((nm) => nm.policy.kind !== 'NetworkPolicy');
  for (const nm of nearMisses) addRef(nm.policy);
  for (const r of trace.decidedBy) addRef(r);
  const involvedPolicies = [...involved.values()];

  const labels = labelsStep(ctx);
  const namespace = namespaceStep(ctx);
  const covered = new Set<string>();
  for (const st of [labels, namespace])
    for (const f of st.findings) if (f.policy) covered.add(policyKey(f.policy));
  const steps: DiagnoseStep[] = [labels, namespace, syntaxStep(ctx, involvedPolicies, covered), cniStep(ctx)];
  const denied = new Set<string>(ctx.sides.filter((s) => s.denied).map((s) => s.ctx.direction));
  addNearMisses(steps, nearMisses, denied);
  const fixesSoFar = steps.reduce(
    (n, s) => n + s.findings.filter((f) => f.fix && f.severity === 'error').length,
    0,
  );
  steps.push(verdictStep(ctx, fixesSoFar));

  const fixes: DiagnoseFix[] = [];
  const seen = new Set<string>();
  for (const s of steps)
    for (const f of s.findings)
      if (f.fix && !seen.has(f.fix.id)) {
        seen.add(f.fix.id);
        fixes.push(f.fix);
      }
  const cause = steps.find((s) => s.id !== 'verdict' && s.status === 'fail')?.id;
  return {
    question,
    verdict: trace.verdict,
    steps,
    trace,
    partial: trace.partial || !!snapshot.partial?.gaps.length,
    involvedPolicies,
    cni,
    cause,
    fixes,
  };
}
