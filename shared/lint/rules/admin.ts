import type { AdminNetworkPolicySubject, Pod } from '../../k8s/types';
import type { LintFinding } from '../../engine/types';
import { matchesSelector } from '../../engine/selector';
import type { LintContext } from '../context';
import { listSome, namespacesMatching, podKey } from '../context';
import { refOf } from '../fix';

function subjectPods(ctx: LintContext, s: AdminNetworkPolicySubject | undefined): Set<Pod> {
  const out = new Set<Pod>();
  const nsSel = s?.namespaces ?? s?.pods?.namespaceSelector;
  if (!s || !nsSel) return out;
  for (const ns of namespacesMatching(ctx, nsSel))
    for (const p of ctx.podsByNs.get(ns) ?? [])
      if (!s.pods || matchesSelector(s.pods.podSelector, p.metadata.labels)) out.add(p);
  return out;
}

/**
 * Two admin-tier policies at the same priority whose subjects overlap and that have rules for the
 * same direction: the spec lets the implementation pick either (policy-semantics.md §2.3).
 */
export function adminPriorityTies(ctx: LintContext, out: LintFinding[]): void {
  const entries = [
    ...ctx.snapshot.adminNetworkPolicies.map((p) => ({
      kind: 'AdminNetworkPolicy',
      tier: 'anp',
      obj: p,
      spec: p.spec,
    })),
    ...ctx.snapshot.clusterNetworkPolicies.map((p) => ({
      kind: 'ClusterNetworkPolicy',
      tier: `cnp-${p.spec?.tier}`,
      obj: p,
      spec: p.spec,
    })),
  ];
  const byKey = new Map<string, typeof entries>();
  for (const e of entries) {
    if (typeof e.spec?.priority !== 'number') continue;
    const key = `${e.tier}/${e.spec.priority}`;
    let l = byKey.get(key);
    if (!l) byKey.set(key, (l = []));
    l.push(e);
  }
  for (const list of byKey.values()) {
    if (list.length < 2) continue;
    const pods = list.map((e) => subjectPods(ctx, e.spec.subject));
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const shared = [...pods[i]].filter((p) => pods[j].has(p));
        if (!shared.length) continue;
        const dirs = (['ingress', 'egress'] as const).filter(
          (d) => (list[i].spec[d] ?? []).length && (list[j].spec[d] ?? []).length,
        );
        if (!dirs.length) continue;
        out.push({
          rule: 'admin-priority-tie',
          severity: 'warning',
          object: refOf(list[j].obj, list[j].kind),
          message: `${list[i].kind} ${list[i].obj.metadata.name} and ${list[j].obj.metadata.name} have the same priority ${list[i].spec.priority} and both select ${listSome(shared.map(podKey), 3)} with ${dirs.join(' and ')} rules: which one wins is implementation-defined (Calico breaks ties by name). Give them different priorities.`,
        });
      }
  }
}
