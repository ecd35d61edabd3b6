import type { NetworkPolicy } from '../k8s/types';
import { formatLabels, highlightOf } from './compare';
import { endpointName, isPolicyPod, type DiagnoseContext } from './context';
import { labelCommandFix, patchFix, rulePeers } from './fixes';
import type { NpAnalysis } from './np-analysis';
import { formatPolicyRef, looksLikeTypo } from './objects';
import type { DiagnoseStep, Evidence, LabelComparison, StepFinding } from './types';
import { statusOf } from './status';
import { engineEvidence } from './engine-evidence';

function ruleName(direction: string, index: number): string {
  return `${direction} rule ${index + 1}`;
}

/** The podSelector with each typo-like value replaced by the value the pod actually has. */
function fixedSelectorPolicy(
  policy: NetworkPolicy,
  cmp: LabelComparison,
  where: (p: NetworkPolicy) => NetworkPolicy['spec']['podSelector'] | undefined,
): NetworkPolicy {
  const after = structuredClone(policy);
  const sel = where(after);
  if (!sel) return after;
  for (const d of cmp.differences) {
    if (d.actual === undefined) continue;
    if (sel.matchLabels && sel.matchLabels[d.key] !== undefined) sel.matchLabels[d.key] = d.actual;
    for (const e of sel.matchExpressions ?? []) {
      if (e.key === d.key && e.operator === 'In') e.values = [...(e.values ?? []), d.actual];
    }
  }
  return after;
}

function comparisonEvidence(label: string, cmp: LabelComparison, bad: boolean, a?: NpAnalysis): Evidence {
  return {
    label,
    value: `${cmp.selector} ${cmp.matched ? 'matches' : 'does not match'} ${cmp.targetName} (${formatLabels(cmp.labels)})`,
    state: cmp.matched ? 'ok' : bad ? 'bad' : 'warn',
    highlight: highlightOf(cmp),
    comparison: cmp,
    policy: a?.ref,
  };
}

