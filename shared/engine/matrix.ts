/**
 * Whole-cluster connectivity on equivalence classes of pods.
 *
 * Two pods are in one class when every fact the evaluation can look at is equal: namespace (and so its
 * labels), pod labels, host networking, the node (only where the own-node exemption can apply), which
 * CIDR peers contain the pod IP (only CIDR peers that can see pods), the destination port a named query
 * port resolves to, and which named rule ports match. Each class is evaluated once, with bitsets over
 * classes: for a subject class and a direction, the set of peer classes allowed.
 */
import type { LabelSelector, Protocol } from '../k8s/types';
import type { ClusterIndex, Endpoint } from './cluster';
import type { CompiledPolicies } from './compile';
import {
  cidrPeerSees,
  namespaceMatches,
  peerMatches,
  portMatches,
  subjectSelects,
  type Flow,
  type MatchOptions,
} from './match';
import type { PeerIR, PolicyIR, PortIR, RuleIR } from './model';
import { matchesSelector } from './selector';
import type { Direction, MatrixResult } from './types';

type Bits = Uint32Array;

class BitMatrix {
  readonly words: number;
  readonly data: Uint32Array;
  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    this.words = (cols + 31) >>> 5;
    this.data = new Uint32Array(rows * this.words);
  }
  row(r: number): Bits {
    return this.data.subarray(r * this.words, (r + 1) * this.words);
  }
  get(r: number, c: number): boolean {
    return ((this.data[r * this.words + (c >>> 5)] >>> (c & 31)) & 1) === 1;
  }
}

function fullMask(n: number): Bits {
  const m = new Uint32Array((n + 31) >>> 5).fill(0xffffffff);
  if (n & 31) m[m.length - 1] = ((1 << (n & 31)) >>> 0) - 1;
  return m;
}

function setBit(m: Bits, i: number): void {
  m[i >>> 5] |= 1 << (i & 31);
}

/** Fast IPv4 CIDR test (falls back to the shared bigint path for IPv6). */
function v4Parts(ep: Endpoint): number | undefined {
  return ep.ip && ep.ip.family === 4 ? Number(ep.ip.value) : undefined;
}

interface Cls {
  rep: Endpoint;
  flow: Flow;
}

