/**
 * The resource catalog: which kinds the simulator can serve, under which group/version and plural,
 * namespaced or not, and how the API server lists them in discovery. Optional groups (CRDs and
 * aggregated APIs) are only served when the scenario asks for them or holds objects of them.
 */

export interface ResourceDef {
  group: string; // '' = core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Served by apiextensions (CRD): list items keep kind/apiVersion, like the real server. */
  crd?: boolean;
  /** Only `create` (reviews). */
  createOnly?: boolean;
}

export interface SubresourceDef {
  group: string;
  version: string;
  name: string; // e.g. pods/portforward
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceDef> = {},
): ResourceDef {
  return { group, version, kind, plural, singular: kind.toLowerCase(), namespaced, ...extra };
}

/** Always served (a vanilla cluster). */
export const CORE_RESOURCES: ResourceDef[] = [
  r('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'] }),
  r('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'] }),
  r('', 'v1', 'Pod', 'pods', true, { shortNames: ['po'], categories: ['all'] }),
  r('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], categories: ['all'] }),
  r('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  r('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  r('', 'v1', 'Secret', 'secrets', true),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  r('apps', 'v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'], categories: ['all'] }),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ['all'] }),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'], categories: ['all'] }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], categories: ['all'] }),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { shortNames: ['ing'] }),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
  }),
  r('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, {
    createOnly: true,
  }),
  r('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, {
    createOnly: true,
  }),
  r('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false, { createOnly: true }),
  r('authorization.k8s.io', 'v1', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true, {
    createOnly: true,
  }),
];

export const CORE_SUBRESOURCES: SubresourceDef[] = [
  {
    group: '',
    version: 'v1',
    name: 'pods/portforward',
    kind: 'PodPortForwardOptions',
    namespaced: true,
    verbs: ['create', 'get'],
  },
  { group: '', version: 'v1', name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] },
  {
    group: '',
    version: 'v1',
    name: 'pods/status',
    kind: 'Pod',
    namespaced: true,
    verbs: ['get', 'patch', 'update'],
  },
  {
    group: '',
    version: 'v1',
    name: 'services/proxy',
    kind: 'ServiceProxyOptions',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'patch', 'update'],
  },
];

const calicoKinds: [string, string, boolean][] = [
  ['NetworkPolicy', 'networkpolicies', true],
  ['GlobalNetworkPolicy', 'globalnetworkpolicies', false],
  ['StagedNetworkPolicy', 'stagednetworkpolicies', true],
  ['StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies', false],
  ['StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies', true],
  ['NetworkSet', 'networksets', true],
  ['GlobalNetworkSet', 'globalnetworksets', false],
  ['Tier', 'tiers', false],
  ['HostEndpoint', 'hostendpoints', false],
  ['FelixConfiguration', 'felixconfigurations', false],
  ['ClusterInformation', 'clusterinformations', false],
  ['IPPool', 'ippools', false],
  ['CalicoNodeStatus', 'caliconodestatuses', false],
  ['BGPConfiguration', 'bgpconfigurations', false],
  ['BGPPeer', 'bgppeers', false],
  ['KubeControllersConfiguration', 'kubecontrollersconfigurations', false],
];

