/**
 * Generator hook: a synthetic cluster of any size (e.g. 10k pods) held in memory, for benchmarks.
 * Deterministic: the same options give the same objects.
 */
import type { KubeObjectLike } from './store.js';

export interface GenerateClusterOptions {
  pods?: number; // default 10000
  namespaces?: number; // default 50
  nodes?: number; // default 20
  /** Apps per namespace (pods are spread over them). Default 10. */
  appsPerNamespace?: number;
  /** NetworkPolicies per namespace (a default deny + allow rules). Default 4. */
  policiesPerNamespace?: number;
}

export function generateCluster(opts: GenerateClusterOptions = {}): KubeObjectLike[] {
  const podCount = opts.pods ?? 10_000;
  const nsCount = opts.namespaces ?? 50;
  const nodeCount = opts.nodes ?? 20;
  const apps = opts.appsPerNamespace ?? 10;
  const policies = opts.policiesPerNamespace ?? 4;
  const out: KubeObjectLike[] = [];
  for (let n = 0; n < nodeCount; n++) {
    out.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `node-${n}`,
        labels: { 'kubernetes.io/hostname': `node-${n}`, 'kubernetes.io/os': 'linux' },
      },
      spec: { podCIDR: `10.${100 + Math.floor(n / 250)}.${n % 250}.0/24` },
      status: {
        addresses: [{ type: 'InternalIP', address: `192.168.${Math.floor(n / 250)}.${(n % 250) + 1}` }],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  const nsName = (i: number): string => `team-${String(i).padStart(3, '0')}`;
  for (let i = 0; i < nsCount; i++) {
    const name = nsName(i);
    out.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name, team: `t${i % 7}` } },
      status: { phase: 'Active' },
    });
    for (let a = 0; a < apps; a++) {
      out.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `app-${a}`, namespace: name, labels: { app: `app-${a}` } },
        spec: {
          type: 'ClusterIP',
          clusterIP: `10.96.${i % 250}.${a + 1}`,
          selector: { app: `app-${a}` },
          ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
        },
      });
    }
    for (let p = 0; p < policies; p++) {
      const spec =
        p === 0
          ? { podSelector: {}, policyTypes: ['Ingress'] }
          : {
              podSelector: { matchLabels: { app: `app-${p % apps}` } },
              policyTypes: ['Ingress'],
              ingress: [
                {
                  from: [
                    { namespaceSelector: { matchLabels: { team: `t${(i + p) % 7}` } } },
                    { podSelector: { matchLabels: { app: `app-${(p + 1) % apps}` } } },
                  ],
                  ports: [{ protocol: 'TCP', port: 8080 }],
                },
              ],
            };
      out.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: p === 0 ? 'default-deny-ingress' : `allow-${p}`, namespace: name },
        spec,
      });
    }
  }
  for (let k = 0; k < podCount; k++) {
    const i = k % nsCount;
    const a = Math.floor(k / nsCount) % apps;
    const node = k % nodeCount;
    const ip = `10.${100 + Math.floor(node / 250)}.${node % 250}.${(Math.floor(k / nodeCount) % 250) + 2}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `app-${a}-${k.toString(36).padStart(5, '0')}`,
        namespace: nsName(i),
        labels: { app: `app-${a}`, 'pod-template-hash': 'abc123' },
      },
      spec: {
        nodeName: `node-${node}`,
        containers: [
          {
            name: 'main',
            image: 'example/app:1.0',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          },
        ],
      },
      status: {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        hostIP: `192.168.${Math.floor(node / 250)}.${(node % 250) + 1}`,
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  return out;
}
