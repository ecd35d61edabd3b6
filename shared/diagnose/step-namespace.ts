import type { LabelSelector, NetworkPolicy } from '../k8s/types';
import { formatLabels, highlightOf } from './compare';
import { endpointName, isPolicyPod, type DiagnoseContext } from './context';
import { freePolicyName, labelCommandFix, newObjectFix, patchFix, rulePeers } from './fixes';
import { formatPolicyRef, namespaceLabels } from './objects';
import { statusOf } from './status';
import { engineEvidence } from './engine-evidence';
import type { DiagnoseStep, Evidence, StepFinding } from './types';

const META_NAME = 'kubernetes.io/metadata.name';

function renameSelectorKey(sel: LabelSelector, from: string, to: string): void {
  if (sel.matchLabels && from in sel.matchLabels) {
    const v = sel.matchLabels[from];
    delete sel.matchLabels[from];
    sel.matchLabels[to] = v;
  }
  for (const e of sel.matchExpressions ?? []) if (e.key === from) e.key = to;
}

/** Step 2 — namespaces: namespace labels against every namespaceSelector, policies in the wrong namespace. */
export function namespaceStep(c: DiagnoseContext): DiagnoseStep {
  const evidence: Evidence[] = [];
  const findings: StepFinding[] = [];
  const seenNs = new Set<string>();
  for (const e of [c.trace.source, c.trace.destination]) {
    if (e.kind !== 'pod' || seenNs.has(e.namespace)) continue;
    seenNs.add(e.namespace);
    evidence.push({
      label: `Namespace ${e.namespace} labels`,
      value: formatLabels(namespaceLabels(c.snapshot, e.namespace)),
      state: 'neutral',
    });
  }
  if (!c.sides.length) {
    return {
      id: 'namespace',
      title: 'Namespace',
      status: 'skip',
      summary: 'Neither side is a pod in a namespace.',
      skipReason: 'both endpoints are outside the pod network',
      evidence,
      findings,
    };
  }
  let selectorsChecked = 0;
  for (const side of c.sides) {
    const { direction, subject, peer } = side.ctx;
    const subjectName = endpointName(subject);
    for (const a of side.analyses) {
      if (!a.inSubjectNamespace) {
        const wouldAllow = a.rules.some((r) => r.matched);
        evidence.push({
          label: `${formatPolicyRef(a.ref)} lives in namespace ${a.ref.namespace}`,
          value: `its podSelector ${a.subject.selector} matches ${subjectName}, but a policy only selects pods in its own namespace`,
          state: side.denied ? 'bad' : 'warn',
          policy: a.ref,
        });
        const moved = structuredClone(a.policy) as NetworkPolicy;
        moved.metadata = {
          name: freePolicyName(c.snapshot, subject.namespace, a.policy.metadata.name),
          namespace: subject.namespace,
          labels: a.policy.metadata.labels,
        };
        findings.push({
          severity: side.denied && wouldAllow ? 'error' : 'warning',
          code: 'policy-in-other-namespace',
          policy: a.ref,
          message: `${formatPolicyRef(a.ref)} selects pods like ${subjectName} (${a.subject.selector}) but lives in namespace ${a.ref.namespace}; NetworkPolicies only apply to pods in their own namespace. Apply it in namespace ${subject.namespace}.`,
          fix: newObjectFix(
            `move-policy:${a.ref.namespace}/${a.ref.name}`,
            `Create ${a.ref.name} in namespace ${subject.namespace}`,
            moved,
          ),
        });
        continue;
      }
      if (!a.selectsSubject || !a.appliesToDirection) continue;
      for (const r of a.rules) {
        if (!r.ports.matched) continue;
        for (const p of r.peers) {
          const where = `${formatPolicyRef(a.ref)} ${direction} rule ${r.index + 1} peer ${p.index + 1}`;
          if (p.namespace) {
            selectorsChecked++;
            const bad = side.denied && p.failure === 'namespace-labels';
            evidence.push({
              label: `${where} namespaceSelector vs namespace ${p.namespace.targetName}`,
              value: `${p.namespace.selector} ${p.namespace.matched ? 'matches' : 'does not match'} namespace ${p.namespace.targetName} (${formatLabels(p.namespace.labels)})`,
              state: p.namespace.matched ? 'ok' : bad ? 'bad' : 'warn',
              highlight: highlightOf(p.namespace),
              comparison: p.namespace,
              policy: a.ref,
            });
          } else if (p.policyNamespace && p.pod) {
            selectorsChecked++;
            evidence.push({
              label: `${where} (podSelector only)`,
              value: `selects pods in namespace ${p.policyNamespace.expected} only; ${endpointName(peer)} is in ${p.policyNamespace.actual}`,
              state: p.policyNamespace.matched
                ? 'ok'
                : side.denied && p.failure === 'other-namespace'
                  ? 'bad'
                  : 'warn',
              policy: a.ref,
            });
          }
          if (!side.denied || r.matched || !isPolicyPod(peer)) continue;
          if (p.failure === 'namespace-labels' && p.namespace) {
            const peerNs = peer.namespace;
            const nsLabels = namespaceLabels(c.snapshot, peerNs);
            const nameMistake = p.namespace.differences.find(
              (d) =>
                d.key === 'name' &&
                d.expected === peerNs &&
                d.actual === undefined &&
                nsLabels[META_NAME] === peerNs,
            );
            if (nameMistake) {
              findings.push({
                severity: 'error',
                code: 'namespace-name-label',
                policy: a.ref,
                message: `${where} selects namespaces with name=${peerNs}, but namespace ${peerNs} has no "name" label — only ${META_NAME}=${peerNs}, which Kubernetes sets on every namespace. Label the namespace, or select on ${META_NAME}.`,
                fix: labelCommandFix(
                  { kind: 'namespace', name: peerNs },
                  'name',
                  peerNs,
                  nsLabels,
                  `Add the label name=${peerNs} to namespace ${peerNs}`,
                ),
              });
              const after = structuredClone(a.policy);
              const sel = rulePeers(after, direction, r.index)?.[p.index]?.namespaceSelector;
              if (sel) renameSelectorKey(sel, 'name', META_NAME);
              findings.push({
                severity: 'info',
                code: 'namespace-name-label',
                policy: a.ref,
                message: `Or change ${formatPolicyRef(a.ref)} to select the namespace by ${META_NAME}: it always exists and cannot drift.`,
                fix: patchFix(
                  `namespace-selector:${a.ref.namespace}/${a.ref.name}:${direction}:${r.index}:${p.index}`,
                  `Select namespace ${peerNs} by ${META_NAME} in ${formatPolicyRef(a.ref)}`,
                  a.policy,
                  after,
                ),
              });
            } else {
              const d = p.namespace.differences.find(
                (x) => x.expected !== undefined && !x.expected.includes(','),
              );
              findings.push({
                severity: 'error',
                code: 'namespace-labels',
                policy: a.ref,
                message: `${where} admits pods from namespaces ${p.namespace.selector}; ${p.namespace.differences.map((x) => x.message).join('; ')}.`,
                fix: d
                  ? labelCommandFix(
                      { kind: 'namespace', name: peerNs },
                      d.key,
                      d.expected!,
                      nsLabels,
                      `Label namespace ${peerNs} with ${d.key}=${d.expected}`,
                    )
                  : undefined,
              });
            }
          } else if (p.failure === 'other-namespace' && p.pod?.matched) {
            const after = structuredClone(a.policy);
            const target = rulePeers(after, direction, r.index)?.[p.index];
            if (target) target.namespaceSelector = { matchLabels: { [META_NAME]: peer.namespace } };
            findings.push({
              severity: 'error',
              code: 'pod-selector-own-namespace',
              policy: a.ref,
              message: `${where} has a podSelector (${p.pod.selector}) without a namespaceSelector, so it only matches pods in namespace ${a.ref.namespace}; ${endpointName(peer)} is in namespace ${peer.namespace}.`,
              fix: patchFix(
                `peer-namespace:${a.ref.namespace}/${a.ref.name}:${direction}:${r.index}:${p.index}`,
                `Add namespaceSelector ${META_NAME}=${peer.namespace} to that peer`,
                a.policy,
                after,
              ),
            });
          }
        }
      }
    }
  }
  const other = engineEvidence(c, 'namespace');
  selectorsChecked += other.length;
  evidence.push(...other);
  const status = statusOf(findings);
  const summary =
    status === 'fail'
      ? findings.find((f) => f.severity === 'error')!.message
      : status === 'warn'
        ? findings[0].message
        : selectorsChecked
          ? 'Every namespaceSelector involved matches the namespaces as labelled; every policy lives in the namespace of the pods it selects.'
          : 'No namespace selector is involved; every policy lives in the namespace of the pods it selects.';
  return { id: 'namespace', title: 'Namespace', status, summary, evidence, findings };
}
