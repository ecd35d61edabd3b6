import { matchesSelector, isEmptySelector } from '../engine/selector';
import type { Direction, EndpointInfo, PolicyRef } from '../engine/types';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod, Protocol } from '../k8s/types';
import { cidrContainsIp, parseCidr, parseIp } from '../snapshot/ip';
import type { Snapshot } from '../snapshot/types';
import { compareSelector } from './compare';
import { looksLikeTypo, namespaceLabels } from './objects';
import type { LabelComparison } from './types';

/**
 * A detailed, evidence-oriented reading of the Kubernetes NetworkPolicies around one side of a
 * connection. The engine decides the verdict; this analysis explains it key by key and finds the
 * classic mistakes (typos, the `name:` namespace label, OR-vs-AND peers, named ports, ipBlock over pods).
 */

export type PodEndpoint = Extract<EndpointInfo, { kind: 'pod' }>;

export interface SideContext {
  snapshot: Snapshot;
  direction: Direction;
  /** the pod the policies select (source for egress, destination for ingress) */
  subject: PodEndpoint;
  peer: EndpointInfo;
  /** the destination pod object (for named ports) */
  destinationPod?: Pod;
  port: number;
  protocol: Protocol;
  ipBlockMatchesPodIPs: boolean;
}

export type PeerFailure =
  | 'pod-labels'
  | 'namespace-labels'
  | 'other-namespace'
  | 'pod-and-namespace'
  | 'ipblock'
  | 'ipblock-skips-pods'
  | 'not-a-pod';

export interface PeerAnalysis {
  index: number;
  peer: NetworkPolicyPeer;
  namespace?: LabelComparison;
  /** podSelector without namespaceSelector: the peer must be in the policy's namespace */
  policyNamespace?: { expected: string; actual?: string; matched: boolean };
  pod?: LabelComparison;
  ipBlock?: { cidr: string; except: string[]; containsPeerIp: boolean };
  matched: boolean;
  failure?: PeerFailure;
}

export interface PortAnalysis {
  matched: boolean;
  /** a named port the destination pod does not expose */
  missingNamedPort?: string;
}

export interface RuleAnalysis {
  index: number;
  anyPeer: boolean;
  ports: PortAnalysis;
  peers: PeerAnalysis[];
  matched: boolean;
}

export interface NpAnalysis {
  ref: PolicyRef;
  policy: NetworkPolicy;
  subject: LabelComparison;
  inSubjectNamespace: boolean;
  selectsSubject: boolean;
  /** policyTypes (explicit or defaulted) includes this direction */
  appliesToDirection: boolean;
  /** rules for this direction exist but policyTypes leaves the direction out */
  rulesIgnoredByPolicyTypes: boolean;
  /** the podSelector matches no pod with an IP in the policy's namespace */
  selectsNoPod: boolean;
  /** podSelector differs from the subject only by typo-like values */
  nearSelectsSubject: boolean;
  rules: RuleAnalysis[];
}

export function effectivePolicyTypes(p: NetworkPolicy): Set<'Ingress' | 'Egress'> {
  if (p.spec.policyTypes && p.spec.policyTypes.length) return new Set(p.spec.policyTypes);
  const s = new Set<'Ingress' | 'Egress'>(['Ingress']);
  if (p.spec.egress && p.spec.egress.length) s.add('Egress');
  return s;
}

