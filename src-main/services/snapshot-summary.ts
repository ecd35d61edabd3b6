import type { SnapshotSummary } from '@shared/api/contract';
import type { Snapshot } from '@shared/snapshot/types';

function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** A title a user recognises: the context name, the file name(s), or "Demo cluster". */
export function snapshotTitle(snapshot: Snapshot): string {
  const s = snapshot.source;
  if (s.type === 'demo') return 'Demo cluster';
  if (s.type === 'context') return s.context;
  if (s.paths.length === 0) return 'Snapshot';
  if (s.paths.length === 1) return baseName(s.paths[0]);
  return `${baseName(s.paths[0])} + ${s.paths.length - 1} more`;
}

/** What a user sees right after loading: what came in, and what could not be read. */
export function summarizeSnapshot(snapshotId: string, snapshot: Snapshot, live: boolean): SnapshotSummary {
  const policies: Record<string, number> = {};
  const add = (kind: string, n: number) => {
    if (n > 0) policies[kind] = n;
  };
  add('NetworkPolicy', snapshot.networkPolicies.length);
  add('AdminNetworkPolicy', snapshot.adminNetworkPolicies.length);
  add('BaselineAdminNetworkPolicy', snapshot.baselineAdminNetworkPolicies.length);
  add('ClusterNetworkPolicy', snapshot.clusterNetworkPolicies.length);
  add('CiliumNetworkPolicy', snapshot.ciliumNetworkPolicies.length);
  add('CiliumClusterwideNetworkPolicy', snapshot.ciliumClusterwideNetworkPolicies.length);
  add('Calico NetworkPolicy', snapshot.calicoNetworkPolicies.length);
  add('Calico GlobalNetworkPolicy', snapshot.calicoGlobalNetworkPolicies.length);
  return {
    snapshotId,
    title: snapshotTitle(snapshot),
    source: snapshot.source,
    takenAt: snapshot.takenAt,
    counts: {
      namespaces: snapshot.namespaces.length,
      pods: snapshot.pods.length,
      services: snapshot.services.length,
      nodes: snapshot.nodes.length,
      policies,
    },
    unknownKinds: snapshot.unknownKinds,
    loadFindings: snapshot.loadFindings,
    ...(snapshot.partial ? { partial: snapshot.partial } : {}),
    ...(snapshot.cni ? { cni: snapshot.cni } : {}),
    live,
  };
}
