import type { LintFinding } from '../../engine/types';
import type { LintContext } from '../context';
import { isEmptySelector } from '../../engine/selector';
import { plural, podKey } from '../context';
import { toYaml } from '../fix';
import { isolates, podIpList } from './np-model';

export function namespaceWithoutDefaultDeny(ctx: LintContext, out: LintFinding[]): void {
  const hasDefaultDeny = new Set<string>();
  for (const np of ctx.snapshot.networkPolicies)
    if (isEmptySelector(np.spec?.podSelector ?? {}) && isolates(np, 'ingress'))
      hasDefaultDeny.add(np.metadata.namespace ?? 'default');
  for (const [ns, pods] of [...ctx.podsByNs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!pods.length || hasDefaultDeny.has(ns)) continue;
    const yaml = toYaml({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    out.push({
      rule: 'namespace-without-default-deny',
      severity: 'info',
      object: { kind: 'Namespace', name: ns },
      message: `Namespace ${ns} has ${plural(pods.length, 'pod')} and no default-deny ingress policy (a NetworkPolicy with podSelector {} and Ingress): pods no other policy selects accept traffic from anywhere.`,
      fix: {
        description: `Deny all ingress in ${ns} by default (then allow what is needed)`,
        command: `kubectl apply -f - <<'EOF'\n${yaml}EOF`,
        yaml,
      },
    });
  }
}

export function podsWithoutIp(ctx: LintContext, out: LintFinding[]): void {
  for (const p of ctx.snapshot.pods) {
    if (podIpList(p).length) continue;
    out.push({
      rule: 'pod-without-ip',
      severity: 'info',
      object: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name },
      message: `${podKey(p)} has no pod IP${p.status?.phase ? ` (phase ${p.status.phase})` : ''}: skipped by trace and matrix.`,
    });
  }
}
