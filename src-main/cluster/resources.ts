/** What a live snapshot lists, where each kind lives in the API, and which snapshot field it fills. */
import type { Snapshot } from '@shared/snapshot/types';

export type SnapshotListKey =
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'nodes'
  | 'networkPolicies'
  | 'adminNetworkPolicies'
  | 'baselineAdminNetworkPolicies'
  | 'clusterNetworkPolicies'
  | 'ciliumNetworkPolicies'
  | 'ciliumClusterwideNetworkPolicies'
  | 'calicoNetworkPolicies'
  | 'calicoGlobalNetworkPolicies'
  | 'daemonSets'
  | 'deployments'
  | 'configMaps'
  | 'calicoTiers';

export interface ResourceSpec {
  key: SnapshotListKey;
  /** '' for the core group */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** 'all': every namespace (cluster-wide list, per-namespace fallback); 'system': only CNI namespaces */
  scope: 'all' | 'system';
  /** CRDs and alpha APIs: absent from discovery = not installed, not an error */
  optional: boolean;
  /** list only these object names (ConfigMaps needed for CNI detection) */
  names?: string[];
}

/** Namespaces where CNIs install their agents, operators and config. */
export const SYSTEM_NAMESPACES = [
  'kube-system',
  'kube-flannel',
  'calico-system',
  'calico-apiserver',
  'tigera-operator',
  'cilium',
  'cilium-system',
  'gke-managed-dpv2-observability',
  'antrea-system',
  'ovn-kubernetes',
];

import { CNI_CONFIGMAPS } from '@shared/cni/configmaps';
export { CNI_CONFIGMAPS, KEPT_CONFIGMAP_KEYS } from '@shared/cni/configmaps';

const ANP_GROUP = 'policy.networking.k8s.io';

export function resourceSpecs(calicoGroup: { group: string; version: string } | undefined): ResourceSpec[] {
  const specs: ResourceSpec[] = [
    {
      key: 'namespaces',
      group: '',
      version: 'v1',
      plural: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      scope: 'all',
      optional: false,
    },
    {
      key: 'nodes',
      group: '',
      version: 'v1',
      plural: 'nodes',
      kind: 'Node',
      namespaced: false,
      scope: 'all',
      optional: false,
    },
    {
      key: 'pods',
      group: '',
      version: 'v1',
      plural: 'pods',
      kind: 'Pod',
      namespaced: true,
      scope: 'all',
      optional: false,
    },
    {
      key: 'services',
      group: '',
      version: 'v1',
      plural: 'services',
      kind: 'Service',
      namespaced: true,
      scope: 'all',
      optional: false,
    },
    {
      key: 'networkPolicies',
      group: 'networking.k8s.io',
      version: 'v1',
      plural: 'networkpolicies',
      kind: 'NetworkPolicy',
      namespaced: true,
      scope: 'all',
      optional: false,
    },
    {
      key: 'adminNetworkPolicies',
      group: ANP_GROUP,
      version: 'v1alpha1',
      plural: 'adminnetworkpolicies',
      kind: 'AdminNetworkPolicy',
      namespaced: false,
      scope: 'all',
      optional: true,
    },
    {
      key: 'baselineAdminNetworkPolicies',
      group: ANP_GROUP,
      version: 'v1alpha1',
      plural: 'baselineadminnetworkpolicies',
      kind: 'BaselineAdminNetworkPolicy',
      namespaced: false,
      scope: 'all',
      optional: true,
    },
    {
      key: 'clusterNetworkPolicies',
      group: ANP_GROUP,
      version: 'v1alpha2',
      plural: 'clusternetworkpolicies',
      kind: 'ClusterNetworkPolicy',
      namespaced: false,
      scope: 'all',
      optional: true,
    },
    {
      key: 'ciliumNetworkPolicies',
      group: 'cilium.io',
      version: 'v2',
      plural: 'ciliumnetworkpolicies',
      kind: 'CiliumNetworkPolicy',
      namespaced: true,
      scope: 'all',
      optional: true,
    },
    {
      key: 'ciliumClusterwideNetworkPolicies',
      group: 'cilium.io',
      version: 'v2',
      plural: 'ciliumclusterwidenetworkpolicies',
      kind: 'CiliumClusterwideNetworkPolicy',
      namespaced: false,
      scope: 'all',
      optional: true,
    },
    {
      key: 'daemonSets',
      group: 'apps',
      version: 'v1',
      plural: 'daemonsets',
      kind: 'DaemonSet',
      namespaced: true,
      scope: 'all',
      optional: false,
    },
    {
      key: 'deployments',
      group: 'apps',
      version: 'v1',
      plural: 'deployments',
      kind: 'Deployment',
      namespaced: true,
      scope: 'system',
      optional: false,
    },
    {
      key: 'configMaps',
      group: '',
      version: 'v1',
      plural: 'configmaps',
      kind: 'ConfigMap',
      namespaced: true,
      scope: 'system',
      optional: false,
      names: CNI_CONFIGMAPS,
    },
  ];
  if (calicoGroup) {
    specs.push(
      {
        key: 'calicoNetworkPolicies',
        ...calicoGroup,
        plural: 'networkpolicies',
        kind: 'NetworkPolicy',
        namespaced: true,
        scope: 'all',
        optional: true,
      },
      {
        key: 'calicoTiers',
        ...calicoGroup,
        plural: 'tiers',
        kind: 'Tier',
        namespaced: false,
        scope: 'all',
        optional: true,
      },
      {
        key: 'calicoGlobalNetworkPolicies',
        ...calicoGroup,
        plural: 'globalnetworkpolicies',
        kind: 'GlobalNetworkPolicy',
        namespaced: false,
        scope: 'all',
        optional: true,
      },
    );
  }
  return specs;
}

export function apiVersionOf(spec: Pick<ResourceSpec, 'group' | 'version'>): string {
  return spec.group ? `${spec.group}/${spec.version}` : spec.version;
}

/** The collection path: /api/v1/pods, /api/v1/namespaces/ns/pods, /apis/cilium.io/v2/... */
export function collectionPath(
  spec: Pick<ResourceSpec, 'group' | 'version' | 'plural'>,
  namespace?: string,
): string {
  const base = spec.group ? `/apis/${spec.group}/${spec.version}` : `/api/${spec.version}`;
  return namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${spec.plural}`
    : `${base}/${spec.plural}`;
}

/** Human name for messages: "networkpolicies", "ciliumnetworkpolicies.cilium.io". */
export function resourceLabel(spec: Pick<ResourceSpec, 'group' | 'plural'>): string {
  return spec.group && !['apps', 'networking.k8s.io'].includes(spec.group)
    ? `${spec.plural}.${spec.group}`
    : spec.plural;
}

export type SnapshotLists = Pick<Snapshot, SnapshotListKey>;