function rulesOf(
  p: NetworkPolicy,
  direction: Direction,
): { peers?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[] {
  return direction === 'ingress'
    ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
    : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
}

function endpointIp(e: EndpointInfo): string | undefined {
  return e.kind === 'pod' ? e.ip : e.ip;
}

function analyzePorts(ports: NetworkPolicyPort[] | undefined, ctx: SideContext): PortAnalysis {
  if (!ports || ports.length === 0) return { matched: true };
  let missingNamedPort: string | undefined;
  for (const p of ports) {
    const proto = p.protocol ?? 'TCP';
    if (proto !== ctx.protocol) continue;
    if (p.port === undefined) return { matched: true };
    if (typeof p.port === 'number') {
      if (ctx.port === p.port || (p.endPort !== undefined && ctx.port >= p.port && ctx.port <= p.endPort))
        return { matched: true };
      continue;
    }
    const named = (ctx.destinationPod?.spec.containers ?? [])
      .flatMap((c) => c.ports ?? [])
      .find((cp) => cp.name === p.port && (cp.protocol ?? 'TCP') === proto);
    if (named) {
      if (named.containerPort === ctx.port) return { matched: true };
    } else missingNamedPort = p.port;
  }
  return { matched: false, missingNamedPort };
}

function analyzePeer(
  peer: NetworkPolicyPeer,
  index: number,
  policy: NetworkPolicy,
  ctx: SideContext,
): PeerAnalysis {
  const other = ctx.peer;
  const ip = endpointIp(other);
  if (peer.ipBlock) {
    const cidr = parseCidr(peer.ipBlock.cidr);
    const pip = ip ? parseIp(ip) : undefined;
    const inCidr = !!cidr && !!pip && cidr.family === pip.family && cidrContainsIp(cidr, pip);
    const except = peer.ipBlock.except ?? [];
    const excluded = except.some((e) => {
      const c = parseCidr(e);
      return !!c && !!pip && c.family === pip.family && cidrContainsIp(c, pip);
    });
    const containsPeerIp = inCidr && !excluded;
    const isManagedPod = other.kind === 'pod' && !other.hostNetwork;
    const matched = containsPeerIp && (!isManagedPod || ctx.ipBlockMatchesPodIPs);
    return {
      index,
      peer,
      ipBlock: { cidr: peer.ipBlock.cidr, except, containsPeerIp },
      matched,
      failure: matched ? undefined : containsPeerIp ? 'ipblock-skips-pods' : 'ipblock',
    };
  }
  if (other.kind !== 'pod' || other.hostNetwork) {
    return { index, peer, matched: false, failure: 'not-a-pod' };
  }
  const policyNs = policy.metadata.namespace ?? 'default';
  const result: PeerAnalysis = { index, peer, matched: false };
  let nsOk = true;
  let podOk = true;
  if (peer.namespaceSelector) {
    result.namespace = compareSelector(
      peer.namespaceSelector,
      namespaceLabels(ctx.snapshot, other.namespace),
      'namespace',
      other.namespace,
    );
    nsOk = result.namespace.matched;
  } else {
    const same = other.namespace === policyNs;
    result.policyNamespace = { expected: policyNs, actual: other.namespace, matched: same };
    nsOk = same;
  }
  if (peer.podSelector) {
    result.pod = compareSelector(peer.podSelector, other.labels, 'pod', `${other.namespace}/${other.name}`);
    podOk = result.pod.matched;
  }
  result.matched = nsOk && podOk;
  if (!result.matched) {
    if (!nsOk && !podOk) result.failure = 'pod-and-namespace';
    else if (!podOk) result.failure = 'pod-labels';
    else result.failure = peer.namespaceSelector ? 'namespace-labels' : 'other-namespace';
  }
  return result;
}

function analyzePolicy(policy: NetworkPolicy, ctx: SideContext): NpAnalysis {
  const ns = policy.metadata.namespace ?? 'default';
  const subject = compareSelector(
    policy.spec.podSelector ?? {},
    ctx.subject.labels,
    'pod',
    `${ctx.subject.namespace}/${ctx.subject.name}`,
  );
  const inSubjectNamespace = ns === ctx.subject.namespace;
  const types = effectivePolicyTypes(policy);
  const dirType = ctx.direction === 'ingress' ? 'Ingress' : 'Egress';
  const appliesToDirection = types.has(dirType);
  const rawRules = rulesOf(policy, ctx.direction);
  const selectsNoPod =
    !isEmptySelector(policy.spec.podSelector) &&
    !ctx.snapshot.pods.some(
      (p) =>
        (p.metadata.namespace ?? 'default') === ns &&
        p.status?.podIP &&
        !p.spec.hostNetwork &&
        matchesSelector(policy.spec.podSelector, p.metadata.labels),
    );
  const nearSelectsSubject =
    !subject.matched &&
    subject.differences.length > 0 &&
    subject.differences.every(
      (d) => d.expected !== undefined && d.actual !== undefined && looksLikeTypo(d.expected, d.actual),
    );
  const rules: RuleAnalysis[] = rawRules.map((r, index) => {
    const ports = analyzePorts(r.ports, ctx);
    const anyPeer = !r.peers || r.peers.length === 0;
    const peers = (r.peers ?? []).map((p, i) => analyzePeer(p, i, policy, ctx));
    return {
      index,
      anyPeer,
      ports,
      peers,
      matched: ports.matched && (anyPeer || peers.some((p) => p.matched)),
    };
  });
  return {
    ref: { kind: 'NetworkPolicy', namespace: ns, name: policy.metadata.name },
    policy,
    subject,
    inSubjectNamespace,
    selectsSubject: inSubjectNamespace && subject.matched,
    appliesToDirection,
    rulesIgnoredByPolicyTypes: !appliesToDirection && rawRules.length > 0,
    selectsNoPod,
    nearSelectsSubject,
    rules,
  };
}

/**
 * The NetworkPolicies relevant to one side: those selecting the subject, those in its namespace that
 * nearly select it (typo, or selecting no pod at all), and those in other namespaces whose
 * podSelector would select it (a policy applied to the wrong namespace).
 */
export function analyzeSide(ctx: SideContext): NpAnalysis[] {
  const out: NpAnalysis[] = [];
  for (const policy of ctx.snapshot.networkPolicies) {
    const ns = policy.metadata.namespace ?? 'default';
    if (ns === ctx.subject.namespace) {
      const a = analyzePolicy(policy, ctx);
      const relevantForDirection = a.appliesToDirection || a.rulesIgnoredByPolicyTypes;
      if (!relevantForDirection) continue;
      if (a.selectsSubject || a.nearSelectsSubject || (a.selectsNoPod && a.rules.length > 0)) out.push(a);
    } else if (
      !isEmptySelector(policy.spec.podSelector) &&
      matchesSelector(policy.spec.podSelector, ctx.subject.labels)
    ) {
      const a = analyzePolicy(policy, ctx);
      if (a.appliesToDirection && a.rules.length > 0) out.push(a);
    }
  }
  return out;
}
