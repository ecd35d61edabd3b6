/**
 * Whole-cluster connectivity on equivalence classes of pods.
 *
 * Two pods are in one class when every fact the evaluation can look at is equal: namespace (and so its
 * labels), pod labels, host networking, the node (only where the own-node exemption can apply), which
 * CIDR peers contain the pod IP (only CIDR peers that can see pods), the destination port a named query
 * port resolves to, and which named rule ports match. Each class is evaluated once, with bitsets over
 * classes: for a subject class and a direction, the set of peer classes allowed.
 *
 * Speed (the first matrix of an engine is the one users wait for): class keys are read straight off the
 * pods (an endpoint is built only for each class's representative; IPv4 addresses are compared as
 * numbers), peers that name their namespace look only at that namespace's classes, a rule's port test
 * is one mask per distinct port list, and the masks share a few large buffers.
 */
import type { LabelSelector, Labels, Protocol } from '../k8s/types';
import {
  findNamedPort,
  firstPodIp,
  forEachNamedPort,
  ipv4Number,
  type ClusterIndex,
  type Endpoint,
} from './cluster';
import type { CompiledPolicies } from './compile';
import {
  cidrPeerSees,
  namespaceMatches,
  peerMatches,
  portMatchesOn,
  subjectSelects,
  type Flow,
  type MatchOptions,
} from './match';
import type { PeerIR, PolicyIR, PortIR, RuleIR } from './model';
import { matchesSelector } from './selector';
import type { Direction, MatrixResult } from './types';

/** 32 classes per word; signed words, so that reading one never boxes a number (even unoptimized) */
type Bits = Int32Array;

class BitMatrix {
  readonly words: number;
  readonly data: Int32Array;
  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    this.words = (cols + 31) >>> 5;
    this.data = new Int32Array(rows * this.words);
  }
  row(r: number): Bits {
    return this.data.subarray(r * this.words, (r + 1) * this.words);
  }
  get(r: number, c: number): boolean {
    return ((this.data[r * this.words + (c >>> 5)] >>> (c & 31)) & 1) === 1;
  }
}

/** Zeroed masks of `words` words, cut from shared chunks (one small typed array each is slow to allocate). */
class MaskPool {
  private chunk = new Int32Array(0);
  private used = 0;
  constructor(private readonly words: number) {}
  alloc(): Bits {
    if (this.used + this.words > this.chunk.length) {
      this.chunk = new Int32Array(256 * this.words);
      this.used = 0;
    }
    const m = this.chunk.subarray(this.used, this.used + this.words);
    this.used += this.words;
    return m;
  }
}

function fullMask(n: number): Bits {
  const m = new Int32Array((n + 31) >>> 5).fill(-1);
  if (n & 31) m[m.length - 1] = ((1 << (n & 31)) >>> 0) - 1;
  return m;
}

function setBit(m: Bits, i: number): void {
  m[i >>> 5] |= 1 << (i & 31);
}

const DIRECTIONS: readonly Direction[] = ['egress', 'ingress'];

/** hairpin: ClusterNetworkPolicies do not apply to a pod's traffic to its own pod IP */
function inScope(p: PolicyIR, selfPair: boolean): boolean {
  return !(selfPair && p.family === 'ClusterNetworkPolicy');
}

type CidrPeer = Extract<PeerIR, { kind: 'cidr' }>;

/** An IPv4 CIDR peer as masks, for testing pod IPs without bigints. */
interface CidrV4 {
  base: number;
  mask: number;
  /** the IPv4 excepts (an IPv6 or unreadable except cannot contain an IPv4 address) */
  except: { base: number; mask: number }[];
}

function v4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function cidrV4(c: CidrPeer): CidrV4 | undefined {
  if (!c.parsed || c.parsed.family !== 4) return undefined;
  const except: CidrV4['except'] = [];
  for (const e of c.parsedExcept)
    if (e && e.family === 4) except.push({ base: Number(e.base) >>> 0, mask: v4Mask(e.prefix) });
  return { base: Number(c.parsed.base) >>> 0, mask: v4Mask(c.parsed.prefix), except };
}

