import type { KubeObject } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';

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

/**
 * Consistent pseudonyms for a report: the same name or IP always maps to the same pseudonym, in
 * every string of the report (sentences, YAML, commands, diffs, label values).
 */
export class Anonymizer {
  private readonly names = new Map<string, string>();
  private readonly ips = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private nameRe: RegExp | undefined;

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
    // IPs get their pseudonyms in snapshot order, so the mapping does not depend on the report's text
    for (const n of snapshot.nodes)
      for (const a of n.status?.addresses ?? []) if (/^[\d.]+$/.test(a.address)) this.ip(a.address);
    for (const p of snapshot.pods)
      for (const ip of [p.status?.podIP, p.status?.hostIP, ...(p.status?.podIPs ?? []).map((x) => x.ip)])
        if (ip && /^[\d.]+$/.test(ip)) this.ip(ip);
    for (const sv of snapshot.services)
      for (const ip of [sv.spec.clusterIP, ...(sv.spec.clusterIPs ?? [])])
        if (ip && /^[\d.]+$/.test(ip)) this.ip(ip);
    const keys = [...this.names.keys()]
      .sort((a, b) => b.length - a.length)
      .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.nameRe = keys.length
      ? new RegExp(`(?<![${NAME_CHARS}])(${keys.join('|')})(?![${NAME_CHARS}])`, 'g')
      : undefined;
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

  /** Replaces every known name and every IPv4 address in a string. */
  text(s: string): string {
    let out = s.replace(/(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d])/g, (m) =>
      m.split('.').every((x) => Number(x) <= 255) ? this.ip(m) : m,
    );
    if (this.nameRe) out = out.replace(this.nameRe, (m) => this.names.get(m) ?? m);
    return out;
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