export function computeMatrix(
  index: ClusterIndex,
  compiled: CompiledPolicies,
  opts: MatchOptions,
  port: number | string,
  protocol: Protocol,
): MatrixResult {
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const pods = index.endpointPods;
  const eps = pods.map((p) => index.podEndpoint(p));
  const n = eps.length;

  // ---------------------------------------------------------------- class keys
  const cidrPeers = compiled.peers.filter(
    (p): p is Extract<PeerIR, { kind: 'cidr' }> =>
      p.kind === 'cidr' && !!p.parsed && (p.source === 'networks' || opts.ipBlockMatchesPodIPs),
  );
  const nodePeers = compiled.peers.filter((p): p is Extract<PeerIR, { kind: 'nodes' }> => p.kind === 'nodes');
  const namedRulePorts = new Map<string, PortIR>();
  for (const pol of compiled.policies)
    for (const d of [pol.ingress, pol.egress])
      for (const r of d?.rules ?? [])
        for (const pt of r.ports ?? [])
          if (pt.name !== undefined) namedRulePorts.set(`${pt.name}/${pt.protocol}`, pt);
  const namedList = [...namedRulePorts.values()];
  const hostNodes = new Set<string>();
  for (const ep of eps) if (ep.hostNetwork && ep.node) hostNodes.add(ep.node);

  // CIDR membership, IPv4 fast path
  const cidrV4 = cidrPeers.map((c) => {
    if (c.parsed!.family !== 4) return undefined;
    const mask = c.parsed!.prefix === 0 ? 0 : (0xffffffff << (32 - c.parsed!.prefix)) >>> 0;
    const ex = c.parsedExcept.map((e) =>
      e && e.family === 4
        ? { base: Number(e.base) >>> 0, mask: e.prefix === 0 ? 0 : (0xffffffff << (32 - e.prefix)) >>> 0 }
        : undefined,
    );
    return { base: Number(c.parsed!.base) >>> 0, mask, ex };
  });
  const cidrBit = (ci: number, ep: Endpoint): boolean => {
    const c = cidrPeers[ci];
    if (!cidrPeerSees(c, ep, opts)) return false;
    const v4 = v4Parts(ep);
    const f = cidrV4[ci];
    if (v4 !== undefined && f) {
      if ((v4 & f.mask) >>> 0 !== f.base) return false;
      for (const e of f.ex) if (e && (v4 & e.mask) >>> 0 === e.base) return false;
      return c.parsedExcept.every((e) => !e || e.family === 4);
    }
    return peerMatches(c, ep, opts);
  };

  // only label keys some selector looks at can tell pods apart (e.g. statefulset pod-name labels cannot)
  const relevantKeys = new Set<string>();
  const addSel = (sel: LabelSelector | undefined) => {
    for (const k of Object.keys(sel?.matchLabels ?? {})) relevantKeys.add(k);
    for (const e of sel?.matchExpressions ?? []) relevantKeys.add(e.key);
  };
  for (const pol of compiled.policies) addSel(pol.subject.pods);
  for (const peer of compiled.peers) if (peer.kind === 'pods') addSel(peer.pods);
  const keyList = [...relevantKeys].sort();
  const labelKey = (labels: Record<string, string>): string => {
    let out = '';
    for (const k of keyList) {
      const v = labels[k];
      out += v === undefined ? '\u0003' : `${v}\u0002`;
    }
    return out;
  };

  const classByKey = new Map<string, number>();
  const classes: Cls[] = [];
  const classOf = new Int32Array(n);
  let namedResolved: number | undefined;
  for (let i = 0; i < n; i++) {
    const ep = eps[i];
    let flow: Flow;
    if (typeof port === 'number') flow = { protocol, port };
    else {
      const np = ep.namedPorts.find((p) => p.name === port && p.protocol === protocol);
      flow = { protocol, port: np ? np.port : null, portName: port };
      if (np && namedResolved === undefined) namedResolved = np.port;
    }
    let key = ep.selectable
      ? `P\u0001${ep.namespace}\u0001${labelKey(ep.labels)}`
      : `H\u0001${ep.node ?? ''}`;
    if (ep.node && (ep.hostNetwork || hostNodes.has(ep.node))) key += `\u0001n=${ep.node}`;
    key += `\u0001p=${flow.port ?? '-'}\u0001`;
    for (const np of namedList) key += portMatches(np, flow, ep) ? '1' : '0';
    key += '\u0001';
    for (let ci = 0; ci < cidrPeers.length; ci++) key += cidrBit(ci, ep) ? '1' : '0';
    if (ep.isNodeAddress) {
      key += '\u0001';
      for (const np of nodePeers) key += peerMatches(np, ep, opts) ? '1' : '0';
    }
    let c = classByKey.get(key);
    if (c === undefined) {
      c = classes.length;
      classByKey.set(key, c);
      classes.push({ rep: ep, flow });
    }
    classOf[i] = c;
  }
  const C = classes.length;
  const ALL = fullMask(C);
  const W = ALL.length;

  // ---------------------------------------------------------------- peer masks
  const classesByNs = new Map<string, number[]>();
  const nonSelectable: number[] = [];
  for (let c = 0; c < C; c++) {
    const rep = classes[c].rep;
    if (!rep.selectable) nonSelectable.push(c);
    else {
      const l = classesByNs.get(rep.namespace!);
      if (l) l.push(c);
      else classesByNs.set(rep.namespace!, [c]);
    }
  }
  const peerMaskCache = new Map<number, Bits>();
  const peerMask = (p: PeerIR): Bits => {
    let m = peerMaskCache.get(p.id);
    if (m) return m;
    m = new Uint32Array(W);
    if (p.kind === 'pods') {
      for (const [ns, cs] of classesByNs) {
        if (!namespaceMatches(p.namespaces, ns, index.nsLabels(ns))) continue;
        for (const c of cs) if (!p.pods || matchesSelector(p.pods, classes[c].rep.labels)) setBit(m, c);
      }
    } else if (p.kind === 'cidr' || p.kind === 'nodes') {
      for (let c = 0; c < C; c++) if (peerMatches(p, classes[c].rep, opts)) setBit(m, c);
    }
    peerMaskCache.set(p.id, m);
    return m;
  };
  const rulePeerCache = new Map<RuleIR, Bits>();
  const rulePeers = (r: RuleIR): Bits => {
    let m = rulePeerCache.get(r);
    if (m) return m;
    if (r.peers === null) m = ALL;
    else {
      m = new Uint32Array(W);
      for (const p of r.peers) {
        const pm = peerMask(p);
        for (let w = 0; w < W; w++) m[w] |= pm[w];
      }
    }
    rulePeerCache.set(r, m);
    return m;
  };
  // ports: does rule r admit the flow when the destination is class c
  const portsOk = (r: RuleIR, c: number): boolean => {
    const { rep, flow } = classes[c];
    if (flow.port === null) return false;
    if (r.ports === null) return true;
    for (const p of r.ports) if (portMatches(p, flow, rep)) return true;
    return false;
  };
  const portMaskCache = new Map<string, Bits>();
  const portMaskOf = (r: RuleIR): Bits => {
    const key = r.ports === null ? '*' : r.ports.map((p) => `${p.text}|${p.protocol}`).join(',');
    let m = portMaskCache.get(key);
    if (m) return m;
    m = new Uint32Array(W);
    for (let c = 0; c < C; c++) if (portsOk(r, c)) setBit(m, c);
    portMaskCache.set(key, m);
    return m;
  };
  const egressRuleCache = new Map<RuleIR, Bits>();
  /** mask of peer classes rule r matches for subject class s */
  const ruleMask = (r: RuleIR, dir: Direction, s: number): Bits | null => {
    if (dir === 'ingress') return portsOk(r, s) ? rulePeers(r) : null;
    let m = egressRuleCache.get(r);
    if (!m) {
      const pm = rulePeers(r);
      const om = portMaskOf(r);
      m = new Uint32Array(W);
      for (let w = 0; w < W; w++) m[w] = pm[w] & om[w];
      egressRuleCache.set(r, m);
    }
    return m;
  };

  // own node: node-address classes per node
  const hostByNode = new Map<string, Bits>();
  for (const c of nonSelectable) {
    const node = classes[c].rep.node;
    if (!node || !classes[c].rep.isNodeAddress) continue;
    let m = hostByNode.get(node);
    if (!m) hostByNode.set(node, (m = new Uint32Array(W)));
    setBit(m, c);
  }

  // ---------------------------------------------------------------- per subject class, per direction
  const result: Record<Direction, BitMatrix> = { egress: new BitMatrix(C, C), ingress: new BitMatrix(C, C) };
  const undecided = new Uint32Array(W);
  const passed = new Uint32Array(W);
  const firstMatch = (list: PolicyIR[], dir: Direction, s: number, allowed: Bits, passTo: Bits | null) => {
    for (const p of list) {
      for (const r of p[dir]!.rules) {
        const m = ruleMask(r, dir, s);
        if (!m) continue;
        for (let w = 0; w < W; w++) {
          const hit = m[w] & undecided[w];
          if (!hit) continue;
          if (r.action === 'Allow') allowed[w] |= hit;
          else if (r.action === 'Pass' && passTo) passTo[w] |= hit;
          else if (r.action === 'Pass') allowed[w] |= hit; // baseline Pass → default allow
          undecided[w] &= ~hit;
        }
      }
    }
  };
  const computeRow = (dir: Direction, s: number, allowed: Bits, selfPair: boolean): void => {
    const rep = classes[s].rep;
    if (!rep.selectable) {
      allowed.set(ALL);
      return;
    }
    // hairpin: ClusterNetworkPolicies do not apply to a pod's traffic to its own pod IP
    const inScope = (p: PolicyIR) => !(selfPair && p.family === 'ClusterNetworkPolicy');
    undecided.set(ALL);
    const own = rep.node ? hostByNode.get(rep.node) : undefined;
    if (own)
      for (let w = 0; w < W; w++) {
        allowed[w] |= own[w];
        undecided[w] &= ~own[w];
      }
    const admin = compiled.admin.filter((p) => p[dir] && inScope(p) && subjectSelects(p.subject, rep));
    passed.fill(0);
    firstMatch(admin, dir, s, allowed, passed);
    for (let w = 0; w < W; w++) undecided[w] |= passed[w];
    const isolating = (compiled.npByNamespace.get(rep.namespace!) ?? []).filter(
      (p) => p[dir] && subjectSelects(p.subject, rep),
    );
    if (isolating.length > 0) {
      for (const p of isolating)
        for (const r of p[dir]!.rules) {
          const m = ruleMask(r, dir, s);
          if (!m) continue;
          for (let w = 0; w < W; w++) allowed[w] |= m[w] & undecided[w];
        }
      return;
    }
    const baseline = compiled.baseline.filter((p) => p[dir] && inScope(p) && subjectSelects(p.subject, rep));
    firstMatch(baseline, dir, s, allowed, null);
    for (let w = 0; w < W; w++) allowed[w] |= undecided[w];
  };
  const hasCnp = compiled.policies.some((p) => p.family === 'ClusterNetworkPolicy');
  const selfAllowed: Record<Direction, Uint8Array> = {
    egress: new Uint8Array(C),
    ingress: new Uint8Array(C),
  };
  const tmp = new Uint32Array(W);
  for (const dir of ['egress', 'ingress'] as Direction[]) {
    for (let s = 0; s < C; s++) {
      computeRow(dir, s, result[dir].row(s), false);
      if (hasCnp) {
        tmp.fill(0);
        computeRow(dir, s, tmp, true);
        selfAllowed[dir][s] = (tmp[s >>> 5] >>> (s & 31)) & 1;
      } else selfAllowed[dir][s] = result[dir].get(s, s) ? 1 : 0;
    }
  }
  const validDst = new Uint8Array(C);
  for (let c = 0; c < C; c++) validDst[c] = classes[c].flow.port === null ? 0 : 1;

  const egress = result.egress;
  const ingress = result.ingress;
  const classAllowed = (a: number, b: number): boolean =>
    validDst[b] === 1 && egress.get(a, b) && ingress.get(b, a);
  const seconds = ((typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0) / 1000;
  return {
    port: typeof port === 'number' ? port : (namedResolved ?? 0),
    ...(typeof port === 'string' ? { portName: port } : {}),
    protocol,
    pods: eps.map((e) => e.key),
    classOf,
    classCount: C,
    allowed: (src: number, dst: number) => {
      if (src === dst) {
        const c = classOf[src];
        return validDst[c] === 1 && selfAllowed.egress[c] === 1 && selfAllowed.ingress[c] === 1;
      }
      return classAllowed(classOf[src], classOf[dst]);
    },
    allowedClassPairs: () => {
      const out: Array<[number, number]> = [];
      for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) if (classAllowed(a, b)) out.push([a, b]);
      return out;
    },
    skipped: index.podsWithoutIp.map((p) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`),
    seconds,
  };
}
