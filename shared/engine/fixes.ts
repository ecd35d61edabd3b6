/**
 * Concrete fixes: kubectl commands and before/after YAML of the object to change.
 */
import { stringify } from 'yaml';
import type { Labels, NetworkPolicy, Protocol } from '../k8s/types';
import type { Endpoint } from './cluster';
import { NS_NAME_LABEL } from './cluster';
import type { PolicyIR } from './model';
import type { Direction, Fix } from './types';

/** The object as a user would write it (no status, no server-managed metadata). */
export function cleanObject(obj: unknown): Record<string, unknown> {
  const o = structuredCloneSafe(obj) as Record<string, unknown>;
  const md = (o.metadata ?? {}) as Record<string, unknown>;
  const keep: Record<string, unknown> = { name: md.name };
  if (md.namespace !== undefined) keep.namespace = md.namespace;
  if (md.labels !== undefined) keep.labels = md.labels;
  if (md.annotations !== undefined) {
    const ann = { ...(md.annotations as Record<string, string>) };
    delete ann['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(ann).length) keep.annotations = ann;
  }
  const out: Record<string, unknown> = { apiVersion: o.apiVersion, kind: o.kind, metadata: keep };
  if (o.spec !== undefined) out.spec = o.spec;
  return out;
}

function structuredCloneSafe(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

export function toYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0 });
}

/** A patch fix: `mutate` edits a clean copy of the policy's object. */
export function policyPatch(
  p: PolicyIR,
  description: string,
  mutate: (obj: Record<string, unknown>) => void,
  command?: string,
): Fix {
  const before = cleanObject(p.source);
  const after = cleanObject(p.source);
  mutate(after);
  return {
    description,
    ...(command ? { command } : {}),
    patch: {
      object: {
        kind: p.ref.kind,
        ...(p.ref.namespace ? { namespace: p.ref.namespace } : {}),
        name: p.ref.name,
      },
      before: toYaml(before),
      after: toYaml(after),
    },
  };
}

const VOLATILE_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'pod-template-generation',
]);
const IDENTITY_LABELS = [
  'app.kubernetes.io/name',
  'app',
  'k8s-app',
  'name',
  'component',
  'app.kubernetes.io/component',
];

/** Labels that identify a pod's workload (for selectors in a suggested policy). */
export function workloadLabels(labels: Labels): Labels {
  for (const k of IDENTITY_LABELS) if (labels[k] !== undefined) return { [k]: labels[k] };
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) if (!VOLATILE_LABELS.has(k)) out[k] = v;
  return out;
}

function dnsName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

function peerFor(ep: Endpoint): Record<string, unknown> {
  if (ep.kind === 'pod' && ep.selectable) {
    const pl = workloadLabels(ep.labels);
    return {
      namespaceSelector: { matchLabels: { [NS_NAME_LABEL]: ep.namespace } },
      podSelector: Object.keys(pl).length ? { matchLabels: pl } : {},
    };
  }
  const ip = ep.ipText ?? '0.0.0.0';
  return { ipBlock: { cidr: ip.includes(':') ? `${ip}/128` : `${ip}/32` } };
}

/** A new NetworkPolicy that admits exactly this flow on the denied side. */
export function allowFlowPolicy(
  dir: Direction,
  subject: Endpoint,
  peer: Endpoint,
  protocol: Protocol,
  port: number,
  portName: string | undefined,
  ipBlockMatchesPodIPs: boolean,
): Fix {
  const sl = workloadLabels(subject.labels);
  const peerName =
    peer.kind === 'pod' ? (Object.values(workloadLabels(peer.labels))[0] ?? peer.name ?? 'peer') : 'external';
  const subjName = Object.values(sl)[0] ?? subject.name ?? 'pod';
  const isDns =
    dir === 'egress' &&
    port === 53 &&
    peer.kind === 'pod' &&
    (peer.labels['k8s-app'] === 'kube-dns' || peer.labels['k8s-app'] === 'coredns');
  let np: NetworkPolicy;
  if (isDns) {
    np = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-dns-egress', namespace: subject.namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NS_NAME_LABEL]: peer.namespace! } },
                podSelector: { matchLabels: { 'k8s-app': peer.labels['k8s-app'] } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    };
    return {
      description: `Allow DNS: add a NetworkPolicy in namespace ${subject.namespace} that lets its pods reach ${peer.namespace}/${peer.labels['k8s-app']} on 53/UDP and 53/TCP.`,
      yaml: toYaml(np),
      command: `kubectl apply -f allow-dns-egress.yaml`,
    };
  }
  const name = dnsName(
    dir === 'ingress' ? `allow-${peerName}-to-${subjName}` : `allow-${subjName}-to-${peerName}`,
  );
  const rulePort = { protocol, port: portName ?? port };
  const peerSpec = peerFor(peer);
  np = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: subject.namespace },
    spec:
      dir === 'ingress'
        ? {
            podSelector: { matchLabels: sl },
            policyTypes: ['Ingress'],
            ingress: [{ from: [peerSpec], ports: [rulePort] }],
          }
        : {
            podSelector: { matchLabels: sl },
            policyTypes: ['Egress'],
            egress: [{ to: [peerSpec], ports: [rulePort] }],
          },
  };
  const what = peer.kind === 'pod' ? `${peer.key}'s workload` : (peer.ipText ?? 'the peer');
  const caveat =
    !ipBlockMatchesPodIPs && (peer.isNodeAddress || peer.kind === 'pod') && !peer.selectable
      ? ` Note: under this CNI an ipBlock does not match node addresses; with Cilium use a CiliumNetworkPolicy with ${dir === 'ingress' ? 'fromEntities' : 'toEntities'}: [remote-node] (or host) instead.`
      : '';
  return {
    description: `Add a NetworkPolicy in namespace ${subject.namespace} that allows ${dir} ${dir === 'ingress' ? 'from' : 'to'} ${what} on ${portName ?? port}/${protocol}.${caveat}`,
    yaml: toYaml(np),
    command: `kubectl apply -f ${name}.yaml`,
  };
}
