/**
 * Compiles every policy family of a snapshot into the common model (model.ts).
 * K8s NetworkPolicy (section 1 of policy-semantics.md), ANP/BANP v1alpha1 and CNP v1alpha2 (section 2).
 */
import type {
  AdminNetworkPolicy,
  AdminNetworkPolicyPeer,
  AdminNetworkPolicyPort,
  AdminNetworkPolicySubject,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ClusterNetworkPolicyProtocol,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from '../k8s/types';
import { parseCidr } from '../snapshot/ip';
import {
  cleanAdminRules,
  cleanNetworkPolicy,
  cleanSubject,
  isObj,
  num,
  str,
  type CleanAdminRule,
} from './sanitize';
import type { Snapshot } from '../snapshot/types';
import type { DirectionIR, NamespaceMatch, PeerIR, PolicyIR, PortIR, RuleIR, SubjectIR } from './model';
import type { Direction, RuleAction } from './types';

type PeerInput =
  | {
      kind: 'pods';
      namespaces: NamespaceMatch;
      pods?: LabelSelector;
      form: Extract<PeerIR, { kind: 'pods' }>['form'];
    }
  | { kind: 'cidr'; cidr: string; except: string[]; source: 'ipBlock' | 'networks' }
  | { kind: 'nodes'; selector: LabelSelector }
  | { kind: 'domains'; names: string[] }
  | { kind: 'invalid'; reason: string };

/** Interns peers so that equal peers share one id (the matrix computes each distinct peer once). */
export class PeerTable {
  readonly peers: PeerIR[] = [];
  private readonly byKey = new Map<string, PeerIR>();

  intern(p: PeerInput): PeerIR {
    const key = JSON.stringify(canonical(p));
    const found = this.byKey.get(key);
    if (found) return found;
    const id = this.peers.length;
    let peer: PeerIR;
    if (p.kind === 'cidr') {
      peer = { ...p, id, parsed: parseCidr(p.cidr), parsedExcept: p.except.map((e) => parseCidr(e)) };
    } else {
      peer = { ...p, id } as PeerIR;
    }
    this.peers.push(peer);
    this.byKey.set(key, peer);
    return peer;
  }
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

function normProtocol(p: unknown): Protocol | undefined {
  if (p === undefined || p === null || p === '') return 'TCP';
  const up = String(p).toUpperCase();
  return (PROTOCOLS as string[]).includes(up) ? (up as Protocol) : undefined;
}

function portText(p: Omit<PortIR, 'text'>): string {
  const proto = p.protocol === 'any' ? 'any protocol' : p.protocol;
  if (p.name !== undefined) return `${p.name}/${proto}`;
  if (p.port === undefined) return p.protocol === 'any' ? 'all ports' : `all ${proto} ports`;
  if (p.endPort !== undefined && p.endPort !== p.port) return `${p.port}-${p.endPort}/${proto}`;
  return `${p.port}/${proto}`;
}

function mkPort(p: Omit<PortIR, 'text'>): PortIR {
  return { ...p, text: portText(p) };
}

// ---------------------------------------------------------------- K8s NetworkPolicy

function npPort(p: NetworkPolicyPort, warnings: string[], where: string): PortIR {
  const protocol = normProtocol(p.protocol);
  if (!protocol) {
    warnings.push(`${where}: unknown protocol ${String(p.protocol)}; the entry matches nothing`);
    return { protocol: 'TCP', port: -1, text: `${String(p.port ?? '')}/${String(p.protocol)} (invalid)` };
  }
  if (p.port === undefined || p.port === null) return mkPort({ protocol });
  if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) {
    if (p.endPort !== undefined)
      warnings.push(`${where}: endPort needs a numeric port; it is ignored for named port ${p.port}`);
    return mkPort({ protocol, name: p.port });
  }
  const port = Number(p.port);
  if (p.endPort !== undefined && p.endPort !== null) {
    if (p.endPort < port) {
      warnings.push(`${where}: endPort ${p.endPort} < port ${port}; only port ${port} is applied`);
      return mkPort({ protocol, port });
    }
    return mkPort({ protocol, port, endPort: p.endPort });
  }
  return mkPort({ protocol, port });
}

function npPeer(peer: NetworkPolicyPeer, ns: string, table: PeerTable): PeerIR {
  if (peer.ipBlock) {
    return table.intern({
      kind: 'cidr',
      cidr: peer.ipBlock.cidr,
      except: peer.ipBlock.except ?? [],
      source: 'ipBlock',
    });
  }
  if (peer.namespaceSelector && peer.podSelector) {
    return table.intern({
      kind: 'pods',
      namespaces: { kind: 'selector', selector: peer.namespaceSelector },
      pods: peer.podSelector,
      form: 'both',
    });
  }
  if (peer.namespaceSelector) {
    return table.intern({
      kind: 'pods',
      namespaces: { kind: 'selector', selector: peer.namespaceSelector },
      form: 'namespaceSelector',
    });
  }
  if (peer.podSelector) {
    return table.intern({
      kind: 'pods',
      namespaces: { kind: 'name', name: ns },
      pods: peer.podSelector,
      form: 'podSelector',
    });
  }
  return table.intern({
    kind: 'invalid',
    reason: 'the peer sets none of podSelector, namespaceSelector, ipBlock',
  });
}

export function compileNetworkPolicy(raw: NetworkPolicy, id: number, table: PeerTable): PolicyIR {
  // the loader keeps invalid objects; whatever cannot be read compiles fail-closed
  const np = cleanNetworkPolicy(raw);
  const ns = np.metadata.namespace ?? 'default';
  const spec = np.spec;
  const warnings: string[] = [];
  // policyTypes defaulting: Ingress always; Egress only when spec.egress is present and non-empty.
  const types = spec.policyTypes && spec.policyTypes.length > 0 ? spec.policyTypes : defaultPolicyTypes(spec);
  const ignoredRules: PolicyIR['ignoredRules'] = {};
  const build = (dir: Direction): DirectionIR | undefined => {
    const written = dir === 'ingress' ? spec.ingress : spec.egress;
    const active = types.includes(dir === 'ingress' ? 'Ingress' : 'Egress');
    if (!active) {
      if (written && written.length > 0) ignoredRules[dir] = written.length;
      return undefined;
    }
    const rules: RuleIR[] = (written ?? []).map((r, index) => {
      const peersIn =
        dir === 'ingress'
          ? (r as { from?: NetworkPolicyPeer[] }).from
          : (r as { to?: NetworkPolicyPeer[] }).to;
      const peers = peersIn && peersIn.length > 0 ? peersIn.map((p) => npPeer(p ?? {}, ns, table)) : null;
      const ports =
        r.ports && r.ports.length > 0
          ? r.ports.map((p, i) => npPort(p ?? {}, warnings, `spec.${dir}[${index}].ports[${i}]`))
          : null;
      return {
        index,
        action: 'Allow' as RuleAction,
        peers,
        ports,
        ...(peers ? { peerOrigin: peers.map((_, i) => i) } : {}),
      };
    });
    return { isolates: true, rules };
  };
  return {
    id,
    ref: { kind: 'NetworkPolicy', namespace: ns, name: np.metadata.name },
    family: 'NetworkPolicy',
    tier: 'networkpolicy',
    mode: 'isolating-union',
    subject: { namespaces: { kind: 'name', name: ns }, pods: spec.podSelector ?? {} },
    ingress: build('ingress'),
    egress: build('egress'),
    ignoredRules,
    source: raw,
    warnings,
  };
}

export function defaultPolicyTypes(spec: NetworkPolicy['spec']): ('Ingress' | 'Egress')[] {
  return spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

// ---------------------------------------------------------------- ANP / BANP / CNP

function anpSubject(s: AdminNetworkPolicySubject | undefined): SubjectIR {
  if (s?.namespaces) return { namespaces: { kind: 'selector', selector: s.namespaces } };
  if (s?.pods)
    return {
      namespaces: { kind: 'selector', selector: s.pods.namespaceSelector ?? {} },
      pods: s.pods.podSelector ?? {},
    };
  // no subject set: the API server rejects it; fail closed by selecting nothing
  return {
    namespaces: {
      kind: 'selector',
      selector: { matchExpressions: [{ key: '\u0000never', operator: 'Exists' }] },
    },
  };
}

function anpPeers(peer: AdminNetworkPolicyPeer, dir: Direction, table: PeerTable): PeerIR[] {
  const out: PeerIR[] = [];
  if (peer.namespaces)
    out.push(
      table.intern({
        kind: 'pods',
        namespaces: { kind: 'selector', selector: peer.namespaces },
        form: 'anp-namespaces',
      }),
    );
  if (peer.pods)
    out.push(
      table.intern({
        kind: 'pods',
        namespaces: { kind: 'selector', selector: peer.pods.namespaceSelector ?? {} },
        pods: peer.pods.podSelector ?? {},
        form: 'anp-pods',
      }),
    );
  if (dir === 'egress' && peer.nodes) out.push(table.intern({ kind: 'nodes', selector: peer.nodes }));
  if (dir === 'egress' && peer.networks) {
    for (const cidr of peer.networks)
      out.push(table.intern({ kind: 'cidr', cidr, except: [], source: 'networks' }));
  }
  if (dir === 'egress' && peer.domainNames && peer.domainNames.length > 0)
    out.push(table.intern({ kind: 'domains', names: peer.domainNames }));
  return out;
}

/** Ports of one ANP rule; undefined entry = invalid (fail closed). */
function anpPorts(ports: AdminNetworkPolicyPort[] | undefined): (PortIR | undefined)[] | null {
  if (!ports || ports.length === 0) return null;
  return ports.map((p) => {
    if (p.portNumber) {
      const protocol = normProtocol(p.portNumber.protocol);
      return protocol ? mkPort({ protocol, port: p.portNumber.port }) : undefined;
    }
    if (p.portRange) {
      const protocol = normProtocol(p.portRange.protocol);
      return protocol ? mkPort({ protocol, port: p.portRange.start, endPort: p.portRange.end }) : undefined;
    }
    if (p.namedPort) return mkPort({ protocol: 'any', name: p.namedPort });
    return undefined;
  });
}

function cnpPorts(protocols: ClusterNetworkPolicyProtocol[] | undefined): (PortIR | undefined)[] | null {
  if (!protocols || protocols.length === 0) return null;
  return protocols.map((p) => {
    if (p.destinationNamedPort) return mkPort({ protocol: 'any', name: p.destinationNamedPort });
    const entries: [
      Protocol,
      { destinationPort?: { number?: number; range?: { start: number; end: number } } } | undefined,
    ][] = [
      ['TCP', p.tcp],
      ['UDP', p.udp],
      ['SCTP', p.sctp],
    ];
    const set = entries.filter(([, v]) => v !== undefined && v !== null);
    if (set.length !== 1) return undefined;
    const [protocol, v] = set[0];
    const dp = v?.destinationPort;
    if (!dp) return mkPort({ protocol });
    if (dp.number !== undefined) return mkPort({ protocol, port: dp.number });
    if (dp.range) return mkPort({ protocol, port: dp.range.start, endPort: dp.range.end });
    return undefined;
  });
}

function adminRule(
  r: CleanAdminRule,
  index: number,
  dir: Direction,
  table: PeerTable,
  ports: (PortIR | undefined)[] | null,
  warnings: string[],
): RuleIR {
  const action: RuleAction = r.action === 'Accept' ? 'Allow' : (r.action as RuleAction);
  const peersIn = dir === 'ingress' ? r.from : r.to;
  const where = `spec.${dir}[${index}]`;
  let failReason: string | undefined;
  const peers: PeerIR[] = [];
  const peerOrigin: number[] = [];
  if (!peersIn || peersIn.length === 0)
    failReason = `${where} has no ${dir === 'ingress' ? 'from' : 'to'} peers`;
  for (const [i, p] of (peersIn ?? []).entries()) {
    const ps = anpPeers(p ?? {}, dir, table);
    if (ps.length === 0) {
      const reason = `${where}.${dir === 'ingress' ? 'from' : 'to'}[${i}] sets no peer field the engine knows`;
      if (action === 'Allow') {
        peers.push(table.intern({ kind: 'invalid', reason }));
        peerOrigin.push(i);
      } else failReason = reason;
    } else {
      peers.push(...ps);
      for (let k = 0; k < ps.length; k++) peerOrigin.push(i);
    }
  }
  const cleanPorts: PortIR[] | null = ports === null ? null : [];
  if (ports) {
    for (const [i, p] of ports.entries()) {
      if (p) cleanPorts!.push(p);
      else if (action !== 'Allow') failReason = `${where} port ${i} cannot be interpreted`;
      else warnings.push(`${where} port ${i} cannot be interpreted; it matches nothing`);
    }
  }
  const knownAction = ['Allow', 'Deny', 'Pass', 'Accept'].includes(r.action);
  if (!knownAction) failReason = `${where} has unknown action ${String(r.action)}`;
  if (failReason) {
    warnings.push(`${failReason}: the rule fails closed`);
    // an Allow rule that cannot be interpreted matches nothing
    if (knownAction && action === 'Allow')
      return { index, name: r.name, action: 'Allow', peers: [], ports: cleanPorts, failClosed: failReason };
    // Deny/Pass (or unknown action) rules that cannot be interpreted act as deny-all
    return { index, name: r.name, action: 'Deny', peers: null, ports: null, failClosed: failReason };
  }
  return { index, name: r.name, action, peers, ports: cleanPorts, peerOrigin };
}

function adminSpec(raw: { metadata?: unknown; spec?: unknown }): {
  name: string;
  spec: Record<string, unknown>;
} {
  const md = isObj(raw.metadata) ? raw.metadata : {};
  return { name: str(md.name) ?? '<unnamed>', spec: isObj(raw.spec) ? raw.spec : {} };
}

function adminDirections(
  spec: Record<string, unknown>,
  table: PeerTable,
  warnings: string[],
  ports: (r: CleanAdminRule) => (PortIR | undefined)[] | null,
  map: (rule: RuleIR, d: Direction, i: number) => RuleIR = (rule) => rule,
): { ingress?: DirectionIR; egress?: DirectionIR } {
  const dir = (d: Direction): DirectionIR | undefined => {
    const rules = cleanAdminRules(d === 'ingress' ? spec.ingress : spec.egress);
    if (!rules || rules.length === 0) return undefined;
    return {
      isolates: false,
      rules: rules.map((r, i) => map(adminRule(r, i, d, table, ports(r), warnings), d, i)),
    };
  };
  return { ingress: dir('ingress'), egress: dir('egress') };
}

export function compileAdminNetworkPolicy(anp: AdminNetworkPolicy, id: number, table: PeerTable): PolicyIR {
  const { name, spec } = adminSpec(anp);
  const warnings: string[] = [];
  return {
    id,
    ref: { kind: 'AdminNetworkPolicy', name },
    family: 'AdminNetworkPolicy',
    tier: 'admin',
    mode: 'first-match',
    priority: num(spec.priority) ?? 0,
    subject: anpSubject(cleanSubject(spec.subject)),
    ...adminDirections(spec, table, warnings, (r) => anpPorts(r.ports)),
    ignoredRules: {},
    source: anp,
    warnings,
  };
}

export function compileBaselineAdminNetworkPolicy(
  banp: BaselineAdminNetworkPolicy,
  id: number,
  table: PeerTable,
): PolicyIR {
  const { name, spec } = adminSpec(banp);
  const warnings: string[] = [];
  if (name !== 'default') warnings.push('a BaselineAdminNetworkPolicy must be named "default" (singleton)');
  const noPass = (rule: RuleIR, d: Direction, i: number): RuleIR => {
    if (rule.action !== 'Pass') return rule;
    warnings.push(`spec.${d}[${i}]: Pass is not a BANP action; the rule fails closed`);
    return { ...rule, action: 'Deny', peers: null, ports: null, failClosed: 'Pass is not a BANP action' };
  };
  return {
    id,
    ref: { kind: 'BaselineAdminNetworkPolicy', name },
    family: 'BaselineAdminNetworkPolicy',
    tier: 'baseline',
    mode: 'first-match',
    subject: anpSubject(cleanSubject(spec.subject)),
    ...adminDirections(spec, table, warnings, (r) => anpPorts(r.ports), noPass),
    ignoredRules: {},
    source: banp,
    warnings,
  };
}

export function compileClusterNetworkPolicy(
  cnp: ClusterNetworkPolicy,
  id: number,
  table: PeerTable,
): PolicyIR {
  const { name, spec } = adminSpec(cnp);
  const warnings: string[] = [];
  return {
    id,
    ref: { kind: 'ClusterNetworkPolicy', name },
    family: 'ClusterNetworkPolicy',
    tier: spec.tier === 'Baseline' ? 'baseline' : 'admin',
    mode: 'first-match',
    priority: num(spec.priority) ?? 0,
    subject: anpSubject(cleanSubject(spec.subject)),
    ...adminDirections(spec, table, warnings, (r) => cnpPorts(r.protocols)),
    ignoredRules: {},
    source: cnp,
    warnings,
  };
}

export interface CompiledPolicies {
  policies: PolicyIR[];
  peers: PeerIR[];
  /** K8s NetworkPolicies by namespace */
  npByNamespace: Map<string, PolicyIR[]>;
  /** admin tier (ANP + CNP Admin), sorted by priority then name */
  admin: PolicyIR[];
  /** baseline tier (CNP Baseline by priority then name, then BANP) */
  baseline: PolicyIR[];
  /** by `policyKey(ref)` */
  byRef: Map<string, PolicyIR>;
}

export function policyKey(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

const byPriorityThenName = (a: PolicyIR, b: PolicyIR): number =>
  (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER) ||
  (a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0) ||
  a.family.localeCompare(b.family);

/** Policies in namespace/name order, so that results read the same whatever order the source listed them in. */
function byNamespaceName<T extends { metadata?: { namespace?: string; name?: string } }>(
  items: T[] | undefined,
): T[] {
  const key = (o: T) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  return [...(items ?? [])].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function compileSnapshot(snapshot: Snapshot): CompiledPolicies {
  const table = new PeerTable();
  const policies: PolicyIR[] = [];
  for (const np of byNamespaceName(snapshot.networkPolicies))
    policies.push(compileNetworkPolicy(np, policies.length, table));
  for (const anp of byNamespaceName(snapshot.adminNetworkPolicies))
    policies.push(compileAdminNetworkPolicy(anp, policies.length, table));
  for (const b of byNamespaceName(snapshot.baselineAdminNetworkPolicies))
    policies.push(compileBaselineAdminNetworkPolicy(b, policies.length, table));
  for (const c of byNamespaceName(snapshot.clusterNetworkPolicies))
    policies.push(compileClusterNetworkPolicy(c, policies.length, table));
  const npByNamespace = new Map<string, PolicyIR[]>();
  const admin: PolicyIR[] = [];
  const baseline: PolicyIR[] = [];
  for (const p of policies) {
    if (p.family === 'NetworkPolicy') {
      const ns = p.ref.namespace ?? 'default';
      const list = npByNamespace.get(ns);
      if (list) list.push(p);
      else npByNamespace.set(ns, [p]);
    } else if (p.tier === 'admin') admin.push(p);
    else baseline.push(p);
  }
  admin.sort(byPriorityThenName);
  baseline.sort(byPriorityThenName);
  const byRef = new Map(policies.map((p) => [policyKey(p.ref), p]));
  return { policies, peers: table.peers, npByNamespace, admin, baseline, byRef };
}
