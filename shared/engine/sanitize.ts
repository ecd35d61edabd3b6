/**
 * Structural coercion of policy objects before compilation. The loader keeps invalid objects (and reports
 * them); the engine must still evaluate without crashing, and anything it cannot read fails closed:
 * a malformed selector matches nothing, a malformed peer matches nothing, a malformed port matches nothing.
 */
import type { LabelSelector } from '../k8s/types';

type Obj = Record<string, unknown>;

/** a selector that never matches (a required key no label can have) */
export const NEVER: LabelSelector = {
  matchExpressions: [{ key: '\u0000invalid-selector', operator: 'Exists' }],
};
/** marker for a peer/port the engine cannot read */
export const INVALID = '\u0000invalid';

export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** undefined when absent; NEVER when malformed */
export function selector(x: unknown): LabelSelector | undefined {
  if (x === undefined || x === null) return undefined;
  if (!isObj(x)) return NEVER;
  const out: LabelSelector = {};
  if (x.matchLabels !== undefined && x.matchLabels !== null) {
    if (!isObj(x.matchLabels)) return NEVER;
    const ml: Record<string, string> = {};
    for (const [k, v] of Object.entries(x.matchLabels)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return NEVER;
      ml[k] = String(v);
    }
    out.matchLabels = ml;
  }
  if (x.matchExpressions !== undefined && x.matchExpressions !== null) {
    if (!Array.isArray(x.matchExpressions)) return NEVER;
    out.matchExpressions = [];
    for (const e of x.matchExpressions) {
      if (!isObj(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') return NEVER;
      const values = Array.isArray(e.values) ? e.values.map(String) : undefined;
      if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return NEVER;
      out.matchExpressions.push({ key: e.key, operator: e.operator as 'In', ...(values ? { values } : {}) });
    }
  }
  return out;
}

/** undefined when absent, the array when an array, 'invalid' otherwise */
export function list(x: unknown): unknown[] | undefined | 'invalid' {
  if (x === undefined || x === null) return undefined;
  return Array.isArray(x) ? x : 'invalid';
}

export function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined;
}

export function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

export function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];
}

// ---------------------------------------------------------------- per family

import type {
  AdminNetworkPolicyPeer,
  AdminNetworkPolicyPort,
  AdminNetworkPolicySubject,
  ClusterNetworkPolicyProtocol,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../k8s/types';

function npPeer(x: unknown): NetworkPolicyPeer {
  if (!isObj(x)) return {};
  const out: NetworkPolicyPeer = {};
  if (x.ipBlock !== undefined && x.ipBlock !== null) {
    if (!isObj(x.ipBlock)) return {};
    return { ipBlock: { cidr: str(x.ipBlock.cidr) ?? INVALID, except: strings(x.ipBlock.except) } };
  }
  const ps = selector(x.podSelector);
  const ns = selector(x.namespaceSelector);
  if (ps) out.podSelector = ps;
  if (ns) out.namespaceSelector = ns;
  return out;
}

function npPort(x: unknown): NetworkPolicyPort {
  if (!isObj(x)) return { protocol: INVALID as 'TCP' };
  const out: NetworkPolicyPort = {};
  if (x.protocol !== undefined && x.protocol !== null)
    out.protocol = (typeof x.protocol === 'string' ? x.protocol : INVALID) as 'TCP';
  if (x.port !== undefined && x.port !== null) {
    if (typeof x.port === 'number' || typeof x.port === 'string') out.port = x.port;
    else out.protocol = INVALID as 'TCP';
  }
  const ep = num(x.endPort);
  if (ep !== undefined) out.endPort = ep;
  return out;
}

function npRules(x: unknown, peerKey: 'from' | 'to'): NetworkPolicy['spec']['ingress'] {
  const l = list(x);
  if (l === undefined) return undefined;
  if (l === 'invalid') return [{ [peerKey]: [{}] }];
  return l.map((r) => {
    if (!isObj(r)) return { [peerKey]: [{}] };
    const out: Record<string, unknown> = {};
    const peers = list(r[peerKey]);
    if (peers === 'invalid') out[peerKey] = [{}];
    else if (peers) out[peerKey] = peers.map(npPeer);
    const ports = list(r.ports);
    if (ports === 'invalid') out.ports = [{ protocol: INVALID }];
    else if (ports) out.ports = ports.map(npPort);
    return out;
  });
}

export function cleanNetworkPolicy(raw: unknown): NetworkPolicy {
  const o = isObj(raw) ? raw : {};
  const md = isObj(o.metadata) ? o.metadata : {};
  const spec = isObj(o.spec) ? o.spec : {};
  const types = Array.isArray(spec.policyTypes)
    ? (spec.policyTypes.filter((t) => t === 'Ingress' || t === 'Egress') as ('Ingress' | 'Egress')[])
    : undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: str(md.name) ?? '<unnamed>', namespace: str(md.namespace) ?? 'default' },
    spec: {
      podSelector: selector(spec.podSelector) ?? {},
      ...(types && types.length ? { policyTypes: types } : {}),
      ingress: npRules(spec.ingress, 'from'),
      egress: npRules(spec.egress, 'to') as NetworkPolicy['spec']['egress'],
    },
  };
}

