import type { Snapshot } from '../snapshot/types';

/**
 * Shape guards: invalid objects stay in the snapshot (and are reported as invalid-object findings),
 * but analyses read only objects whose field types are what the API server could have stored, so a
 * string where a list belongs can never crash a rule. Such an object cannot exist in a cluster
 * (`kubectl apply` fails to decode it), so leaving it out of the analysis mirrors the cluster.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const optional = (v: unknown, ok: (x: unknown) => boolean) => v === undefined || v === null || ok(v);
const listOf = (v: unknown, ok: (x: unknown) => boolean) => Array.isArray(v) && v.every(ok);
const stringMap = (v: unknown) => isObj(v) && Object.values(v).every((x) => typeof x === 'string');

export function selectorOk(v: unknown): boolean {
  return (
    isObj(v) &&
    optional(v.matchLabels, stringMap) &&
    optional(v.matchExpressions, (e) =>
      listOf(
        e,
        (x) =>
          isObj(x) &&
          typeof x.key === 'string' &&
          typeof x.operator === 'string' &&
          optional(x.values, (vs) => listOf(vs, (s) => typeof s === 'string')),
      ),
    )
  );
}

const portOk = (p: unknown) =>
  p === null ||
  (isObj(p) &&
    optional(p.port, (x) => typeof x === 'number' || typeof x === 'string') &&
    optional(p.endPort, (x) => typeof x === 'number') &&
    optional(p.protocol, (x) => typeof x === 'string'));

function npPeerOk(p: unknown): boolean {
  if (!isObj(p)) return false;
  return (
    optional(p.podSelector, selectorOk) &&
    optional(p.namespaceSelector, selectorOk) &&
    optional(
      p.ipBlock,
      (b) =>
        isObj(b) &&
        typeof b.cidr === 'string' &&
        optional(b.except, (e) => listOf(e, (s) => typeof s === 'string')),
    )
  );
}

function npRuleOk(r: unknown, peersKey: 'from' | 'to'): boolean {
  return (
    r === null ||
    (isObj(r) &&
      optional(r[peersKey], (l) => listOf(l, npPeerOk)) &&
      optional(r.ports, (l) => listOf(l, portOk)))
  );
}

function metaOk(o: Obj): boolean {
  const m = o.metadata;
  return (
    isObj(m) &&
    typeof m.name === 'string' &&
    optional(m.namespace, (x) => typeof x === 'string') &&
    optional(m.labels, stringMap)
  );
}

export function networkPolicyOk(o: unknown): boolean {
  if (!isObj(o) || !metaOk(o) || !isObj(o.spec)) return false;
  const s = o.spec;
  return (
    optional(s.podSelector, selectorOk) &&
    optional(s.policyTypes, (l) => listOf(l, (x) => typeof x === 'string')) &&
    optional(s.ingress, (l) => listOf(l, (r) => npRuleOk(r, 'from'))) &&
    optional(s.egress, (l) => listOf(l, (r) => npRuleOk(r, 'to')))
  );
}

function namespacedPodOk(v: unknown): boolean {
  return isObj(v) && selectorOk(v.namespaceSelector) && selectorOk(v.podSelector);
}

function adminPeerOk(p: unknown): boolean {
  return (
    isObj(p) &&
    optional(p.namespaces, selectorOk) &&
    optional(p.pods, namespacedPodOk) &&
    optional(p.nodes, selectorOk) &&
    optional(p.networks, (l) => listOf(l, (x) => typeof x === 'string'))
  );
}

export function adminPolicyOk(o: unknown): boolean {
  if (!isObj(o) || !metaOk(o) || !isObj(o.spec)) return false;
  const s = o.spec;
  const rulesOk = (l: unknown, key: 'from' | 'to') =>
    optional(l, (x) =>
      listOf(
        x,
        (r) =>
          isObj(r) &&
          optional(r[key], (ps) => listOf(ps, adminPeerOk)) &&
          optional(r.ports, Array.isArray) &&
          optional(r.protocols, Array.isArray),
      ),
    );
  return (
    optional(
      s.subject,
      (x) => isObj(x) && optional(x.namespaces, selectorOk) && optional(x.pods, namespacedPodOk),
    ) &&
    rulesOk(s.ingress, 'from') &&
    rulesOk(s.egress, 'to')
  );
}

export function podOk(o: unknown): boolean {
  if (!isObj(o) || !metaOk(o) || !isObj(o.spec)) return false;
  const statusOk = (st: unknown) =>
    isObj(st) &&
    optional(st.podIP, (x) => typeof x === 'string') &&
    optional(st.phase, (x) => typeof x === 'string') &&
    optional(st.podIPs, (l) => listOf(l, (e) => isObj(e) && optional(e.ip, (x) => typeof x === 'string')));
  const portsOk = (ps: unknown) =>
    listOf(
      ps,
      (p) =>
        isObj(p) &&
        typeof p.containerPort === 'number' &&
        optional(p.name, (x) => typeof x === 'string') &&
        optional(p.protocol, (x) => typeof x === 'string'),
    );
  const containersOk = (l: unknown) =>
    optional(l, (x) => listOf(x, (c) => isObj(c) && optional(c.ports, portsOk)));
  return (
    containersOk(o.spec.containers) && containersOk(o.spec.initContainers) && optional(o.status, statusOk)
  );
}

export interface WellFormedOptions {
  /**
   * Keep every policy object, however malformed: for the engine, which sanitizes policies itself and
   * fails closed (a broken rule matches nothing). Pods and namespaces are still filtered.
   */
  keepPolicies?: boolean;
}