/** Step 1 — labels: which policies select each pod, and the pods' labels against every pod selector. */
export function labelsStep(c: DiagnoseContext): DiagnoseStep {
  const evidence: Evidence[] = [];
  const findings: StepFinding[] = [];
  const { trace } = c;
  for (const e of [trace.source, trace.destination]) {
    const role = e === trace.source ? 'Source' : 'Destination';
    if (e.kind === 'pod' && e.hostNetwork)
      evidence.push({
        label: `${role} ${endpointName(e)}`,
        value: `uses the host network (node ${e.node ?? '?'}): pod and namespace selectors never select it; its traffic is node traffic (labels ${formatLabels(e.labels)})`,
        state: 'warn',
      });
    else if (e.kind === 'pod')
      evidence.push({
        label: `${role} ${endpointName(e)} labels`,
        value: formatLabels(e.labels),
        state: 'neutral',
      });
    else
      evidence.push({
        label: `${role} ${endpointName(e)}`,
        value: 'not a pod: pod selectors never match it',
        state: 'neutral',
      });
  }
  if (!c.sides.length) {
    return {
      id: 'labels',
      title: 'Labels',
      status: 'skip',
      summary: 'Neither side is a pod that policies can select.',
      skipReason: 'both endpoints are outside the pod network (external addresses or host-network pods)',
      evidence,
      findings,
    };
  }

  for (const side of c.sides) {
    const { direction, subject, peer } = side.ctx;
    const subjectName = endpointName(subject);
    const selecting = side.analyses.filter((a) => a.selectsSubject && a.appliesToDirection);
    evidence.push({
      label: `Policies selecting ${subjectName} for ${direction}`,
      value: selecting.length
        ? selecting.map((a) => formatPolicyRef(a.ref)).join(', ')
        : side.trace.isolatedBy.length
          ? side.trace.isolatedBy.map(formatPolicyRef).join(', ')
          : `none: ${direction} is not isolated`,
      state: 'neutral',
    });
    for (const a of side.analyses) {
      if (!a.inSubjectNamespace) continue;
      const wouldAllowIfSelected = a.appliesToDirection && a.rules.some((r) => r.matched);
      if (!a.selectsSubject && !a.nearSelectsSubject && !wouldAllowIfSelected) continue;
      const typoCause = side.denied && !a.selectsSubject && (a.nearSelectsSubject || a.selectsNoPod);
      evidence.push(
        comparisonEvidence(`${formatPolicyRef(a.ref)} podSelector vs ${side.role}`, a.subject, typoCause, a),
      );
      if (a.selectsNoPod && !a.selectsSubject)
        evidence.push({
          label: `${formatPolicyRef(a.ref)} selects`,
          value: `no pod in namespace ${a.ref.namespace}`,
          state: 'bad',
          policy: a.ref,
        });
      if (!a.selectsSubject || !a.appliesToDirection) continue;
      for (const r of a.rules) {
        if (!r.ports.matched) continue;
        for (const p of r.peers) {
          if (!p.pod) continue;
          evidence.push(
            comparisonEvidence(
              `${formatPolicyRef(a.ref)} ${ruleName(direction, r.index)} peer ${p.index + 1} podSelector vs ${endpointName(peer)}`,
              p.pod,
              side.denied && p.failure === 'pod-labels',
              a,
            ),
          );
        }
      }
    }

    if (!side.denied) continue;
    // (1) a policy meant for the subject that does not select it (typo, or a selector that selects nothing)
    for (const a of side.analyses) {
      if (!a.inSubjectNamespace || a.selectsSubject) continue;
      if (!a.nearSelectsSubject && !a.selectsNoPod) continue;
      const wouldAllow = a.appliesToDirection && a.rules.some((r) => r.matched);
      const diffs = a.subject.differences.map((d) => d.message).join('; ');
      if (a.nearSelectsSubject) {
        const after = fixedSelectorPolicy(a.policy, a.subject, (p) => p.spec.podSelector);
        findings.push({
          severity: wouldAllow ? 'error' : 'warning',
          code: 'selector-typo',
          policy: a.ref,
          message: `${formatPolicyRef(a.ref)} selects pods with ${a.subject.selector}${a.selectsNoPod ? ', which matches no pod' : ''}: ${diffs} — a typo?${wouldAllow ? ` With the selector fixed, its ${direction} rules would allow this connection.` : ''}`,
          fix: patchFix(
            `policy-selector:${a.ref.namespace}/${a.ref.name}`,
            `Fix the podSelector of ${formatPolicyRef(a.ref)} to select ${subjectName}`,
            a.policy,
            after,
          ),
        });
      } else if (wouldAllow) {
        const missing = a.subject.differences.filter(
          (d) => d.expected !== undefined && !d.expected.includes(','),
        );
        const first = missing[0];
        findings.push({
          severity: 'error',
          code: 'selector-matches-no-pod',
          policy: a.ref,
          message: `${formatPolicyRef(a.ref)} would allow this connection but selects no pod (${a.subject.selector}): ${diffs}.`,
          fix: first
            ? labelCommandFix(
                { kind: 'pod', name: subject.name, namespace: subject.namespace },
                first.key,
                first.expected!,
                subject.labels,
                `Label ${subjectName} so that ${formatPolicyRef(a.ref)} selects it`,
              )
            : undefined,
        });
      }
    }
    // (2) a rule that would allow this connection if the peer's labels matched its podSelector
    for (const a of side.analyses) {
      if (!a.selectsSubject || !a.appliesToDirection) continue;
      for (const r of a.rules) {
        if (!r.ports.matched || r.matched) continue;
        for (const p of r.peers) {
          if (p.failure !== 'pod-labels' || !p.pod || !isPolicyPod(peer)) continue;
          const typo = p.pod.differences.every(
            (d) => d.expected !== undefined && d.actual !== undefined && looksLikeTypo(d.expected, d.actual),
          );
          const peerName = endpointName(peer);
          const message = `${formatPolicyRef(a.ref)} ${ruleName(direction, r.index)} allows pods ${p.pod.selector}${p.namespace ? ` in namespaces ${p.namespace.selector}` : ''}; ${p.pod.differences.map((d) => d.message).join('; ')}.`;
          if (typo) {
            const after = fixedSelectorPolicy(
              a.policy,
              p.pod,
              (pol) => rulePeers(pol, direction, r.index)?.[p.index]?.podSelector,
            );
            findings.push({
              severity: 'error',
              code: 'peer-selector-typo',
              policy: a.ref,
              message: `${message} A typo in the policy?`,
              fix: patchFix(
                `peer-selector:${a.ref.namespace}/${a.ref.name}:${direction}:${r.index}:${p.index}`,
                `Fix the peer podSelector of ${formatPolicyRef(a.ref)} to match ${peerName}`,
                a.policy,
                after,
              ),
            });
          } else {
            const d = p.pod.differences.find((x) => x.expected !== undefined && !x.expected.includes(','));
            findings.push({
              severity: 'error',
              code: 'peer-labels',
              policy: a.ref,
              message,
              fix: d
                ? labelCommandFix(
                    { kind: 'pod', name: peer.name, namespace: peer.namespace },
                    d.key,
                    d.expected!,
                    peer.labels,
                    `Label ${peerName} so that ${formatPolicyRef(a.ref)} admits it (better: label its workload template)`,
                  )
                : undefined,
            });
          }
        }
      }
    }
  }
  evidence.push(...engineEvidence(c, 'pod'));
  const status = statusOf(findings);
  const summary =
    status === 'fail'
      ? findings.find((f) => f.severity === 'error')!.message
      : status === 'warn'
        ? findings[0].message
        : 'The pods carry the labels the policies select on; no policy misses a pod because of a label.';
  return { id: 'labels', title: 'Labels', status, summary, evidence, findings };
}
