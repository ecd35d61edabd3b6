import type { KubeObject } from '../k8s/types';
import { parseIp } from '../snapshot/ip';
import type { Snapshot } from '../snapshot/types';
import type { ReportModel } from './types';

/** Namespaces and names every cluster has: kept, they reveal nothing. */
const KEEP = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'kubernetes',
  'kube-dns',
  'coredns',
]);

const NAME_CHARS = 'A-Za-z0-9_-';

/** IPv4 as the report has always matched it (any octet text, values checked in the callback). */
const V4_RE = String.raw`(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\d)`;
/**
 * An IPv6 candidate: 3 to 9 colon-separated hex groups (empty groups make `::`), optionally ending in
 * an embedded IPv4 (`::ffff:10.0.0.1`), not part of a longer word. Validated by `parseIp`; a zone
 * (`%eth0`) is left after the address, a prefix (`/64`) is kept as is.
 */
const V6_RE = String.raw`(?<![\w.:-])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\.\d{1,3}){0,3}(?![\w:-])`;

/**
 * Report fields whose values are the tool's own words, never a name: enumerations, ids, kinds and
 * timestamps (see types.ts).
 */
const VERBATIM_FIELDS = new Set([
  'schemaVersion',
  'kind',
  'generatedAt',
  'takenAt',
  'type',
  'state',
  'severity',
  'status',
  'decision',
  'direction',
  'verdict',
  'cause',
  'id',
  'rule',
  'code',
  'enforcesNetworkPolicy',
  'target',
  'protocol',
]);
/** The CNI's name (`cilium`, `calico`, ...) and the tool's */
const VERBATIM_PATHS = new Set(['cni.name', 'tool.name']);

/** `2001:db8::1` (RFC 5952: lower case, the longest run of 2+ zero groups as `::`). */
function formatV6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

/** `::ffff:0:0/96`, IPv4-mapped addresses, shifted right by 32 */
const V4_MAPPED_HIGH = 0xffffn;
/** Pseudonym IPv6 addresses: fd00:ffff::1, fd00:ffff::2, ... (a unique-local range, like 10.255.x.y for IPv4) */
const V6_PSEUDO_BASE = 0xfd00ffffn << 96n;

/**
 * Consistent pseudonyms for a report: the same name or IP (IPv4, or IPv6 in any textual form) always
 * maps to the same pseudonym, in every string of the report (sentences, YAML, commands, diffs, label
 * values).
 *
 * Known limit: a name that is also a word of the engine's sentences (a namespace `ingress`, `pod`,
 * `cilium`) is replaced there too ("ns-3 rule 1"). Text alone cannot tell the word from the name —
 * the sentences interpolate names bare in many positions, and a missed position would leak the
 * name — so the readable prose is what gives. The fix belongs where the sentences are built: mark
 * the name slots (shared/engine, shared/diagnose, shared/lint) and replace only those.
 */
export class Anonymizer {
  private readonly names = new Map<string, string>();
  private readonly ips = new Map<string, string>();
  /** IPv6 pseudonyms by address value, so every textual form of one address gets the same one */
  private readonly ips6 = new Map<bigint, string>();
  /** every IPv6 address written in the snapshot: a pseudonym never equals one of them */
  private readonly known6 = new Set<bigint>();
  private readonly re: RegExp;
  private readonly reNoV6: RegExp;
  private readonly counters = new Map<string, number>();