/** The snapshot analyses read: the same objects, minus those whose field types are broken. */
export function wellFormedView(snapshot: Snapshot, opts: WellFormedOptions = {}): Snapshot {
  const keep = !!opts.keepPolicies;
  return {
    ...snapshot,
    namespaces: snapshot.namespaces.filter((n) => isObj(n) && metaOk(n as unknown as Obj)),
    pods: snapshot.pods.filter(podOk),
    networkPolicies: keep ? snapshot.networkPolicies : snapshot.networkPolicies.filter(networkPolicyOk),
    adminNetworkPolicies: keep
      ? snapshot.adminNetworkPolicies
      : snapshot.adminNetworkPolicies.filter(adminPolicyOk),
    baselineAdminNetworkPolicies: keep
      ? snapshot.baselineAdminNetworkPolicies
      : snapshot.baselineAdminNetworkPolicies.filter(adminPolicyOk),
    clusterNetworkPolicies: keep
      ? snapshot.clusterNetworkPolicies
      : snapshot.clusterNetworkPolicies.filter(adminPolicyOk),
  };
}

/** Objects `wellFormedView` leaves out (with the same options), as `Kind ns/name`. */
export function malformedObjects(snapshot: Snapshot, opts: WellFormedOptions = {}): string[] {
  const out: string[] = [];
  const name = (o: unknown, kind: string) => {
    const m = isObj(o) && isObj(o.metadata) ? o.metadata : {};
    return `${kind} ${typeof m.namespace === 'string' ? `${m.namespace}/` : ''}${typeof m.name === 'string' ? m.name : '?'}`;
  };
  for (const n of snapshot.namespaces)
    if (!(isObj(n) && metaOk(n as unknown as Obj))) out.push(name(n, 'Namespace'));
  for (const p of snapshot.pods) if (!podOk(p)) out.push(name(p, 'Pod'));
  if (opts.keepPolicies) return out;
  for (const p of snapshot.networkPolicies) if (!networkPolicyOk(p)) out.push(name(p, 'NetworkPolicy'));
  for (const [kind, list] of [
    ['AdminNetworkPolicy', snapshot.adminNetworkPolicies],
    ['BaselineAdminNetworkPolicy', snapshot.baselineAdminNetworkPolicies],
    ['ClusterNetworkPolicy', snapshot.clusterNetworkPolicies],
  ] as const)
    for (const p of list) if (!adminPolicyOk(p)) out.push(name(p, kind));
  return out;
}
