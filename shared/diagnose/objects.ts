import { stringify } from 'yaml';
import type { PolicyRef } from '../engine/types';
import type { KubeObject, Labels, NetworkPolicy, ObjectRef, Pod } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';

/** Snapshot list that holds each policy kind. */
export const POLICY_LISTS = {
  NetworkPolicy: 'networkPolicies',
  AdminNetworkPolicy: 'adminNetworkPolicies',
  BaselineAdminNetworkPolicy: 'baselineAdminNetworkPolicies',
  ClusterNetworkPolicy: 'clusterNetworkPolicies',
  CiliumNetworkPolicy: 'ciliumNetworkPolicies',
  CiliumClusterwideNetworkPolicy: 'ciliumClusterwideNetworkPolicies',
  CalicoNetworkPolicy: 'calicoNetworkPolicies',
  CalicoGlobalNetworkPolicy: 'calicoGlobalNetworkPolicies',
} as const satisfies Record<PolicyRef['kind'], keyof Snapshot>;

export function policyKey(ref: PolicyRef | ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export function formatPolicyRef(ref: PolicyRef): string {
  const kind = ref.kind === 'NetworkPolicy' ? '' : `${ref.kind} `;
  return `${kind}${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The object a PolicyRef points at, or undefined when the snapshot no longer holds it. */
export function findPolicy(snapshot: Snapshot, ref: PolicyRef): KubeObject | undefined {
  const list = snapshot[POLICY_LISTS[ref.kind]] as KubeObject[];
  return list.find(
    (p) =>
      p.metadata.name === ref.name && (p.metadata.namespace ?? undefined) === (ref.namespace ?? undefined),
  );
}

export function findNetworkPolicy(snapshot: Snapshot, ref: PolicyRef): NetworkPolicy | undefined {
  if (ref.kind !== 'NetworkPolicy') return undefined;
  return findPolicy(snapshot, ref) as NetworkPolicy | undefined;
}

export function findPod(snapshot: Snapshot, namespace: string, name: string): Pod | undefined {
  return snapshot.pods.find((p) => p.metadata.name === name && p.metadata.namespace === namespace);
}

export function namespaceLabels(snapshot: Snapshot, name: string): Labels {
  return snapshot.namespaces.find((n) => n.metadata.name === name)?.metadata.labels ?? {};
}

/**
 * The object as a user would write it: without server-managed metadata (uid, resourceVersion,
 * managedFields, status) and without annotations (they may hold secrets; `kubectl apply` of the
 * result keeps annotations that were not set by a previous apply). Used for YAML shown in fixes and reports.
 */
export function cleanObject<T extends KubeObject>(obj: T): T {
  const copy = structuredClone(obj) as T & { status?: unknown; metadata: Record<string, unknown> };
  const md = copy.metadata as Record<string, unknown>;
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'])
    delete md[k];
  // annotations may carry anything (tokens in last-applied configurations, notes): never shown or exported
  delete md.annotations;
  if ('status' in copy && copy.kind !== 'Pod' && copy.kind !== 'Node') delete copy.status;
  return copy;
}

export function toYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Labels that identify a workload rather than one replica (drop hashes and per-pod names). */
export function stableLabels(labels: Labels): Labels {
  const preferred = [
    'app.kubernetes.io/name',
    'app',
    'k8s-app',
    'name',
    'component',
    'app.kubernetes.io/component',
  ];
  for (const k of preferred) {
    if (labels[k] !== undefined) {
      const out: Labels = { [k]: labels[k] };
      if (k === 'app.kubernetes.io/name' && labels['app.kubernetes.io/instance'] !== undefined)
        out['app.kubernetes.io/instance'] = labels['app.kubernetes.io/instance'];
      return out;
    }
  }
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) {
    if (
      k === 'pod-template-hash' ||
      k === 'controller-revision-hash' ||
      k.endsWith('/pod-name') ||
      k === 'pod-template-generation'
    )
      continue;
    out[k] = v;
  }
  return out;
}

/** Damerau-free Levenshtein distance, small strings only (label values). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** "one or two edits away" (typos, transpositions count as 2). */
export function looksLikeTypo(a: string, b: string): boolean {
  if (a === b) return false;
  const d = editDistance(a, b);
  return d <= 2 && d < Math.max(a.length, b.length) / 2;
}