  constructor(snapshot: Snapshot, extra: { context?: string; server?: string } = {}) {
    const add = (name: string | undefined, prefix: string) => {
      if (!name || KEEP.has(name) || this.names.has(name) || name.length < 2) return;
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      this.names.set(name, `${prefix}-${n}`);
    };
    add(extra.context, 'context');
    if (extra.server) {
      const host = extra.server.replace(/:\d+$/, '');
      if (!/^[\d.]+$/.test(host) && !host.startsWith('[')) {
        this.names.set(host, `cluster-${this.names.size + 1}.example`);
      }
    }
    for (const n of snapshot.namespaces) add(n.metadata.name, 'ns');
    for (const p of snapshot.pods) if (!KEEP.has(p.metadata.namespace ?? '')) add(p.metadata.name, 'pod');
    for (const s of snapshot.services) if (!KEEP.has(s.metadata.namespace ?? '')) add(s.metadata.name, 'svc');
    for (const n of snapshot.nodes) add(n.metadata.name, 'node');
    const policyLists: KubeObject[][] = [
      snapshot.networkPolicies,
      snapshot.adminNetworkPolicies,
      snapshot.baselineAdminNetworkPolicies,
      snapshot.clusterNetworkPolicies,
      snapshot.ciliumNetworkPolicies,
      snapshot.ciliumClusterwideNetworkPolicies,
      snapshot.calicoNetworkPolicies,
      snapshot.calicoGlobalNetworkPolicies,
    ];
    for (const list of policyLists) for (const p of list) add(p.metadata.name, 'policy');
    for (const w of [...snapshot.deployments, ...snapshot.daemonSets])
      if (!KEEP.has(w.metadata.namespace ?? '')) add(w.metadata.name, 'workload');
    // owner names (ReplicaSets) appear as pod name prefixes in sentences: map them too
    for (const p of snapshot.pods)
      for (const o of p.metadata.ownerReferences ?? [])
        if (!KEEP.has(p.metadata.namespace ?? '')) add(o.name, 'workload');
    // every IPv6 address the snapshot mentions (ipBlocks included): no pseudonym may equal one
    const v6Re = new RegExp(V6_RE, 'g');
    const collect6 = (v: unknown): void => {
      if (typeof v === 'string') {
        if (v.includes(':'))
          for (const m of v.matchAll(v6Re)) {
            const p = parseIp(m[0]);
            if (p?.family === 6) this.known6.add(p.value);
          }
      } else if (Array.isArray(v)) v.forEach(collect6);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect6);
    };
    collect6(snapshot);
    // IPs get their pseudonyms in snapshot order, so the mapping does not depend on the report's text
    const seen = (ip: string | undefined) => {
      if (!ip) return;
      if (/^[\d.]+$/.test(ip)) this.ip(ip);
      else this.ip6(ip);
    };
    for (const n of snapshot.nodes) for (const a of n.status?.addresses ?? []) seen(a.address);
    for (const p of snapshot.pods)
      for (const ip of [p.status?.podIP, p.status?.hostIP, ...(p.status?.podIPs ?? []).map((x) => x.ip)])
        seen(ip);
    for (const sv of snapshot.services)
      for (const ip of [sv.spec.clusterIP, ...(sv.spec.clusterIPs ?? [])]) seen(ip);
    const keys = [...this.names.keys()]
      .sort((a, b) => b.length - a.length)
      .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // one pass over a string: a pseudonym is never scanned again (`::ffff:10.0.0.1` must not be
    // mapped once as IPv6 and again as IPv4, a name must not be found inside a pseudonym)
    const names = keys.length ? `|(?<![${NAME_CHARS}])(?<name>${keys.join('|')})(?![${NAME_CHARS}])` : '';
    this.re = new RegExp(`(?<v6>${V6_RE})|(?<v4>${V4_RE})${names}`, 'g');
    this.reNoV6 = new RegExp(`(?<v4>${V4_RE})${names}`, 'g');
  }

  private ip(ip: string): string {
    if (ip === '0.0.0.0' || ip.startsWith('127.') || ip === '255.255.255.255') return ip;
    let out = this.ips.get(ip);
    if (!out) {
      const n = this.ips.size + 1;
      out = `10.255.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      this.ips.set(ip, out);
    }
    return out;
  }

  /**
   * The pseudonym of an IPv6 address (any textual form), or undefined when the text is not one.
   * `::` and `::1` are kept (as 0.0.0.0 and 127.x are); an IPv4-mapped address keeps its IPv4
   * pseudonym (`::ffff:10.0.0.1` → `::ffff:10.255.0.2`, the same host as `10.0.0.1`).
   */
  private ip6(text: string): string | undefined {
    const p = parseIp(text);
    if (p?.family !== 6) return undefined;
    if (p.value <= 1n) return text;
    if (p.value >> 32n === V4_MAPPED_HIGH) {
      const v4 = [24n, 16n, 8n, 0n].map((s) => Number((p.value >> s) & 0xffn)).join('.');
      return `::ffff:${this.ip(v4)}`;
    }
    let out = this.ips6.get(p.value);
    if (!out) {
      let v = V6_PSEUDO_BASE + BigInt(this.ips6.size + 1);
      while (this.known6.has(v)) v += 1n;
      out = formatV6(v);
      this.ips6.set(p.value, out);
    }
    return out;
  }

  /** Replaces every known name and every IPv4 and IPv6 address in a string. */
  text(s: string): string {
    return s.replace(this.re, (m: string, ...args: unknown[]) => {
      const g = args[args.length - 1] as Record<string, string | undefined>;
      if (g.v6 !== undefined) return this.v6Match(m);
      return this.v4OrName(m, g);
    });
  }

  private v4OrName(m: string, g: Record<string, string | undefined>): string {
    if (g.v4 !== undefined) return m.split('.').every((x) => Number(x) <= 255) ? this.ip(m) : m;
    return this.names.get(m) ?? m;
  }

  /** An IPv6 candidate: the address, or (not an address, e.g. `12:30:00`) its IPv4s and names. */
  private v6Match(m: string): string {
    const direct = this.ip6(m);
    if (direct !== undefined) return direct;
    // `2001:db8::1:` at the end of a phrase: the address without the colon
    if (m.endsWith(':') && !m.endsWith('::')) {
      const shorter = this.ip6(m.slice(0, -1));
      if (shorter !== undefined) return `${shorter}:`;
    }
    return m.replace(this.reNoV6, (x: string, ...args: unknown[]) =>
      this.v4OrName(x, args[args.length - 1] as Record<string, string | undefined>),
    );
  }

  /**
   * The anonymized copy of a report model. Only what holds names is rewritten: the model's own
   * field names and its enumerations and ids (`ingress`, `neutral`, `deny`, rule ids, ...) stay as
   * they are, whatever the cluster's names (a namespace called `ingress` must not rename
   * `diagnosis.ingress`); of the object keys only label keys are data.
   */
  report(model: ReportModel): ReportModel {
    const walk = (v: unknown, field: string, path: string): unknown => {
      if (typeof v === 'string')
        return VERBATIM_FIELDS.has(field) || VERBATIM_PATHS.has(path) ? v : this.text(v);
      if (Array.isArray(v)) return v.map((x) => walk(x, field, path));
      if (v && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v))
          if (field === 'labels') o[this.text(k)] = walk(x, '', '');
          else o[k] = walk(x, k, path ? `${path}.${k}` : k);
        return o;
      }
      return v;
    };
    return { ...(walk(model, '', '') as ReportModel), anonymized: true };
  }

  /** Deep copy with every string (and object key) anonymized. */
  apply<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.text(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[this.text(k)] = walk(x);
        return o;
      }
      return v;
    };
    return walk(value) as T;
  }
}
