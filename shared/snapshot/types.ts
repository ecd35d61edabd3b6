import type {
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy,
  CalicoPolicy,
  CiliumNetworkPolicy,
  ClusterNetworkPolicy,
  ConfigMap,
  DaemonSet,
  Deployment,
  Namespace,
  NetworkPolicy,
  Node,
  ObjectRef,
  Pod,
  Service,
} from '../k8s/types';

/**
 * A snapshot is everything the engine needs, taken at one moment. It is the ONLY input of the
 * engine: files (`kubectl get -o yaml|json`), a live cluster and the demo all produce this type.
 */
export interface Snapshot {
  source: SnapshotSource;
  /** ISO time the snapshot was taken (file: load time, live: last list/watch update). */
  takenAt: string;

  namespaces: Namespace[];
  pods: Pod[];
  services: Service[];
  nodes: Node[];

  networkPolicies: NetworkPolicy[];
  adminNetworkPolicies: AdminNetworkPolicy[];
  baselineAdminNetworkPolicies: BaselineAdminNetworkPolicy[];
  clusterNetworkPolicies: ClusterNetworkPolicy[];
  ciliumNetworkPolicies: CiliumNetworkPolicy[];
  ciliumClusterwideNetworkPolicies: CiliumNetworkPolicy[];
  calicoNetworkPolicies: CalicoPolicy[];
  calicoGlobalNetworkPolicies: CalicoPolicy[];
  /** Calico Tier objects (projectcalico.org/v3 or crd.projectcalico.org/v1), when the snapshot has them. */
  calicoTiers?: CalicoPolicy[];

  /** Only what CNI detection needs (ConfigMap data is filtered to known keys, Secrets are never kept). */
  daemonSets: DaemonSet[];
  deployments: Deployment[];
  configMaps: ConfigMap[];

  /** CNI facts: detected from the objects above, or read back from an exported snapshot. */
  cni?: CniFacts;

  /** Set when some lists were forbidden or failed: every verdict on this snapshot says it is partial. */
  partial?: PartialInfo;

  /** Kinds the loader did not know, with counts. Never fatal. */
  unknownKinds: Record<string, number>;

  /** Validation findings produced while loading (invalid objects are kept and reported, not dropped). */
  loadFindings: LoadFinding[];
}

export type SnapshotSource =
  | { type: 'files'; paths: string[] }
  | { type: 'context'; context: string; cluster?: string; server?: string }
  | { type: 'demo'; paths: string[] };

export interface PartialInfo {
  /** e.g. "cannot list networkpolicies in namespace backend" */
  gaps: AccessGap[];
}

export interface AccessGap {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  /** One sentence a user can read: "cannot list networkpolicies in namespace backend". */
  message: string;
}

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface LoadFinding {
  severity: FindingSeverity;
  /** e.g. "invalid-object", "unknown-kind", "duplicate-object" */
  code: string;
  object?: ObjectRef;
  /** API-server style field path, e.g. "spec.ingress[0].from[1].ipBlock.cidr" */
  field?: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

// ---------- CNI facts ----------

export type CniName =
  | 'cilium'
  | 'calico'
  | 'canal'
  | 'flannel'
  | 'kindnet'
  | 'aws-vpc-cni'
  | 'azure-cni'
  | 'azure-npm'
  | 'gke-dpv2'
  | 'weave'
  | 'antrea'
  | 'kube-router'
  | 'ovn-kubernetes'
  | 'unknown';

export interface ComponentHealth {
  name: string;
  namespace: string;
  kind: 'DaemonSet' | 'Deployment' | 'Service';
  present: boolean;
  desired?: number;
  ready?: number;
  version?: string;
}

export interface NodeAgentHealth {
  node: string;
  /** name of the agent pod on that node (e.g. cilium-abcde), if any */
  pod?: string;
  ready: boolean;
  reason?: string;
}

export interface CniFacts {
  /** Primary CNI detected. */
  name: CniName;
  version?: string;
  /** Does this CNI enforce Kubernetes NetworkPolicy as installed? */
  enforcesNetworkPolicy: boolean | 'unknown';
  /** Human-readable reasons for the detection (evidence). */
  evidence: string[];
  /** Prominent warnings, e.g. "flannel does not enforce NetworkPolicy: your policies have no effect". */
  warnings: string[];
  components: ComponentHealth[];
  /** Agent readiness per node: "is the agent on the node of pod X healthy?" */
  nodes: NodeAgentHealth[];
  /** ipBlock semantics assumed for pod IPs (see cli-conventions.md). */
  ipBlockMatchesPodIPs: boolean;
  cilium?: {
    policyEnforcementMode?: 'default' | 'always' | 'never';
    hubbleEnabled?: boolean;
    hubbleRelayPresent?: boolean;
    config: Record<string, string>;
  };
  calico?: {
    install: 'operator' | 'manifest';
    namespace: string;
    v3ApiServed?: boolean;
    typha?: boolean;
    kubeControllers?: boolean;
  };
  observability: { hubble: boolean; calico: boolean };
}

export function emptySnapshot(source: SnapshotSource, takenAt = new Date().toISOString()): Snapshot {
  return {
    source,
    takenAt,
    namespaces: [],
    pods: [],
    services: [],
    nodes: [],
    networkPolicies: [],
    adminNetworkPolicies: [],
    baselineAdminNetworkPolicies: [],
    clusterNetworkPolicies: [],
    ciliumNetworkPolicies: [],
    ciliumClusterwideNetworkPolicies: [],
    calicoNetworkPolicies: [],
    calicoGlobalNetworkPolicies: [],
    daemonSets: [],
    deployments: [],
    configMaps: [],
    unknownKinds: {},
    loadFindings: [],
  };
}
