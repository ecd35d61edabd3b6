import { describe, expect, it } from 'vitest';
import { agentHealthForNode, detectCni } from './detect';
import { emptySnapshot, type Snapshot } from '../snapshot/types';
import type { ConfigMap, Container, DaemonSet, Deployment, Node, Pod } from '../k8s/types';

// ---------- tiny object builders ----------

function ds(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  containers: Container[],
  ready?: [number, number],
): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } },
    ...(ready ? { status: { desiredNumberScheduled: ready[1], numberReady: ready[0] } } : {}),
  };
}

function dep(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  image: string,
  ready = 1,
): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image }] } },
    },
    status: { replicas: 1, readyReplicas: ready },
  };
}

function agentPod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  node: string,
  ready: boolean,
  owner?: string,
  container = 'agent',
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: owner }] } : {}),
    },
    spec: { nodeName: node, hostNetwork: true, containers: [{ name: container }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function node(name: string, labels: Record<string, string> = {}, annotations?: Record<string, string>): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, ...(annotations ? { annotations } : {}) },
  };
}

function cm(name: string, namespace: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

function snap(
  parts: Partial<
    Pick<Snapshot, 'daemonSets' | 'deployments' | 'pods' | 'nodes' | 'configMaps' | 'calicoNetworkPolicies'>
  >,
): Snapshot {
  return { ...emptySnapshot({ type: 'files', paths: ['test.yaml'] }), ...parts };
}

const ciliumLabels = { 'k8s-app': 'cilium' };
const ciliumAgent = (image = 'quay.io/cilium/cilium:v1.18.2@sha256:abc') =>
  ds('cilium', 'kube-system', ciliumLabels, [{ name: 'cilium-agent', image }], [2, 2]);

// ---------- table ----------

interface Case {
  name: string;
  snapshot: Snapshot;
  opts?: Parameters<typeof detectCni>[1];
  expect: {
    cni: string;
    enforces: boolean | 'unknown';
    version?: string;
    ipBlockMatchesPodIPs?: boolean;
    warning?: RegExp;
    noWarnings?: boolean;
  };
}

const cases: Case[] = [
  {
    name: 'Cilium agent DaemonSet: enforces, ipBlock does not match pod IPs, version from the image tag',
    snapshot: snap({
      daemonSets: [ciliumAgent()],
      configMaps: [
        cm('cilium-config', 'kube-system', { 'enable-policy': 'default', 'enable-hubble': 'true' }),
      ],
    }),
    expect: { cni: 'cilium', enforces: true, version: '1.18.2', ipBlockMatchesPodIPs: false },
  },
  {
    name: 'Cilium with enable-policy=never: not enforced',
    snapshot: snap({
      daemonSets: [ciliumAgent()],
      configMaps: [cm('cilium-config', 'kube-system', { 'enable-policy': 'never' })],
    }),
    expect: { cni: 'cilium', enforces: false, warning: /enable-policy=never/ },
  },
  {
    name: 'Cilium in policy audit mode: not enforced',
    snapshot: snap({
      daemonSets: [ciliumAgent()],
      configMaps: [cm('cilium-config', 'kube-system', { 'policy-audit-mode': 'true' })],
    }),
    expect: { cni: 'cilium', enforces: false, warning: /audit mode/ },
  },
  {
    name: 'GKE Dataplane V2 (anetd) is Cilium semantics',
    snapshot: snap({
      daemonSets: [
        ds('anetd', 'kube-system', ciliumLabels, [
          { name: 'cilium-agent', image: 'gke.gcr.io/cilium/cilium:v1.14.6-gke.1' },
        ]),
      ],
    }),
    expect: { cni: 'gke-dpv2', enforces: true, ipBlockMatchesPodIPs: false },
  },
  {
    name: 'Calico operator install in calico-system',
    snapshot: snap({
      daemonSets: [
        ds(
          'calico-node',
          'calico-system',
          { 'k8s-app': 'calico-node' },
          [{ name: 'calico-node', image: 'docker.io/calico/node:v3.30.0' }],
          [1, 1],
        ),
      ],
      deployments: [
        dep(
          'tigera-operator',
          'tigera-operator',
          { name: 'tigera-operator' },
          'quay.io/tigera/operator:v1.38.0',
        ),
      ],
    }),
    expect: { cni: 'calico', enforces: true, version: '3.30.0', ipBlockMatchesPodIPs: true },
  },
  {
    name: 'Canal (flannel + Calico policy) enforces',
    snapshot: snap({
      daemonSets: [
        ds('canal', 'kube-system', { 'k8s-app': 'canal' }, [
          { name: 'calico-node', image: 'calico/node:v3.29.1' },
        ]),
      ],
    }),
    expect: { cni: 'canal', enforces: true, version: '3.29.1' },
  },
  {
    name: 'flannel alone does not enforce NetworkPolicy',
    snapshot: snap({
      daemonSets: [
        ds('kube-flannel-ds', 'kube-flannel', { app: 'flannel', 'k8s-app': 'flannel' }, [
          { name: 'kube-flannel', image: 'ghcr.io/flannel-io/flannel:v0.26.1' },
        ]),
      ],
    }),
    expect: { cni: 'flannel', enforces: false, warning: /flannel does not enforce NetworkPolicy/ },
  },
  {
    name: 'old flannel manifest in kube-system (kube-flannel-ds-amd64)',
    snapshot: snap({
      daemonSets: [
        ds('kube-flannel-ds-amd64', 'kube-system', { app: 'flannel', tier: 'node' }, [
          { name: 'kube-flannel', image: 'quay.io/coreos/flannel:v0.11.0-amd64' },
        ]),
      ],
    }),
    expect: { cni: 'flannel', enforces: false, warning: /NO effect/ },
  },
  {
    name: 'kindnet from kind v0.23 (v20240513 image) does not enforce',
    snapshot: snap({
      daemonSets: [
        ds('kindnet', 'kube-system', { app: 'kindnet', 'k8s-app': 'kindnet' }, [
          { name: 'kindnet-cni', image: 'docker.io/kindest/kindnetd:v20240513-cd2ac642' },
        ]),
      ],
    }),
    expect: { cni: 'kindnet', enforces: false, warning: /kind older than v0\.24\.0/ },
  },
  {
    name: 'kindnet from kind v0.24 (v20240813 image) enforces',
    snapshot: snap({
      daemonSets: [
        ds('kindnet', 'kube-system', { app: 'kindnet', 'k8s-app': 'kindnet' }, [
          { name: 'kindnet-cni', image: 'docker.io/kindest/kindnetd:v20240813-c6f155d6' },
        ]),
      ],
    }),
    expect: { cni: 'kindnet', enforces: true, noWarnings: true },
  },
  {
    name: 'AWS VPC CNI without the network policy agent container',
    snapshot: snap({
      daemonSets: [
        ds('aws-node', 'kube-system', { 'k8s-app': 'aws-node' }, [
          { name: 'aws-node', image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.13.4' },
        ]),
      ],
    }),
    expect: { cni: 'aws-vpc-cni', enforces: false, warning: /network policy agent/ },
  },
  {
    name: 'AWS VPC CNI with the agent but --enable-network-policy=false (the default)',
    snapshot: snap({
      daemonSets: [
        ds('aws-node', 'kube-system', { 'k8s-app': 'aws-node' }, [
          { name: 'aws-node', image: 'amazon-k8s-cni:v1.18.0' },
          {
            name: 'aws-eks-nodeagent',
            image: 'aws-network-policy-agent:v1.1.0',
            args: ['--enable-network-policy=false'],
          },
        ]),
      ],
    }),
    expect: { cni: 'aws-vpc-cni', enforces: false },
  },
  {
    name: 'AWS VPC CNI with the agent enabled: the LAST --enable-network-policy flag wins',
    snapshot: snap({
      daemonSets: [
        ds('aws-node', 'kube-system', { 'k8s-app': 'aws-node' }, [
          { name: 'aws-node', image: 'amazon-k8s-cni:v1.18.0' },
          {
            name: 'aws-eks-nodeagent',
            image: 'aws-network-policy-agent:v1.1.0',
            args: ['--enable-network-policy=false', '--enable-network-policy=true'],
          },
        ]),
      ],
    }),
    expect: { cni: 'aws-vpc-cni', enforces: true, noWarnings: true },
  },
  {
    name: 'AWS VPC CNI chained with Cilium: Cilium decides',
    snapshot: snap({
      daemonSets: [
        ds('aws-node', 'kube-system', { 'k8s-app': 'aws-node' }, [
          { name: 'aws-node', image: 'amazon-k8s-cni:v1.18.0' },
        ]),
        ciliumAgent(),
      ],
      configMaps: [cm('cilium-config', 'kube-system', { 'cni-chaining-mode': 'aws-cni' })],
    }),
    expect: { cni: 'cilium', enforces: true, ipBlockMatchesPodIPs: false },
  },
  {
    name: 'Azure CNI without NPM does not enforce',
    snapshot: snap({
      daemonSets: [
        ds('azure-cns', 'kube-system', { 'k8s-app': 'azure-cns' }, [
          { name: 'cns-container', image: 'mcr.microsoft.com/containernetworking/azure-cns:v1.6.0' },
        ]),
      ],
    }),
    expect: { cni: 'azure-cni', enforces: false, warning: /Azure CNI without a network policy engine/ },
  },
  {
    name: 'Azure CNI with azure-npm enforces (retirement warning)',
    snapshot: snap({
      daemonSets: [
        ds('azure-cns', 'kube-system', { 'k8s-app': 'azure-cns' }, [{ name: 'cns-container' }]),
        ds('azure-npm', 'kube-system', { 'k8s-app': 'azure-npm' }, [
          { name: 'azure-npm', image: 'mcr.microsoft.com/containernetworking/azure-npm:v1.5.4' },
        ]),
      ],
    }),
    expect: { cni: 'azure-npm', enforces: true, warning: /retired/ },
  },
  {
    name: 'k3s with --disable-network-policy',
    snapshot: snap({
      nodes: [
        node(
          'k3s-1',
          { 'node.kubernetes.io/instance-type': 'k3s' },
          { 'k3s.io/node-args': '["server","--disable-network-policy"]' },
        ),
      ],
    }),
    expect: { cni: 'flannel', enforces: false, warning: /disable-network-policy/ },
  },
  {
    name: 'Weave Net without weave-npc',
    snapshot: snap({
      daemonSets: [
        ds('weave-net', 'kube-system', { name: 'weave-net' }, [
          { name: 'weave', image: 'weaveworks/weave-kube:2.8.1' },
        ]),
      ],
    }),
    expect: { cni: 'weave', enforces: false, warning: /weave-npc/ },
  },
  {
    name: 'no DaemonSets at all (a policies-only file): unknown, no warning',
    snapshot: snap({}),
    expect: { cni: 'unknown', enforces: 'unknown', ipBlockMatchesPodIPs: true, noWarnings: true },
  },
  {
    name: 'system DaemonSets but no known CNI: unknown with a warning',
    snapshot: snap({
      daemonSets: [ds('kube-proxy', 'kube-system', { 'k8s-app': 'kube-proxy' }, [{ name: 'kube-proxy' }])],
    }),
    expect: { cni: 'unknown', enforces: 'unknown', warning: /No known CNI/ },
  },
];

describe('detectCni', () => {
  it.each(cases)('$name', ({ snapshot, opts, expect: e }) => {
    const f = detectCni(snapshot, opts);
    expect(f.name).toBe(e.cni);
    expect(f.enforcesNetworkPolicy).toBe(e.enforces);
    if (e.version) expect(f.version).toBe(e.version);
    if (e.ipBlockMatchesPodIPs !== undefined) expect(f.ipBlockMatchesPodIPs).toBe(e.ipBlockMatchesPodIPs);
    if (e.warning) expect(f.warnings.join('\n')).toMatch(e.warning);
    if (e.noWarnings) expect(f.warnings).toEqual([]);
    expect(f.evidence.length).toBeGreaterThan(0);
  });
});

describe('Cilium details', () => {
  const pods = [
    agentPod('cilium-a', 'kube-system', ciliumLabels, 'node-a', true, 'cilium', 'cilium-agent'),
    agentPod('cilium-b', 'kube-system', ciliumLabels, 'node-b', false, 'cilium', 'cilium-agent'),
  ];
  const base = {
    daemonSets: [ciliumAgent()],
    pods,
    nodes: [node('node-a'), node('node-b'), node('node-c')],
  };

  it('reports agent readiness per node, including a node without an agent pod', () => {
    const f = detectCni(snap(base));
    expect(f.nodes).toEqual([
      { node: 'node-a', pod: 'cilium-a', ready: true },
      { node: 'node-b', pod: 'cilium-b', ready: false, reason: 'pod cilium-b is not Ready' },
      { node: 'node-c', ready: false, reason: 'no cilium agent pod on this node' },
    ]);
    expect(agentHealthForNode(f, 'node-a')?.ready).toBe(true);
    expect(agentHealthForNode(f, 'node-b')?.ready).toBe(false);
    expect(agentHealthForNode(f, 'nowhere')).toBeUndefined();
    expect(f.warnings.join('\n')).toMatch(/not ready on nodes node-b .*node-c/);
  });

  it('reads Hubble, relay and enforcement mode from cilium-config and the relay Deployment', () => {
    const withRelay = detectCni(
      snap({
        ...base,
        deployments: [
          dep(
            'hubble-relay',
            'kube-system',
            { 'k8s-app': 'hubble-relay' },
            'quay.io/cilium/hubble-relay:v1.18.2',
          ),
          dep(
            'cilium-operator',
            'kube-system',
            { 'io.cilium/app': 'operator' },
            'quay.io/cilium/operator-generic:v1.18.2',
          ),
        ],
        configMaps: [
          cm('cilium-config', 'kube-system', {
            'enable-policy': 'always',
            'enable-hubble': 'true',
            'cluster-name': 'demo',
          }),
        ],
      }),
    );
    expect(withRelay.cilium).toMatchObject({
      policyEnforcementMode: 'always',
      hubbleEnabled: true,
      hubbleRelayPresent: true,
    });
    expect(withRelay.cilium?.config['cluster-name']).toBe('demo');
    expect(withRelay.observability.hubble).toBe(true);
    expect(withRelay.components.find((c) => c.name === 'cilium-operator')).toMatchObject({
      present: true,
      ready: 1,
      desired: 1,
    });

    const noHubble = detectCni(
      snap({ ...base, configMaps: [cm('cilium-config', 'kube-system', { 'enable-hubble': 'false' })] }),
    );
    expect(noHubble.cilium?.hubbleEnabled).toBe(false);
    expect(noHubble.observability.hubble).toBe(false);
    expect(noHubble.components.find((c) => c.name === 'hubble-relay')?.present).toBe(false);
  });
});

describe('Calico details', () => {
  const manifest = snap({
    daemonSets: [
      ds('calico-node', 'kube-system', { 'k8s-app': 'calico-node' }, [
        { name: 'calico-node', image: 'calico/node:v3.28.2' },
      ]),
    ],
    deployments: [
      dep(
        'calico-kube-controllers',
        'kube-system',
        { 'k8s-app': 'calico-kube-controllers' },
        'calico/kube-controllers:v3.28.2',
        0,
      ),
    ],
    pods: [agentPod('calico-node-x', 'kube-system', { 'k8s-app': 'calico-node' }, 'n1', true, 'calico-node')],
    nodes: [node('n1')],
  });

  it('tells a manifest install, kube-controllers, typha and per-node readiness', () => {
    const f = detectCni(manifest);
    expect(f.calico).toMatchObject({
      install: 'manifest',
      namespace: 'kube-system',
      kubeControllers: true,
      typha: false,
    });
    expect(f.nodes).toEqual([{ node: 'n1', pod: 'calico-node-x', ready: true }]);
    expect(f.warnings.join('\n')).toMatch(/calico-kube-controllers has no ready replica/);
  });

  it('v3 API served or only CRDs: from discovery, else from the policies apiVersion', () => {
    expect(
      detectCni(manifest, { apiGroupVersions: ['v1', 'crd.projectcalico.org/v1'] }).calico?.v3ApiServed,
    ).toBe(false);
    expect(
      detectCni(manifest, { apiGroupVersions: ['v1', 'crd.projectcalico.org/v1', 'projectcalico.org/v3'] })
        .calico?.v3ApiServed,
    ).toBe(true);
    expect(detectCni(manifest).calico?.v3ApiServed).toBeUndefined();
    const withV3 = snap({
      ...manifest,
      calicoNetworkPolicies: [
        {
          apiVersion: 'projectcalico.org/v3',
          kind: 'NetworkPolicy',
          metadata: { name: 'p', namespace: 'a' },
          spec: {},
        },
      ],
    });
    expect(detectCni(withV3).calico?.v3ApiServed).toBe(true);
  });
});
