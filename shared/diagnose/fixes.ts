import { createTwoFilesPatch } from 'diff';
import type { Direction, EndpointInfo } from '../engine/types';
import type { KubeObject, Labels, NetworkPolicy, NetworkPolicyPeer, Protocol } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';
import type { DiagnoseFix } from './types';
import { cleanObject, stableLabels, toYaml } from './objects';

/** Quote a shell word only when it needs it (label values are usually safe). */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function labelCommandFix(
  target: { kind: 'namespace'; name: string } | { kind: 'pod'; name: string; namespace: string },
  key: string,
  value: string,
  currentLabels: Labels,
  description: string,
): DiagnoseFix {
  const overwrite = currentLabels[key] !== undefined && currentLabels[key] !== value ? ' --overwrite' : '';
  const where =
    target.kind === 'pod'
      ? `pod ${shellWord(target.name)} -n ${shellWord(target.namespace)}`
      : `namespace ${shellWord(target.name)}`;
  return {
    id: `label:${target.kind}:${target.kind === 'pod' ? `${target.namespace}/` : ''}${target.name}:${key}`,
    kind: 'command',
    description,
    command: `kubectl label ${where} ${shellWord(`${key}=${value}`)}${overwrite}`,
  };
}

function objectFileName(obj: KubeObject): string {
  return `${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}.yaml`;
}

/** A change to an existing object, shown as a diff of the cleaned YAML before and after. */
export function patchFix(
  id: string,
  description: string,
  before: KubeObject,
  after: KubeObject,
): DiagnoseFix {
  const beforeYaml = toYaml(cleanObject(before));
  const afterYaml = toYaml(cleanObject(after));
  const file = objectFileName(before);
  return {
    id,
    kind: 'patch',
    description,
    yaml: afterYaml,
    command: 'kubectl apply -f fixed.yaml',
    patch: {
      object: { kind: before.kind, namespace: before.metadata.namespace, name: before.metadata.name },
      before: beforeYaml,
      after: afterYaml,
    },
    diff: createTwoFilesPatch(`a/${file}`, `b/${file}`, beforeYaml, afterYaml, 'current', 'fixed', {
      context: 3,
    }),
  };
}

export function newObjectFix(id: string, description: string, obj: KubeObject): DiagnoseFix {
  return {
    id,
    kind: 'new-object',
    description,
    yaml: toYaml(obj),
    command: 'kubectl apply -f new-policy.yaml',
  };
}

