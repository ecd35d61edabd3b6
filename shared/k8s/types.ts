/**
 * Kubernetes object shapes as the API server serves them (the subset the engine reads).
 * Field names follow the wire format exactly so that `kubectl get -o json|yaml` output and
 * live API responses load into the same types.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export type Labels = Record<string, string>;

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

/** metav1.LabelSelector. `{}` selects everything; an absent selector is context dependent. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

// ---------- core/v1 ----------

export interface Namespace extends KubeObject {
  kind: 'Namespace';
  status?: { phase?: string };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: Protocol;
  hostPort?: number;
}

export interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string }[];
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount?: number;
  image?: string;
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec: {
    nodeName?: string;
    hostNetwork?: boolean;
    containers: Container[];
    initContainers?: Container[];
    serviceAccountName?: string;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
  };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: Protocol;
  nodePort?: number;
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: {
    selector?: Labels;
    ports?: ServicePort[];
    clusterIP?: string;
    clusterIPs?: string[];
    type?: string;
  };
}

export interface NodeAddress {
  type: string;
  address: string;
}

export interface Node extends KubeObject {
  kind: 'Node';
  spec?: { podCIDR?: string; podCIDRs?: string[] };
  status?: {
    addresses?: NodeAddress[];
    conditions?: { type: string; status: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string };
  };
}

export interface ConfigMap extends KubeObject {
  kind: 'ConfigMap';
  data?: Record<string, string>;
}

// ---------- apps/v1 ----------

export interface PodTemplate {
  metadata?: { labels?: Labels };
  spec: { containers: Container[]; hostNetwork?: boolean };
}

export interface DaemonSet extends KubeObject {
  kind: 'DaemonSet';
  spec: { selector?: LabelSelector; template: PodTemplate };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    updatedNumberScheduled?: number;
  };
}

export interface Deployment extends KubeObject {
  kind: 'Deployment';
  spec: { replicas?: number; selector?: LabelSelector; template: PodTemplate };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
  };
}

// ---------- networking.k8s.io/v1 NetworkPolicy ----------

export interface IPBlock {
  cidr: string;
  except?: string[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicy extends KubeObject {
  kind: 'NetworkPolicy';
  spec: {
    podSelector: LabelSelector;
    policyTypes?: PolicyType[];
    ingress?: NetworkPolicyIngressRule[];
    egress?: NetworkPolicyEgressRule[];
  };
}

// ---------- policy.networking.k8s.io v1alpha1 (ANP/BANP) and v1alpha2 (ClusterNetworkPolicy) ----------

export interface NamespacedPod {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

export interface AdminNetworkPolicySubject {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
}

export interface AdminNetworkPolicyPort {
  portNumber?: { protocol?: Protocol; port: number };
  namedPort?: string;
  portRange?: { protocol?: Protocol; start: number; end: number };
}

export interface AdminNetworkPolicyPeer {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
  nodes?: LabelSelector;
  networks?: string[];
  domainNames?: string[];
}

export interface AdminNetworkPolicyRule {
  name?: string;
  action: 'Allow' | 'Deny' | 'Pass';
  from?: AdminNetworkPolicyPeer[];
  to?: AdminNetworkPolicyPeer[];
  ports?: AdminNetworkPolicyPort[];
}

export interface AdminNetworkPolicy extends KubeObject {
  kind: 'AdminNetworkPolicy';
  spec: {
    priority: number;
    subject: AdminNetworkPolicySubject;
    ingress?: AdminNetworkPolicyRule[];
    egress?: AdminNetworkPolicyRule[];
  };
}

export interface BaselineAdminNetworkPolicy extends KubeObject {
  kind: 'BaselineAdminNetworkPolicy';
  spec: {
    subject: AdminNetworkPolicySubject;
    ingress?: AdminNetworkPolicyRule[];
    egress?: AdminNetworkPolicyRule[];
  };
}

export interface ClusterNetworkPolicyPortSpec {
  number?: number;
  range?: { start: number; end: number };
}

export interface ClusterNetworkPolicyProtocol {
  tcp?: { destinationPort?: ClusterNetworkPolicyPortSpec };
  udp?: { destinationPort?: ClusterNetworkPolicyPortSpec };
  sctp?: { destinationPort?: ClusterNetworkPolicyPortSpec };
  destinationNamedPort?: string;
}

export interface ClusterNetworkPolicyRule {
  name?: string;
  action: 'Accept' | 'Deny' | 'Pass';
  from?: AdminNetworkPolicyPeer[];
  to?: AdminNetworkPolicyPeer[];
  protocols?: ClusterNetworkPolicyProtocol[];
}

export interface ClusterNetworkPolicy extends KubeObject {
  kind: 'ClusterNetworkPolicy';
  spec: {
    tier: 'Admin' | 'Baseline';
    priority: number;
    subject: AdminNetworkPolicySubject;
    ingress?: ClusterNetworkPolicyRule[];
    egress?: ClusterNetworkPolicyRule[];
  };
}

// ---------- CRDs kept for the Cilium and Calico issues (loaded and validated shallowly for now) ----------

export interface CiliumNetworkPolicy extends KubeObject {
  kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  spec?: Record<string, unknown>;
  specs?: Record<string, unknown>[];
}

export interface CalicoPolicy extends KubeObject {
  /** projectcalico.org/v3 or crd.projectcalico.org/v1 */
  kind:
    'NetworkPolicy' | 'GlobalNetworkPolicy' | 'StagedNetworkPolicy' | 'StagedGlobalNetworkPolicy' | 'Tier';
  spec?: Record<string, unknown>;
}

export type PolicyKind =
  | 'NetworkPolicy'
  | 'AdminNetworkPolicy'
  | 'BaselineAdminNetworkPolicy'
  | 'ClusterNetworkPolicy'
  | 'CiliumNetworkPolicy'
  | 'CiliumClusterwideNetworkPolicy'
  | 'CalicoNetworkPolicy'
  | 'CalicoGlobalNetworkPolicy';

/** Stable reference to any object: what reports, traces and findings point at. */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}