/** Optional API groups, keyed by the names a scenario uses in `groups:`. */
export const OPTIONAL_GROUPS: Record<string, ResourceDef[]> = {
  'cilium.io/v2': [
    r('cilium.io', 'v2', 'CiliumNetworkPolicy', 'ciliumnetworkpolicies', true, {
      shortNames: ['cnp', 'ciliumnp'],
      crd: true,
    }),
    r('cilium.io', 'v2', 'CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', false, {
      shortNames: ['ccnp'],
      crd: true,
    }),
    r('cilium.io', 'v2', 'CiliumEndpoint', 'ciliumendpoints', true, {
      shortNames: ['cep', 'ciliumep'],
      crd: true,
    }),
    r('cilium.io', 'v2', 'CiliumNode', 'ciliumnodes', false, { shortNames: ['cn', 'ciliumn'], crd: true }),
    r('cilium.io', 'v2', 'CiliumIdentity', 'ciliumidentities', false, {
      shortNames: ['ciliumid'],
      crd: true,
    }),
    r('cilium.io', 'v2', 'CiliumCIDRGroup', 'ciliumcidrgroups', false, { shortNames: ['ccg'], crd: true }),
  ],
  'policy.networking.k8s.io/v1alpha1': [
    r('policy.networking.k8s.io', 'v1alpha1', 'AdminNetworkPolicy', 'adminnetworkpolicies', false, {
      shortNames: ['anp'],
      crd: true,
    }),
    r(
      'policy.networking.k8s.io',
      'v1alpha1',
      'BaselineAdminNetworkPolicy',
      'baselineadminnetworkpolicies',
      false,
      {
        shortNames: ['banp'],
        crd: true,
      },
    ),
  ],
  'policy.networking.k8s.io/v1alpha2': [
    r('policy.networking.k8s.io', 'v1alpha2', 'ClusterNetworkPolicy', 'clusternetworkpolicies', false, {
      shortNames: ['cnp'],
      crd: true,
    }),
  ],
  /** Calico API server (aggregated, typed: list items without kind/apiVersion). */
  'projectcalico.org/v3': calicoKinds.map(([k, p, n]) => r('projectcalico.org', 'v3', k, p, n)),
  /** Calico 3.32 native v3 CRDs. */
  'projectcalico.org/v3-crd': calicoKinds.map(([k, p, n]) =>
    r('projectcalico.org', 'v3', k, p, n, { crd: true }),
  ),
  'crd.projectcalico.org/v1': calicoKinds.map(([k, p, n]) =>
    r('crd.projectcalico.org', 'v1', k, p, n, { crd: true }),
  ),
  'operator.tigera.io/v1': [
    r('operator.tigera.io', 'v1', 'Installation', 'installations', false, { crd: true }),
    r('operator.tigera.io', 'v1', 'TigeraStatus', 'tigerastatuses', false, { crd: true }),
  ],
};

/** Short aliases accepted in scenario `groups:` (e.g. `cilium.io` = `cilium.io/v2`). */
export function normalizeGroupKey(key: string): string[] {
  if (OPTIONAL_GROUPS[key]) return [key];
  if (key === 'policy.networking.k8s.io') {
    return ['policy.networking.k8s.io/v1alpha1', 'policy.networking.k8s.io/v1alpha2'];
  }
  const matches = Object.keys(OPTIONAL_GROUPS).filter((k) => k.split('/')[0] === key && !k.endsWith('-crd'));
  if (matches.length > 0) return matches;
  throw new Error(
    `k8s-sim: unknown API group "${key}" in scenario groups (known: ${Object.keys(OPTIONAL_GROUPS).join(', ')})`,
  );
}

export function groupVersionOf(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function apiVersionOf(def: ResourceDef): string {
  return groupVersionOf(def);
}

/** Discovery verbs for a resource. */
export function verbsOf(def: ResourceDef): string[] {
  return def.createOnly ? ['create'] : CRUD;
}

/** `pods` for core, `networkpolicies.networking.k8s.io` otherwise (the API server's qualified resource). */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** A CustomResourceDefinition object for a CRD-backed resource (so `readCustomResourceDefinition` works). */
export function crdObjectFor(def: ResourceDef, versions: string[]): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${def.group}` },
    spec: {
      group: def.group,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        ...(def.shortNames ? { shortNames: def.shortNames } : {}),
      },
      scope: def.namespaced ? 'Namespaced' : 'Cluster',
      versions: versions.map((v, i) => ({
        name: v,
        served: true,
        storage: i === versions.length - 1,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      })),
    },
    status: {
      acceptedNames: { kind: def.kind, plural: def.plural },
      conditions: [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted' }],
      storedVersions: [versions[versions.length - 1]],
    },
  };
}