/** A trie node over label values (undefined: the label is absent). */
interface Trie {
  next: Map<string | undefined, Trie>;
  /** the group of the pods whose path ends here, or -1 */
  group: number;
}

function trieStep(t: Trie, v: string | undefined): Trie {
  let u = t.next.get(v);
  if (!u) t.next.set(v, (u = { next: new Map(), group: -1 }));
  return u;
}

interface Cls {
  rep: Endpoint;
  flow: Flow;
  /** the representative's IPv4 address as a number */
  v4: number | undefined;
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
  const n = pods.length;
  // pods sharing one ns/name share one endpoint: read every pod through its endpoint then
  const direct = !index.hasDuplicatePodKeys;

  // ---------------------------------------------------------------- class keys
  const cidrPeers = compiled.peers.filter(
    (p): p is CidrPeer =>
      p.kind === 'cidr' && !!p.parsed && (p.source === 'networks' || opts.ipBlockMatchesPodIPs),
  );
  const cidrIndex = new Map<number, number>(cidrPeers.map((c, ci) => [c.id, ci]));
  const nodePeers = compiled.peers.filter((p): p is Extract<PeerIR, { kind: 'nodes' }> => p.kind === 'nodes');
  const namedRulePorts = new Map<string, PortIR>();
  for (const pol of compiled.policies)
    for (const d of [pol.ingress, pol.egress])
      for (const r of d?.rules ?? [])
        for (const pt of r.ports ?? [])
          if (pt.name !== undefined) namedRulePorts.set(`${pt.name}/${pt.protocol}`, pt);
  const namedList = [...namedRulePorts.values()];
  const hostNodes = new Set<string>();
  for (const pod of pods) {
    const ep = direct ? undefined : index.podEndpoint(pod);
    const hostNetwork = ep ? ep.hostNetwork : pod.spec?.hostNetwork === true;
    const node = ep ? ep.node : pod.spec?.nodeName;
    if (hostNetwork && node) hostNodes.add(node);
  }

  // CIDR membership: IPv4 addresses against masks, anything else through the shared matcher
  const cidrV4s = cidrPeers.map(cidrV4);
  /**
   * `peerMatches(cidrPeers[ci], ep)`, with `v4` the endpoint's IPv4 address as a number if it has one;
   * `ep` undefined: a pod-network pod with IPv4 address `v4`.
   */
  const cidrBit = (ci: number, ep: Endpoint | undefined, v4: number | undefined): boolean => {
    const c = cidrPeers[ci];
    if (ep ? !cidrPeerSees(c, ep, opts) : !(c.source === 'networks' || opts.ipBlockMatchesPodIPs))
      return false;
    const f = cidrV4s[ci];
    if (v4 === undefined || !f) return ep ? peerMatches(c, ep, opts) : false; // an IPv4 address is in no IPv6 CIDR
    if ((v4 & f.mask) >>> 0 !== f.base) return false;
    const ex = f.except;
    for (let k = 0; k < ex.length; k++) if ((v4 & ex[k].mask) >>> 0 === ex[k].base) return false;
    return true;
  };
  const v4Of = (ep: Endpoint): number | undefined =>
    ep.ip && ep.ip.family === 4 ? Number(ep.ip.value) : undefined;

  // only label keys some selector looks at can tell pods apart (e.g. statefulset pod-name labels cannot)
  const relevantKeys = new Set<string>();
  const addSel = (sel: LabelSelector | undefined) => {
    for (const k of Object.keys(sel?.matchLabels ?? {})) relevantKeys.add(k);
    for (const e of sel?.matchExpressions ?? []) relevantKeys.add(e.key);
  };
  for (const pol of compiled.policies) addSel(pol.subject.pods);
  for (const peer of compiled.peers) if (peer.kind === 'pods') addSel(peer.pods);
  const keyList = [...relevantKeys].sort();

