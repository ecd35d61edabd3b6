import type { EndpointInfo, PolicyEvaluation, SelectorCheck } from '../engine/types';
import type { Snapshot } from '../snapshot/types';
import { formatLabels } from './compare';
import type { DiagnoseContext } from './context';
import { endpointName } from './context';
import { formatPolicyRef, namespaceLabels } from './objects';
import type { Evidence, LabelComparison } from './types';

function comparison(check: SelectorCheck, e: EndpointInfo, s: Snapshot): LabelComparison | undefined {
  if (e.kind !== 'pod' || check.target === 'node') return undefined;
  const labels = check.target === 'namespace' ? namespaceLabels(s, e.namespace) : e.labels;
  const targetName = check.target === 'namespace' ? e.namespace : `${e.namespace}/${e.name}`;
  const differences = check.mismatches.map((m) => ({
    key: m.key ?? '',
    expected: Array.isArray(m.expected) ? m.expected.join(',') : m.expected,
    actual: m.actual,
    message: m.message,
  }));
  return {
    selector: check.selector,
    target: check.target,
    targetName,
    labels: { ...labels },
    matched: check.matched,
    differingKeys: [...new Set(differences.map((d) => d.key).filter(Boolean))],
    differences,
  };
}

function evidenceOf(
  label: string,
  check: SelectorCheck,
  e: EndpointInfo,
  s: Snapshot,
  p: PolicyEvaluation,
  bad: boolean,
): Evidence {
  const c = comparison(check, e, s);
  const d = c?.differences[0];
  return {
    label,
    value: `${check.selector} ${check.matched ? 'matches' : 'does not match'} ${c ? `${c.targetName} (${formatLabels(c.labels)})` : endpointName(e)}`,
    state: check.matched ? 'ok' : bad ? 'bad' : 'warn',
    highlight: d ? (d.actual !== undefined ? `${d.key}=${d.actual}` : d.key) : undefined,
    comparison: c,
    policy: p.policy,
  };
}

/**
 * Evidence for the policy families diagnose does not read itself (AdminNetworkPolicy, Baseline,
 * ClusterNetworkPolicy, Cilium, Calico): the engine's own selector checks, split by target.
 */
export function engineEvidence(c: DiagnoseContext, target: 'pod' | 'namespace'): Evidence[] {
  const out: Evidence[] = [];
  for (const dt of [c.trace.egress, c.trace.ingress]) {
    const subject = dt.direction === 'egress' ? c.trace.source : c.trace.destination;
    const peer = dt.direction === 'egress' ? c.trace.destination : c.trace.source;
    for (const p of dt.policies) {
      if (p.policy.kind === 'NetworkPolicy') continue;
      const name = formatPolicyRef(p.policy);
      for (const check of p.subject) {
        if (check.target !== target) continue;
        out.push(
          evidenceOf(
            `${name} subject vs ${dt.direction === 'egress' ? 'source' : 'destination'}`,
            check,
            subject,
            c.snapshot,
            p,
            false,
          ),
        );
      }
      if (!p.selectsSubject) continue;
      for (const r of p.rules) {
        if (!r.portMatched) continue;
        for (const peerEval of r.peers)
          for (const check of peerEval.checks) {
            if (check.target !== target) continue;
            out.push(
              evidenceOf(
                `${name} ${dt.direction} rule ${r.index + 1} peer ${peerEval.index + 1} (${r.action})`,
                check,
                peer,
                c.snapshot,
                p,
                dt.decision === 'deny' && !check.matched,
              ),
            );
          }
      }
    }
  }
  return out;
}
