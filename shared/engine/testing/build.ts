/**
 * Test helpers: build snapshots from YAML text or from terse object descriptions.
 * (Tests only. The product's loader is shared/snapshot/parse.ts.)
 */
import { parseAllDocuments } from 'yaml';
import type {
  AdminNetworkPolicy,
  AdminNetworkPolicyRule,
  AdminNetworkPolicySubject,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ClusterNetworkPolicyRule,
  KubeObject,
  Labels,
  NetworkPolicy,
  Pod,
} from '../../k8s/types';
import { emptySnapshot, type CniFacts, type Snapshot } from '../../snapshot/types';

export function snapshotFromObjects(objects: KubeObject[], cni?: Partial<CniFacts>): Snapshot {
  const s = emptySnapshot({ type: 'files', paths: ['test'] }, '2026-01-01T00:00:00Z');
  const put = (o: KubeObject) => {
    const group = o.apiVersion.split('/')[0];
    switch (o.kind) {
      case 'Namespace':
        s.namespaces.push(o as never);
        break;
      case 'Pod':
        s.pods.push(o as never);
        break;
      case 'Service':
        s.services.push(o as never);
        break;
      case 'Node':
        s.nodes.push(o as never);
        break;
      case 'NetworkPolicy':
        if (group === 'networking.k8s.io') s.networkPolicies.push(o as never);
        else s.calicoNetworkPolicies.push(o as never);
        break;
      case 'AdminNetworkPolicy':
        s.adminNetworkPolicies.push(o as never);
        break;
      case 'BaselineAdminNetworkPolicy':
        s.baselineAdminNetworkPolicies.push(o as never);
        break;
      case 'ClusterNetworkPolicy':
        s.clusterNetworkPolicies.push(o as never);
        break;
      case 'DaemonSet':
        s.daemonSets.push(o as never);
        break;
      case 'Deployment':
        s.deployments.push(o as never);
        break;
      case 'ConfigMap':
        s.configMaps.push(o as never);
        break;
      default:
        s.unknownKinds[o.kind] = (s.unknownKinds[o.kind] ?? 0) + 1;
    }
  };
  for (const o of objects) {
    if (o.kind.endsWith('List') && Array.isArray((o as unknown as { items: KubeObject[] }).items)) {
      for (const i of (o as unknown as { items: KubeObject[] }).items) put(i);
    } else put(o);
  }
  if (cni) {
    s.cni = {
      name: 'unknown',
      enforcesNetworkPolicy: true,
      evidence: [],
      warnings: [],
      components: [],
      nodes: [],
      ipBlockMatchesPodIPs: true,
      observability: { hubble: false, calico: false },
      ...cni,
    };
  }
  return s;
}

export function snapshotFromYaml(text: string, cni?: Partial<CniFacts>): Snapshot {
  const objs: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const v = doc.toJS() as KubeObject | null;
    if (v) objs.push(v);
  }
  return snapshotFromObjects(objs, cni);
}

// ---------------------------------------------------------------- terse builders

export function ns(name: string, labels: Labels = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  };
}

export interface PodOpts {
  labels?: Labels;
  ip?: string;
  node?: string;
  hostNetwork?: boolean;
  ports?: { name?: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
}

export function pod(nsName: string, name: string, o: PodOpts = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: nsName, labels: o.labels ?? {} },
    spec: {
      nodeName: o.node ?? 'node-a',
      hostNetwork: o.hostNetwork,
      containers: [
        {
          name: 'c',
          ports: (o.ports ?? []).map((p) => ({
            name: p.name,
            containerPort: p.port,
            protocol: p.protocol ?? 'TCP',
          })),
        },
      ],
    },
    status: o.ip ? { phase: 'Running', podIP: o.ip } : { phase: 'Pending' },
  };
}

export function node(name: string, ip: string, labels: Labels = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: { addresses: [{ type: 'InternalIP', address: ip }] },
  } as KubeObject;
}

export function np(nsName: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: nsName },
    spec,
  };
}

export function anp(
  name: string,
  priority: number,
  subject: AdminNetworkPolicySubject,
  rules: { ingress?: AdminNetworkPolicyRule[]; egress?: AdminNetworkPolicyRule[] },
): AdminNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name },
    spec: { priority, subject, ...rules },
  };
}

export function banp(
  subject: AdminNetworkPolicySubject,
  rules: { ingress?: AdminNetworkPolicyRule[]; egress?: AdminNetworkPolicyRule[] },
  name = 'default',
): BaselineAdminNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name },
    spec: { subject, ...rules },
  };
}

export function cnp(
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  subject: AdminNetworkPolicySubject,
  rules: { ingress?: ClusterNetworkPolicyRule[]; egress?: ClusterNetworkPolicyRule[] },
): ClusterNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: { tier, priority, subject, ...rules },
  };
}