  // A pod's group: (namespace, the values of the relevant label keys) for a pod-network pod, its node for
  // a host-network one, found through a trie without building a string per pod. Inside a group, the
  // facts that remain (own node, port, named rule ports, CIDRs, node peers) key the class.
  const podGroups: Trie = { next: new Map(), group: -1 };
  const hostGroups: Trie = { next: new Map(), group: -1 };
  let groupCount = 0;
  const groupOf = (root: Trie, first: string, labels: Labels | undefined): number => {
    let t = trieStep(root, first);
    if (labels) for (let k = 0; k < keyList.length; k++) t = trieStep(t, labels[keyList[k]]);
    if (t.group < 0) t.group = groupCount++;
    return t.group;
  };
  const classByGroup: Map<string, number>[] = [];
  const classes: Cls[] = [];
  const classOf = new Int32Array(n);
  const flows = new Map<number | null, Flow>();
  const flowFor = (resolved: number | null): Flow => {
    let f = flows.get(resolved);
    if (!f) flows.set(resolved, (f = { protocol, port: resolved, portName: port as string }));
    return f;
  };
  const numericFlow: Flow | undefined = typeof port === 'number' ? { protocol, port } : undefined;
  const bitsAsNumber = namedList.length <= 30 && cidrPeers.length <= 30;
  // bit j of a pod: portMatches(namedList[j], flow, the pod) — for a pod read directly, one pass over its
  // named ports marks the rule ports of the same name (when protocol and number are the flow's)
  const namedHit = new Uint8Array(namedList.length);
  const namedByName = new Map<string, number[]>();
  namedList.forEach((np, j) => {
    if (np.protocol !== 'any' && np.protocol !== protocol) return;
    const l = namedByName.get(np.name!);
    if (l) l.push(j);
    else namedByName.set(np.name!, [j]);
  });
  let markFlow: Flow = { protocol, port: null };
  const markNamed = (name: string, p: number, proto: string) => {
    if (proto !== markFlow.protocol || p !== markFlow.port) return;
    const js = namedByName.get(name);
    if (js) for (let k = 0; k < js.length; k++) namedHit[js[k]] = 1;
  };
  let namedResolved: number | undefined;
  for (let i = 0; i < n; i++) {
    const pod = pods[i];
    // a pod-network pod with an IPv4 address is read directly; any other through its endpoint
    const ipText = direct && pod.spec?.hostNetwork !== true ? firstPodIp(pod) : undefined;
    let v4 = ipText === undefined ? undefined : ipv4Number(ipText);
    const ep = v4 === undefined ? index.podEndpoint(pod) : undefined;
    if (ep) v4 = v4Of(ep);
    let flow: Flow;
    if (numericFlow) flow = numericFlow;
    else {
      let resolved: number | null;
      if (ep) {
        const np = ep.namedPorts.find((p) => p.name === port && p.protocol === protocol);
        resolved = np ? np.port : null;
      } else resolved = findNamedPort(pod, port as string, protocol);
      flow = flowFor(resolved);
      if (resolved !== null && namedResolved === undefined) namedResolved = resolved;
    }
    const node = ep ? ep.node : pod.spec?.nodeName;
    const group =
      !ep || ep.selectable
        ? groupOf(
            podGroups,
            ep ? ep.namespace! : (pod.metadata.namespace ?? 'default'),
            ep ? ep.labels : (pod.metadata.labels ?? {}),
          )
        : groupOf(hostGroups, ep.node ?? '', undefined);
    if (ep)
      for (let j = 0; j < namedList.length; j++)
        namedHit[j] = portMatchesOn(namedList[j], flow, ep.namedPorts) ? 1 : 0;
    else {
      namedHit.fill(0);
      if (flow.port !== null && namedByName.size > 0) {
        markFlow = flow;
        forEachNamedPort(pod, markNamed);
      }
    }
    let named: number | string = bitsAsNumber ? 0 : '';
    for (let j = 0; j < namedList.length; j++) {
      if (typeof named === 'number') named |= namedHit[j] << j;
      else named += namedHit[j] ? '1' : '0';
    }
    let cidr: number | string = bitsAsNumber ? 0 : '';
    for (let ci = 0; ci < cidrPeers.length; ci++) {
      const hit = cidrBit(ci, ep, v4);
      if (typeof cidr === 'number') cidr |= hit ? 1 << ci : 0;
      else cidr += hit ? '1' : '0';
    }
    let nodeBits = '';
    if (ep?.isNodeAddress) for (const np of nodePeers) nodeBits += peerMatches(np, ep, opts) ? '1' : '0';
    const ownNode = node && ((ep?.hostNetwork ?? false) || hostNodes.has(node)) ? node : '';
    const key = `${ownNode}\u0001${flow.port ?? '-'}\u0001${named}\u0001${cidr}\u0001${nodeBits}`;
    let inGroup = classByGroup[group];
    if (!inGroup) classByGroup[group] = inGroup = new Map();
    let c = inGroup.get(key);
    if (c === undefined) {
      c = classes.length;
      inGroup.set(key, c);
      classes.push({ rep: ep ?? index.podEndpoint(pod), flow, v4 });
    }
    classOf[i] = c;
  }
  const C = classes.length;
  const ALL = fullMask(C);
  const W = ALL.length;
  const pool = new MaskPool(W);

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
  const peerMaskCache: (Bits | undefined)[] = new Array<Bits | undefined>(compiled.peers.length);
  const addPodClasses = (m: Bits, cs: number[], sel: LabelSelector | undefined) => {
    for (let k = 0; k < cs.length; k++)
      if (!sel || matchesSelector(sel, classes[cs[k]].rep.labels)) setBit(m, cs[k]);
  };
  /** classes peer p matches (`peerMatches` on each class's representative) */
  const peerMask = (p: PeerIR): Bits => {
    let m = peerMaskCache[p.id];
    if (m) return m;
    m = pool.alloc();
    if (p.kind === 'pods') {
      if (p.namespaces.kind === 'name') {
        const cs = classesByNs.get(p.namespaces.name);
        if (cs) addPodClasses(m, cs, p.pods);
      } else {
        for (const [ns, cs] of classesByNs)
          if (namespaceMatches(p.namespaces, ns, index.nsLabels(ns))) addPodClasses(m, cs, p.pods);
      }
    } else if (p.kind === 'cidr') {
      const ci = cidrIndex.get(p.id);
      for (let c = 0; c < C; c++) {
        const { rep, v4 } = classes[c];
        if (ci !== undefined ? cidrBit(ci, rep, v4) : peerMatches(p, rep, opts)) setBit(m, c);
      }
    } else if (p.kind === 'nodes') {
      for (let c = 0; c < C; c++) if (peerMatches(p, classes[c].rep, opts)) setBit(m, c);
    }
    peerMaskCache[p.id] = m;
    return m;
  };
  const NONE = pool.alloc();
  const rulePeerCache = new Map<RuleIR, Bits>();
  /** classes rule r's peers match (read only: may be a peer's own mask) */
  const rulePeers = (r: RuleIR): Bits => {
    let m = rulePeerCache.get(r);
    if (m) return m;
    if (r.peers === null) m = ALL;
    else if (r.peers.length === 0) m = NONE;
    else if (r.peers.length === 1) m = peerMask(r.peers[0]);
    else {
      m = pool.alloc();
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
    for (let k = 0; k < r.ports.length; k++) if (portMatchesOn(r.ports[k], flow, rep.namedPorts)) return true;
    return false;
  };
  const portMaskByPorts = new Map<string, Bits>();
  const portMaskByRule = new Map<RuleIR, Bits>();
  /** destination classes whose port rule r admits (rules with the same port list share one mask) */
  const portMaskOf = (r: RuleIR): Bits => {
    let m = portMaskByRule.get(r);
    if (m) return m;
    const key = r.ports === null ? '*' : r.ports.map((p) => `${p.text}|${p.protocol}`).join(',');
    m = portMaskByPorts.get(key);
    if (!m) {
      m = pool.alloc();
      for (let c = 0; c < C; c++) if (portsOk(r, c)) setBit(m, c);
      portMaskByPorts.set(key, m);
    }
    portMaskByRule.set(r, m);
    return m;
  };
  const egressRuleCache = new Map<RuleIR, Bits>();
  /** mask of peer classes rule r matches for subject class s (null: none, the port does not match) */
  const ruleMask = (r: RuleIR, dir: Direction, s: number): Bits | null => {
    if (dir === 'ingress') {
      // the subject is the destination: the rule's ports either admit it or not
      const om = portMaskOf(r);
      return (om[s >>> 5] >>> (s & 31)) & 1 ? rulePeers(r) : null;
    }
    let m = egressRuleCache.get(r);
    if (!m) {
      const pm = rulePeers(r);
      const om = portMaskOf(r);
      m = pool.alloc();
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
    if (!m) hostByNode.set(node, (m = pool.alloc()));
    setBit(m, c);
  }

  // ---------------------------------------------------------------- per subject class, per direction
  const result: Record<Direction, BitMatrix> = { egress: new BitMatrix(C, C), ingress: new BitMatrix(C, C) };
  const undecided = pool.alloc();
  const passed = pool.alloc();
  const firstMatch = (
    list: PolicyIR[],
    dir: Direction,
    selfPair: boolean,
    s: number,
    allowed: Bits,
    passTo: Bits | null,
  ) => {
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      const d = p[dir];
      if (!d || !inScope(p, selfPair)) continue;
      for (let k = 0; k < d.rules.length; k++) {
        const r = d.rules[k];
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
  /** the policies selecting one subject class, per tier (each in its tier's order) */
  interface Selecting {
    admin: PolicyIR[];
    nps: PolicyIR[];
    baseline: PolicyIR[];
  }
  const computeRow = (dir: Direction, s: number, sel: Selecting, allowed: Bits, selfPair: boolean): void => {
    const rep = classes[s].rep;
    undecided.set(ALL);
    const own = rep.node ? hostByNode.get(rep.node) : undefined;
    if (own)
      for (let w = 0; w < W; w++) {
        allowed[w] |= own[w];
        undecided[w] &= ~own[w];
      }
    passed.fill(0);
    firstMatch(sel.admin, dir, selfPair, s, allowed, passed);
    for (let w = 0; w < W; w++) undecided[w] |= passed[w];
    // NetworkPolicies that isolate the subject in this direction: the union of their rules decides
    let isolated = false;
    for (let i = 0; i < sel.nps.length; i++) {
      const d = sel.nps[i][dir];
      if (!d) continue;
      isolated = true;
      for (let k = 0; k < d.rules.length; k++) {
        const r = d.rules[k];
        const m = ruleMask(r, dir, s);
        if (!m) continue;
        for (let w = 0; w < W; w++) allowed[w] |= m[w] & undecided[w];
      }
    }
    if (isolated) return;
    firstMatch(sel.baseline, dir, selfPair, s, allowed, null);
    for (let w = 0; w < W; w++) allowed[w] |= undecided[w];
  };
  const hasCnp = compiled.policies.some((p) => p.family === 'ClusterNetworkPolicy');
  const selfAllowed: Record<Direction, Uint8Array> = {
    egress: new Uint8Array(C),
    ingress: new Uint8Array(C),
  };
  const tmp = pool.alloc();
  for (let s = 0; s < C; s++) {
    const rep = classes[s].rep;
    if (!rep.selectable) {
      // no policy selects a host-network pod: everything is allowed
      for (const dir of DIRECTIONS) {
        result[dir].row(s).set(ALL);
        selfAllowed[dir][s] = 1;
      }
      continue;
    }
    const sel: Selecting = {
      admin: compiled.admin.filter((p) => subjectSelects(p.subject, rep)),
      nps: (compiled.npByNamespace.get(rep.namespace!) ?? []).filter((p) => subjectSelects(p.subject, rep)),
      baseline: compiled.baseline.filter((p) => subjectSelects(p.subject, rep)),
    };
    for (const dir of DIRECTIONS) {
      computeRow(dir, s, sel, result[dir].row(s), false);
      if (hasCnp) {
        tmp.fill(0);
        computeRow(dir, s, sel, tmp, true);
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
    pods: index.endpointKeys.slice(),
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