export function cleanSubject(x: unknown): AdminNetworkPolicySubject {
  if (!isObj(x)) return {};
  if (x.namespaces !== undefined && x.namespaces !== null)
    return { namespaces: selector(x.namespaces) ?? NEVER };
  if (isObj(x.pods))
    return {
      pods: {
        namespaceSelector: selector(x.pods.namespaceSelector) ?? {},
        podSelector: selector(x.pods.podSelector) ?? {},
      },
    };
  return {};
}

function adminPeer(x: unknown): AdminNetworkPolicyPeer {
  if (!isObj(x)) return {};
  const out: AdminNetworkPolicyPeer = {};
  if (x.namespaces !== undefined && x.namespaces !== null) out.namespaces = selector(x.namespaces) ?? NEVER;
  if (x.pods !== undefined && x.pods !== null)
    out.pods = isObj(x.pods)
      ? {
          namespaceSelector: selector(x.pods.namespaceSelector) ?? {},
          podSelector: selector(x.pods.podSelector) ?? {},
        }
      : { namespaceSelector: NEVER, podSelector: NEVER };
  if (x.nodes !== undefined && x.nodes !== null) out.nodes = selector(x.nodes) ?? NEVER;
  if (Array.isArray(x.networks)) out.networks = x.networks.map((n) => str(n) ?? INVALID);
  if (Array.isArray(x.domainNames)) out.domainNames = strings(x.domainNames);
  return out;
}

function adminPort(x: unknown): AdminNetworkPolicyPort {
  if (!isObj(x)) return {};
  if (isObj(x.portNumber)) {
    const port = num(x.portNumber.port);
    return port === undefined ? {} : { portNumber: { protocol: str(x.portNumber.protocol) as 'TCP', port } };
  }
  if (isObj(x.portRange)) {
    const start = num(x.portRange.start);
    const end = num(x.portRange.end);
    return start === undefined || end === undefined
      ? {}
      : { portRange: { protocol: str(x.portRange.protocol) as 'TCP', start, end } };
  }
  if (typeof x.namedPort === 'string') return { namedPort: x.namedPort };
  return {};
}

function cnpProtocol(x: unknown): ClusterNetworkPolicyProtocol {
  if (!isObj(x)) return {};
  if (typeof x.destinationNamedPort === 'string') return { destinationNamedPort: x.destinationNamedPort };
  const out: ClusterNetworkPolicyProtocol = {};
  for (const k of ['tcp', 'udp', 'sctp'] as const) {
    const v = x[k];
    if (v === undefined || v === null) continue;
    if (!isObj(v)) return {};
    if (v.destinationPort === undefined || v.destinationPort === null) {
      out[k] = {};
      continue;
    }
    if (!isObj(v.destinationPort)) return {};
    const n = num(v.destinationPort.number);
    const r = isObj(v.destinationPort.range) ? v.destinationPort.range : undefined;
    const start = num(r?.start);
    const end = num(r?.end);
    if (n !== undefined) out[k] = { destinationPort: { number: n } };
    else if (start !== undefined && end !== undefined)
      out[k] = { destinationPort: { range: { start, end } } };
    else return {};
  }
  return out;
}

export interface CleanAdminRule {
  name?: string;
  action: string;
  from?: AdminNetworkPolicyPeer[];
  to?: AdminNetworkPolicyPeer[];
  ports?: AdminNetworkPolicyPort[];
  protocols?: ClusterNetworkPolicyProtocol[];
}

export function cleanAdminRules(x: unknown): CleanAdminRule[] | undefined {
  const l = list(x);
  if (l === undefined) return undefined;
  if (l === 'invalid') return [{ action: INVALID }];
  return l.map((r) => {
    if (!isObj(r)) return { action: INVALID };
    const out: CleanAdminRule = { action: typeof r.action === 'string' ? r.action : INVALID };
    const name = str(r.name);
    if (name) out.name = name;
    for (const k of ['from', 'to'] as const) {
      const peers = list(r[k]);
      if (peers === 'invalid') out[k] = [{}];
      else if (peers) out[k] = peers.map(adminPeer);
    }
    const ports = list(r.ports);
    if (ports === 'invalid') out.ports = [{}];
    else if (ports) out.ports = ports.map(adminPort);
    const protocols = list(r.protocols);
    if (protocols === 'invalid') out.protocols = [{}];
    else if (protocols) out.protocols = protocols.map(cnpProtocol);
    return out;
  });
}