/** A policy name that does not collide with an existing NetworkPolicy in the namespace. */
export function freePolicyName(snapshot: Snapshot, namespace: string, base: string): string {
  const taken = new Set(
    snapshot.networkPolicies.filter((p) => p.metadata.namespace === namespace).map((p) => p.metadata.name),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function networkPolicy(namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** The DNS pods of the snapshot (k8s-app=kube-dns, or a coredns pod), if any. */
export function findDnsPods(snapshot: Snapshot): { namespace: string; labels: Labels }[] {
  return snapshot.pods
    .filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns' || /^(core|kube-)dns/.test(p.metadata.name))
    .map((p) => ({ namespace: p.metadata.namespace ?? 'default', labels: p.metadata.labels ?? {} }));
}

/** An egress policy letting the selected pods resolve names (UDP and TCP 53 to the cluster DNS pods). */
export function dnsEgressPolicy(
  snapshot: Snapshot,
  namespace: string,
  podSelectorLabels: Labels | undefined,
): NetworkPolicy {
  const dns = findDnsPods(snapshot)[0];
  const dnsLabels: Labels = dns ? stableLabels(dns.labels) : { 'k8s-app': 'kube-dns' };
  const dnsNs = dns?.namespace ?? 'kube-system';
  return networkPolicy(namespace, freePolicyName(snapshot, namespace, 'allow-dns-egress'), {
    podSelector:
      podSelectorLabels && Object.keys(podSelectorLabels).length ? { matchLabels: podSelectorLabels } : {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dnsNs } },
            podSelector: { matchLabels: dnsLabels },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  });
}

function peerFor(endpoint: EndpointInfo): NetworkPolicyPeer {
  if (endpoint.kind === 'pod' && !endpoint.hostNetwork) {
    return {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': endpoint.namespace } },
      podSelector: { matchLabels: stableLabels(endpoint.labels) },
    };
  }
  const ip = endpoint.kind === 'pod' ? (endpoint.ip ?? '0.0.0.0') : endpoint.ip;
  return { ipBlock: { cidr: ip.includes(':') ? `${ip}/128` : `${ip}/32` } };
}

/**
 * A NetworkPolicy that allows exactly this connection on one side: ingress on the destination pod
 * (from the source) or egress on the source pod (to the destination).
 */
export function allowConnectionPolicy(
  snapshot: Snapshot,
  direction: Direction,
  subject: Extract<EndpointInfo, { kind: 'pod' }>,
  peer: EndpointInfo,
  port: number | string,
  protocol: Protocol,
): NetworkPolicy {
  const peerName =
    peer.kind === 'pod'
      ? peer.name.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '').replace(/-\d+$/, '')
      : 'external';
  const subjectName = subject.name.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '').replace(/-\d+$/, '');
  const base =
    direction === 'ingress' ? `allow-${peerName}-to-${subjectName}` : `allow-${subjectName}-to-${peerName}`;
  const name = freePolicyName(snapshot, subject.namespace, base.slice(0, 63).replace(/-+$/, ''));
  const rulePeers = [peerFor(peer)];
  const ports = [{ protocol, port }];
  return networkPolicy(subject.namespace, name, {
    podSelector: { matchLabels: stableLabels(subject.labels) },
    policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
    ...(direction === 'ingress'
      ? { ingress: [{ from: rulePeers, ports }] }
      : { egress: [{ to: rulePeers, ports }] }),
  });
}

/** Peers of one rule (from/to), typed for both directions. */
export function rulePeers(
  policy: NetworkPolicy,
  direction: Direction,
  index: number,
): NetworkPolicyPeer[] | undefined {
  if (direction === 'ingress') return policy.spec.ingress?.[index]?.from;
  return policy.spec.egress?.[index]?.to;
}

/** Indices of a namespaceSelector-only peer and a podSelector-only peer in the same list (the OR-vs-AND trap). */
export function orPeerPair(
  peers: NetworkPolicyPeer[] | undefined,
): { nsPeer: number; podPeer: number } | undefined {
  if (!peers) return undefined;
  const nsPeer = peers.findIndex((p) => p.namespaceSelector && !p.podSelector && !p.ipBlock);
  const podPeer = peers.findIndex((p) => p.podSelector && !p.namespaceSelector && !p.ipBlock);
  if (nsPeer < 0 || podPeer < 0) return undefined;
  return { nsPeer, podPeer };
}

/** The AND rewrite: merge the two peers into one `{namespaceSelector, podSelector}` peer. */
export function andPeerRewrite(
  policy: NetworkPolicy,
  direction: Direction,
  index: number,
): NetworkPolicy | undefined {
  const peers = rulePeers(policy, direction, index);
  const pair = orPeerPair(peers);
  if (!peers || !pair) return undefined;
  const after = structuredClone(policy);
  const list = rulePeers(after, direction, index)!;
  const merged: NetworkPolicyPeer = {
    namespaceSelector: structuredClone(peers[pair.nsPeer].namespaceSelector),
    podSelector: structuredClone(peers[pair.podPeer].podSelector),
  };
  const keep = list.filter((_, i) => i !== pair.nsPeer && i !== pair.podPeer);
  const first = Math.min(pair.nsPeer, pair.podPeer);
  keep.splice(first, 0, merged);
  list.splice(0, list.length, ...keep);
  return after;
}
