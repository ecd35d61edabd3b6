import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod, Protocol } from '../../k8s/types';
import { matchesSelector } from '../../engine/selector';
import { cidrContainsIp, parseCidr, parseIp } from '../../snapshot/ip';
import type { LintContext } from '../context';
import { namespacesMatching } from '../context';

/** Structural NetworkPolicy helpers the lint rules share (policy-semantics.md §1). */

export type NpRule = { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] };

export function policyTypes(np: NetworkPolicy): ('Ingress' | 'Egress')[] {
  const explicit = np.spec?.policyTypes;
  if (explicit && explicit.length) return explicit;
  return (np.spec?.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function isolates(np: NetworkPolicy, dir: 'ingress' | 'egress'): boolean {
  return policyTypes(np).includes(dir === 'ingress' ? 'Ingress' : 'Egress');
}

export function rulesOf(np: NetworkPolicy, dir: 'ingress' | 'egress'): NpRule[] {
  return ((np.spec?.[dir] ?? []) as (NpRule | null)[]).map((r) => r ?? {});
}

export function peersOf(rule: NpRule, dir: 'ingress' | 'egress'): NetworkPolicyPeer[] {
  return ((dir === 'ingress' ? rule.from : rule.to) ?? []).filter((p): p is NetworkPolicyPeer => !!p);
}

export function podIpList(p: Pod): string[] {
  const ips = new Set<string>();
  if (p.status?.podIP) ips.add(p.status.podIP);
  for (const e of p.status?.podIPs ?? []) if (e?.ip) ips.add(e.ip);
  return [...ips];
}

export function ipInBlock(ip: string, block: { cidr: string; except?: string[] }): boolean {
  const addr = parseIp(ip);
  const cidr = parseCidr(block.cidr);
  if (!addr || !cidr || !cidrContainsIp(cidr, addr)) return false;
  for (const e of block.except ?? []) {
    const ex = parseCidr(e);
    if (ex && cidrContainsIp(ex, addr)) return false;
  }
  return true;
}

/** Does a peer match this pod (the peer pod lives in `pod.metadata.namespace`)? */
export function peerMatchesPod(
  ctx: LintContext,
  policyNs: string,
  peer: NetworkPolicyPeer,
  pod: Pod,
): boolean {
  if (pod.spec?.hostNetwork) return false;
  if (peer.ipBlock)
    return ctx.ipBlockMatchesPodIPs && podIpList(pod).some((ip) => ipInBlock(ip, peer.ipBlock!));
  const ns = pod.metadata.namespace ?? 'default';
  if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, ctx.nsLabels.get(ns) ?? {})) return false;
  } else if (ns !== policyNs) return false;
  return !peer.podSelector || matchesSelector(peer.podSelector, pod.metadata.labels);
}

export function containerPorts(pod: Pod): { name?: string; containerPort: number; protocol: Protocol }[] {
  const out: { name?: string; containerPort: number; protocol: Protocol }[] = [];
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])])
    for (const p of c?.ports ?? [])
      if (p) out.push({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' });
  return out;
}

/** Does a NetworkPolicy port entry allow `protocol/port` on destination pod `dst` (named ports resolve on it)? */
export function portEntryAllows(
  entry: NetworkPolicyPort | null,
  protocol: Protocol,
  port: number,
  dst: Pod | undefined,
): boolean {
  const e = entry ?? {};
  if ((e.protocol ?? 'TCP') !== protocol) return false;
  if (e.port === undefined || e.port === null) return true;
  if (typeof e.port === 'string')
    return (
      !!dst &&
      containerPorts(dst).some(
        (cp) => cp.name === e.port && cp.protocol === protocol && cp.containerPort === port,
      )
    );
  const end = e.endPort ?? e.port;
  return port >= e.port && port <= end;
}

export function ruleAllows(
  ctx: LintContext,
  np: NetworkPolicy,
  rule: NpRule,
  dir: 'ingress' | 'egress',
  peer: Pod,
  protocol: Protocol,
  port: number,
  dst: Pod,
): boolean {
  const ns = np.metadata.namespace ?? 'default';
  const peers = peersOf(rule, dir);
  if (peers.length && !peers.some((p) => peerMatchesPod(ctx, ns, p, peer))) return false;
  const ports = rule.ports ?? [];
  return !ports.length || ports.some((e) => portEntryAllows(e, protocol, port, dst));
}

export function podsInNamespaces(ctx: LintContext, sel: Parameters<typeof namespacesMatching>[1]): Pod[] {
  return namespacesMatching(ctx, sel).flatMap((n) => ctx.podsByNs.get(n) ?? []);
}
