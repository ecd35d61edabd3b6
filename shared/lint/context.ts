import type { Labels, LabelSelector, NetworkPolicy, NetworkPolicyPeer, Pod } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';
import { matchesSelector } from '../engine/selector';

export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Indexes every lint rule reads: namespaces with their labels, pods per namespace, pods by IP. */
export interface LintContext {
  snapshot: Snapshot;
  /** namespace → labels (a namespace that only appears through its pods gets the automatic name label) */
  nsLabels: Map<string, Labels>;
  /** pods the policies can select (not hostNetwork), per namespace */
  podsByNs: Map<string, Pod[]>;
  /** every pod-network pod, any phase */
  pods: Pod[];
  /** does an ipBlock match pod IPs under the CNI of this snapshot */
  ipBlockMatchesPodIPs: boolean;
  cniName: string;
}

export function podKey(p: Pod): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}

export function buildContext(snapshot: Snapshot, ipBlockMatchesPodIPs?: boolean): LintContext {
  const nsLabels = new Map<string, Labels>();
  for (const ns of snapshot.namespaces) nsLabels.set(ns.metadata.name, ns.metadata.labels ?? {});
  const podsByNs = new Map<string, Pod[]>();
  const pods: Pod[] = [];
  for (const p of snapshot.pods) {
    const ns = p.metadata.namespace ?? 'default';
    if (!nsLabels.has(ns)) nsLabels.set(ns, { [NS_NAME_LABEL]: ns });
    if (p.spec?.hostNetwork) continue;
    pods.push(p);
    let list = podsByNs.get(ns);
    if (!list) podsByNs.set(ns, (list = []));
    list.push(p);
  }
  const cni = snapshot.cni;
  const cniName = cni?.name ?? 'unknown';
  const matches = ipBlockMatchesPodIPs ?? cni?.ipBlockMatchesPodIPs ?? cniName !== 'cilium';
  return { snapshot, nsLabels, podsByNs, pods, ipBlockMatchesPodIPs: matches, cniName };
}

export function namespacesMatching(ctx: LintContext, sel: LabelSelector): string[] {
  const out: string[] = [];
  for (const [ns, labels] of ctx.nsLabels) if (matchesSelector(sel, labels)) out.push(ns);
  return out;
}

export function podsSelectedByPolicy(ctx: LintContext, np: NetworkPolicy): Pod[] {
  const ns = np.metadata.namespace ?? 'default';
  const sel = np.spec?.podSelector ?? {};
  return (ctx.podsByNs.get(ns) ?? []).filter((p) => matchesSelector(sel, p.metadata.labels));
}

/** Pods a NetworkPolicy peer (pod/namespace selectors) matches; ipBlock peers return undefined. */
export function podsMatchingPeer(
  ctx: LintContext,
  policyNs: string,
  peer: NetworkPolicyPeer,
): Pod[] | undefined {
  if (peer.ipBlock) return undefined;
  const namespaces = peer.namespaceSelector ? namespacesMatching(ctx, peer.namespaceSelector) : [policyNs];
  const out: Pod[] = [];
  for (const ns of namespaces)
    for (const p of ctx.podsByNs.get(ns) ?? [])
      if (!peer.podSelector || matchesSelector(peer.podSelector, p.metadata.labels)) out.push(p);
  return out;
}

/** Levenshtein distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function listSome(items: string[], max = 5): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
