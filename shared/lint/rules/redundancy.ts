import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod } from '../../k8s/types';
import type { LintFinding } from '../../engine/types';
import type { LintContext } from '../context';
import { podsMatchingPeer, podsSelectedByPolicy } from '../context';
import { cidrContainsIp, cidrWithin, parseCidr } from '../../snapshot/ip';
import type { ParsedCidr } from '../../snapshot/ip';
import { refOf } from '../fix';
import type { NpRule } from './np-model';
import { peersOf, policyTypes, rulesOf } from './np-model';

/** JSON with sorted keys and API defaults applied (protocol TCP, policyTypes), for comparing specs. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function normalizedNpSpec(np: NetworkPolicy): unknown {
  const spec = JSON.parse(JSON.stringify(np.spec ?? {})) as Record<string, unknown>;
  spec.policyTypes = [...policyTypes(np)].sort();
  for (const dir of ['ingress', 'egress'] as const)
    for (const rule of (spec[dir] ?? []) as (NpRule | null)[])
      for (const port of rule?.ports ?? []) if (port) port.protocol ??= 'TCP';
  if (!(spec.podSelector && Object.keys(spec.podSelector).length)) spec.podSelector = {};
  return spec;
}

function deleteCommand(kind: string, namespace: string | undefined, name: string): string {
  return `kubectl${namespace ? ` -n ${namespace}` : ''} delete ${kind.toLowerCase()} ${name}`;
}

/** Returns the keys (`kind/ns/name`) of policies reported as duplicates. */
export function duplicatePolicies(ctx: LintContext, out: LintFinding[]): Set<string> {
  const dups = new Set<string>();
  const groups = new Map<
    string,
    { kind: string; obj: { kind: string; metadata: { name: string; namespace?: string } } }[]
  >();
  const add = (
    kind: string,
    obj: { kind: string; metadata: { name: string; namespace?: string } },
    spec: unknown,
  ) => {
    const key = `${kind}\u0000${obj.metadata.namespace ?? ''}\u0000${canonical(spec)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push({ kind, obj });
  };
  for (const np of ctx.snapshot.networkPolicies) add('NetworkPolicy', np, normalizedNpSpec(np));
  for (const p of ctx.snapshot.adminNetworkPolicies) add('AdminNetworkPolicy', p, p.spec);
  for (const p of ctx.snapshot.clusterNetworkPolicies) add('ClusterNetworkPolicy', p, p.spec);
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const [first, ...rest] = g;
    for (const d of rest) {
      const ns = d.obj.metadata.namespace;
      dups.add(`${d.kind}/${ns ?? ''}/${d.obj.metadata.name}`);
      dups.add(`${first.kind}/${ns ?? ''}/${first.obj.metadata.name}`);
      out.push({
        rule: 'duplicate-policy',
        severity: 'warning',
        object: refOf(d.obj, d.kind),
        message: `${d.kind} ${ns ? `${ns}/` : ''}${d.obj.metadata.name} is an exact duplicate of ${ns ? `${ns}/` : ''}${first.obj.metadata.name} (same spec): one of them can be deleted.`,
        fix: {
          description: `Delete the duplicate ${d.obj.metadata.name}`,
          command: deleteCommand(d.kind, ns, d.obj.metadata.name),
        },
      });
    }
  }
  return dups;
}

// ---------- shadowing: every effect of P is already produced by Q (in this snapshot) ----------

function portRange(p: NetworkPolicyPort): [number, number] | undefined {
  if (typeof p.port !== 'number') return undefined;
  return [p.port, p.endPort ?? p.port];
}

function portCovered(r: NetworkPolicyPort, q: NetworkPolicyPort): boolean {
  if ((r.protocol ?? 'TCP') !== (q.protocol ?? 'TCP')) return false;
  if (q.port === undefined || q.port === null) return true;
  if (r.port === undefined || r.port === null) return false;
  if (typeof r.port === 'string' || typeof q.port === 'string') return r.port === q.port;
  const a = portRange(r)!;
  const b = portRange(q)!;
  return a[0] >= b[0] && a[1] <= b[1];
}

function portsCovered(r: NpRule, q: NpRule): boolean {
  const qp = (q.ports ?? []).filter((p): p is NetworkPolicyPort => !!p);
  if (!qp.length) return true;
  const rp = (r.ports ?? []).filter((p): p is NetworkPolicyPort => !!p);
  if (!rp.length) return false;
  return rp.every((a) => qp.some((b) => portCovered(a, b)));
}

function blockCovered(
  r: { cidr: string; except?: string[] },
  q: { cidr: string; except?: string[] },
): boolean {
  const rc = parseCidr(r.cidr);
  const qc = parseCidr(q.cidr);
  if (!rc || !qc || !cidrWithin(rc, qc)) return false;
  const rEx = (r.except ?? []).map(parseCidr).filter((c): c is ParsedCidr => !!c);
  for (const e of q.except ?? []) {
    const qe = parseCidr(e);
    if (!qe) return false;
    const disjoint =
      !cidrWithin(qe, rc) &&
      !cidrWithin(rc, qe) &&
      !cidrContainsIp(rc, { family: qe.family, value: qe.base });
    if (!disjoint && !rEx.some((x) => cidrWithin(qe, x))) return false;
  }
  return true;
}

function peersCovered(
  ctx: LintContext,
  ns: string,
  r: NetworkPolicyPeer[],
  q: NetworkPolicyPeer[],
  cache: Map<NetworkPolicyPeer, Set<Pod>>,
): boolean {
  if (!q.length) return true;
  if (!r.length) return false;
  const podsOf = (p: NetworkPolicyPeer): Set<Pod> => {
    let s = cache.get(p);
    if (!s) cache.set(p, (s = new Set(podsMatchingPeer(ctx, ns, p) ?? [])));
    return s;
  };
  const qSelectorPods = new Set<Pod>();
  for (const p of q) if (!p.ipBlock) for (const pod of podsOf(p)) qSelectorPods.add(pod);
  for (const p of r) {
    if (p.ipBlock) {
      if (!q.some((x) => x.ipBlock && blockCovered(p.ipBlock!, x.ipBlock))) return false;
    } else {
      for (const pod of podsOf(p)) if (!qSelectorPods.has(pod)) return false;
    }
  }
  return true;
}

/**
 * Every pod P's podSelector can ever select is selected by Q's: Q's requirements are a subset of P's.
 * (Judging only by today's pods would call a default-deny "redundant" next to a policy for its pods.)
 */
function selectorImplies(p: NetworkPolicy, q: NetworkPolicy): boolean {
  const ps = p.spec?.podSelector ?? {};
  const qs = q.spec?.podSelector ?? {};
  for (const [k, v] of Object.entries(qs.matchLabels ?? {})) if (ps.matchLabels?.[k] !== v) return false;
  const pExprs = new Set((ps.matchExpressions ?? []).map(canonical));
  return (qs.matchExpressions ?? []).every((e) => pExprs.has(canonical(e)));
}

function covers(
  ctx: LintContext,
  p: NetworkPolicy,
  q: NetworkPolicy,
  pSel: Set<Pod>,
  qSel: Set<Pod>,
  cache: Map<NetworkPolicyPeer, Set<Pod>>,
): boolean {
  if (!selectorImplies(p, q)) return false;
  for (const pod of pSel) if (!qSel.has(pod)) return false;
  const qTypes = policyTypes(q);
  for (const t of policyTypes(p)) {
    if (!qTypes.includes(t)) return false;
    const dir = t === 'Ingress' ? 'ingress' : 'egress';
    const qRules = rulesOf(q, dir);
    for (const r of rulesOf(p, dir)) {
      const ok = qRules.some(
        (x) =>
          peersCovered(ctx, p.metadata.namespace ?? 'default', peersOf(r, dir), peersOf(x, dir), cache) &&
          portsCovered(r, x),
      );
      if (!ok) return false;
    }
  }
  return true;
}

export function shadowedPolicies(ctx: LintContext, out: LintFinding[], duplicates: Set<string>): void {
  const byNs = new Map<string, NetworkPolicy[]>();
  for (const np of ctx.snapshot.networkPolicies) {
    const ns = np.metadata.namespace ?? 'default';
    let l = byNs.get(ns);
    if (!l) byNs.set(ns, (l = []));
    l.push(np);
  }
  const cache = new Map<NetworkPolicyPeer, Set<Pod>>();
  for (const [ns, list] of byNs) {
    if (list.length < 2) continue;
    const selected = new Map(list.map((np) => [np, new Set(podsSelectedByPolicy(ctx, np))]));
    for (const p of list) {
      if (!selected.get(p)!.size) continue;
      // a pure default-deny (isolation, no rules) is a guard rail: never call it redundant
      if (policyTypes(p).every((t) => !rulesOf(p, t === 'Ingress' ? 'ingress' : 'egress').length)) continue;
      if (duplicates.has(`NetworkPolicy/${ns}/${p.metadata.name}`)) continue;
      for (const q of list) {
        if (q === p || duplicates.has(`NetworkPolicy/${ns}/${q.metadata.name}`)) continue;
        if (!covers(ctx, p, q, selected.get(p)!, selected.get(q)!, cache)) continue;
        // mutual cover (same effect, different text): report only one of the two
        if (covers(ctx, q, p, selected.get(q)!, selected.get(p)!, cache) && p.metadata.name < q.metadata.name)
          continue;
        out.push({
          rule: 'shadowed-policy',
          severity: 'info',
          object: refOf(p),
          message: `${ns}/${p.metadata.name} is fully covered by ${ns}/${q.metadata.name}: ${q.metadata.name} selects every pod it can select, isolates the same directions and allows everything it allows (peers compared on this snapshot's pods), so it has no effect of its own.`,
          fix: {
            description: `Delete ${p.metadata.name} if it is not meant for pods that do not exist yet`,
            command: deleteCommand('NetworkPolicy', ns, p.metadata.name),
          },
        });
        break;
      }
    }
  }
}
