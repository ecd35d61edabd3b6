import { stringify } from 'yaml';
import type { Snapshot } from './types';
import { SNAPSHOT_API_VERSION } from './parse';

/** Snapshot lists in export order: cluster facts first, then policies, then CNI detection inputs. */
const EXPORT_ORDER = [
  'nodes',
  'namespaces',
  'pods',
  'services',
  'networkPolicies',
  'adminNetworkPolicies',
  'baselineAdminNetworkPolicies',
  'clusterNetworkPolicies',
  'ciliumNetworkPolicies',
  'ciliumClusterwideNetworkPolicies',
  'calicoTiers',
  'calicoNetworkPolicies',
  'calicoGlobalNetworkPolicies',
  'daemonSets',
  'deployments',
  'configMaps',
] as const satisfies readonly (keyof Snapshot)[];

/** The snapshot as one kubectl-style `List` object (what exportSnapshotYaml serialises). */
export function snapshotToList(snapshot: Snapshot): {
  apiVersion: 'v1';
  kind: 'List';
  metadata: { resourceVersion: string };
  items: unknown[];
} {
  const items: unknown[] = [];
  const info: Record<string, unknown> = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: 'SnapshotInfo',
    metadata: { name: 'snapshot' },
    source: snapshot.source,
    takenAt: snapshot.takenAt,
  };
  if (snapshot.partial) info.partial = snapshot.partial;
  if (Object.keys(snapshot.unknownKinds).length) info.unknownKinds = snapshot.unknownKinds;
  items.push(info);
  if (snapshot.cni)
    items.push({
      apiVersion: SNAPSHOT_API_VERSION,
      kind: 'CniFacts',
      metadata: { name: 'cni' },
      facts: snapshot.cni,
    });
  for (const key of EXPORT_ORDER) for (const obj of snapshot[key] ?? []) items.push(obj);
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

/**
 * A kubectl-compatible `apiVersion: v1, kind: List` YAML document that `parseSnapshotTexts` reads back to an
 * equivalent snapshot. Source, time, partial-access gaps and CNI facts travel as our own
 * `SnapshotInfo` and `CniFacts` items (kubectl ignores them on `get`, and `apply` would reject them).
 */
export function exportSnapshotYaml(snapshot: Snapshot): string {
  return stringify(snapshotToList(snapshot), { lineWidth: 0, aliasDuplicateObjects: false });
}
