import { cidrWithin } from './ip';
import {
  Issues,
  checkCidr,
  checkIp,
  checkLabelSelector,
  checkLabels,
  checkList,
  checkName,
  checkPortNumber,
  checkPortOrName,
  checkProtocol,
  checkStringMap,
  isIanaSvcName,
  isObject,
} from './validate-fields';
import type { NameRule } from './validate-fields';
import type { PathSegment } from './source-text';

/** The kinds the loader knows, after telling Calico's NetworkPolicy apart from Kubernetes'. */
export type KnownKind =
  | 'Namespace'
  | 'Pod'
  | 'Service'
  | 'Node'
  | 'ConfigMap'
  | 'DaemonSet'
  | 'Deployment'
  | 'NetworkPolicy'
  | 'AdminNetworkPolicy'
  | 'BaselineAdminNetworkPolicy'
  | 'ClusterNetworkPolicy'
  | 'CiliumNetworkPolicy'
  | 'CiliumClusterwideNetworkPolicy'
  | 'CalicoNetworkPolicy'
  | 'CalicoGlobalNetworkPolicy'
  | 'CalicoTier';

export const NAMESPACED: ReadonlySet<KnownKind> = new Set<KnownKind>([
  'Pod',
  'Service',
  'ConfigMap',
  'DaemonSet',
  'Deployment',
  'NetworkPolicy',
  'CiliumNetworkPolicy',
  'CalicoNetworkPolicy',
]);

const NAME_RULE: Partial<Record<KnownKind, NameRule>> = { Namespace: 'label', Service: 'dns1035' };

type Obj = Record<string, unknown>;

/** Validates one object the way the API server (or the CRD schema and its CEL rules) would. */
export function validateObject(kind: KnownKind, obj: Obj): Issues {
  const issues = new Issues();
  const meta = isObject(obj.metadata) ? obj.metadata : undefined;
  if (!meta) issues.required(['metadata']);
  else {
    checkName(issues, ['metadata', 'name'], meta.name, NAME_RULE[kind] ?? 'subdomain');
    if (meta.namespace !== undefined && NAMESPACED.has(kind))
      checkName(issues, ['metadata', 'namespace'], meta.namespace, 'label');
    checkLabels(issues, ['metadata', 'labels'], meta.labels);
    checkStringMap(issues, ['metadata', 'annotations'], meta.annotations);
  }
  const spec = obj.spec;
  switch (kind) {
    case 'Pod':
      validatePod(issues, obj);
      break;
    case 'Service':
      validateService(issues, spec);
      break;
    case 'Node':
      validateNode(issues, obj);
      break;
    case 'NetworkPolicy':
      validateNetworkPolicy(issues, spec);
      break;
    case 'AdminNetworkPolicy':
      validateAdminPolicy(issues, spec, 'ANP');
      break;
    case 'BaselineAdminNetworkPolicy':
      if (meta && meta.name !== 'default')
        issues.invalid(
          ['metadata', 'name'],
          meta.name,
          'only one baseline admin policy is supported: its name must be "default"',
        );
      validateAdminPolicy(issues, spec, 'BANP');
      break;
    case 'ClusterNetworkPolicy':
      validateClusterNetworkPolicy(issues, spec);
      break;
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      if (!isObject(obj.spec) && !Array.isArray(obj.specs))
        issues.required(['spec'], 'Required value: a Cilium policy needs `spec` or `specs`');
      break;
    case 'CalicoNetworkPolicy':
    case 'CalicoGlobalNetworkPolicy':
      if (spec !== undefined && !isObject(spec)) issues.invalid(['spec'], spec, 'must be an object');
      break;
    default:
      break;
  }
  return issues;
}

function validatePod(issues: Issues, obj: Obj): void {
  const spec = obj.spec;
  if (!isObject(spec)) {
    issues.required(['spec']);
    return;
  }
  if (!Array.isArray(spec.containers) || spec.containers.length === 0)
    issues.required(['spec', 'containers'], 'Required value: a pod needs at least one container');
  const seenNames = new Map<string, string>();
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = spec[list];
    if (!checkList(issues, ['spec', list], containers)) continue;
    containers.forEach((c, i) => {
      const p: PathSegment[] = ['spec', list, i];
      if (!isObject(c)) {
        issues.invalid(p, c, 'must be a container object');
        return;
      }
      if (typeof c.name !== 'string' || !c.name) issues.required([...p, 'name']);
      if (!checkList(issues, [...p, 'ports'], c.ports)) return;
      c.ports.forEach((port, j) => {
        // fast path for the common valid port: no allocations
        if (
          isObject(port) &&
          typeof port.containerPort === 'number' &&
          Number.isInteger(port.containerPort) &&
          port.containerPort >= 1 &&
          port.containerPort <= 65535 &&
          (port.protocol === undefined ||
            port.protocol === 'TCP' ||
            port.protocol === 'UDP' ||
            port.protocol === 'SCTP') &&
          (port.name === undefined ||
            (typeof port.name === 'string' && isIanaSvcName(port.name) && !seenNames.has(port.name)))
        ) {
          if (typeof port.name === 'string') seenNames.set(port.name, '');
          return;
        }
        const pp = [...p, 'ports', j];
        if (!isObject(port)) {
          issues.invalid(pp, port, 'must be a container port object');
          return;
        }
        checkPortNumber(issues, [...pp, 'containerPort'], port.containerPort);
        checkProtocol(issues, [...pp, 'protocol'], port.protocol);
        if (port.name !== undefined) {
          if (typeof port.name !== 'string' || !isIanaSvcName(port.name))
            issues.invalid(
              [...pp, 'name'],
              port.name,
              "must be an IANA_SVC_NAME (at most 15 characters, lower-case alphanumeric or '-', at least one letter)",
            );
          else {
            const proto = typeof port.protocol === 'string' ? port.protocol : 'TCP';
            const prev = seenNames.get(port.name);
            if (prev !== undefined)
              issues.add([...pp, 'name'], `Duplicate value: ${JSON.stringify(port.name)}`);
            seenNames.set(port.name, proto);
          }
        }
      });
    });
  }
  const status = obj.status;
  if (isObject(status)) {
    checkIp(issues, ['status', 'podIP'], status.podIP);
    if (checkList(issues, ['status', 'podIPs'], status.podIPs))
      status.podIPs.forEach((e, i) => checkIp(issues, ['status', 'podIPs', i, 'ip'], isObject(e) ? e.ip : e));
    checkIp(issues, ['status', 'hostIP'], status.hostIP);
  }
}

function validateService(issues: Issues, spec: unknown): void {
  if (!isObject(spec)) {
    issues.required(['spec']);
    return;
  }
  checkStringMap(issues, ['spec', 'selector'], spec.selector);
  if (!checkList(issues, ['spec', 'ports'], spec.ports)) return;
  spec.ports.forEach((port, i) => {
    const p = ['spec', 'ports', i];
    if (!isObject(port)) {
      issues.invalid(p, port, 'must be a service port object');
      return;
    }
    checkPortNumber(issues, [...p, 'port'], port.port);
    checkProtocol(issues, [...p, 'protocol'], port.protocol);
    if (port.targetPort !== undefined) checkPortOrName(issues, [...p, 'targetPort'], port.targetPort);
  });
}

function validateNode(issues: Issues, obj: Obj): void {
  const spec = obj.spec;
  if (isObject(spec)) {
    if (spec.podCIDR !== undefined) checkCidr(issues, ['spec', 'podCIDR'], spec.podCIDR);
    if (checkList(issues, ['spec', 'podCIDRs'], spec.podCIDRs))
      spec.podCIDRs.forEach((c, i) => checkCidr(issues, ['spec', 'podCIDRs', i], c));
  }
  const status = obj.status;
  if (isObject(status) && checkList(issues, ['status', 'addresses'], status.addresses))
    status.addresses.forEach((a, i) => {
      if (isObject(a) && (a.type === 'InternalIP' || a.type === 'ExternalIP'))
        checkIp(issues, ['status', 'addresses', i, 'address'], a.address);
    });
}

// ---------------------------------------------------------------- networking.k8s.io/v1

const POLICY_TYPES = ['Ingress', 'Egress'] as const;

function validateNetworkPolicy(issues: Issues, spec: unknown): void {
  if (!isObject(spec)) {
    issues.required(['spec']);
    return;
  }
  checkLabelSelector(issues, ['spec', 'podSelector'], spec.podSelector);
  for (const [dir, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = spec[dir];
    if (!checkList(issues, ['spec', dir], rules)) continue;
    rules.forEach((rule, i) => {
      const rp: PathSegment[] = ['spec', dir, i];
      if (rule === null) return; // `- {}` written as `-` : an empty rule
      if (!isObject(rule)) {
        issues.invalid(rp, rule, 'must be a rule object');
        return;
      }
      if (checkList(issues, [...rp, 'ports'], rule.ports))
        rule.ports.forEach((port, j) => validateNpPort(issues, [...rp, 'ports', j], port));
      if (checkList(issues, [...rp, peersKey], rule[peersKey]))
        rule[peersKey].forEach((peer, j) => validateNpPeer(issues, [...rp, peersKey, j], peer));
    });
  }
  const types = spec.policyTypes;
  if (checkList(issues, ['spec', 'policyTypes'], types)) {
    if (types.length > 2) issues.add(['spec', 'policyTypes'], 'Too many: may not have more than 2 items');
    const seen = new Set<unknown>();
    types.forEach((t, i) => {
      if (!(POLICY_TYPES as readonly unknown[]).includes(t))
        issues.unsupported(['spec', 'policyTypes', i], t, POLICY_TYPES);
      else if (seen.has(t)) issues.add(['spec', 'policyTypes', i], `Duplicate value: ${JSON.stringify(t)}`);
      seen.add(t);
    });
  }
}

function validateNpPort(issues: Issues, p: PathSegment[], port: unknown): void {
  if (port === null) return;
  if (!isObject(port)) {
    issues.invalid(p, port, 'must be a port object');
    return;
  }
  checkProtocol(issues, [...p, 'protocol'], port.protocol);
  if (port.port !== undefined && port.port !== null) checkPortOrName(issues, [...p, 'port'], port.port);
  if (port.endPort !== undefined && port.endPort !== null) {
    if (port.port === undefined || port.port === null)
      issues.required([...p, 'port'], 'Required value: must be specified when endPort is specified');
    else if (typeof port.port === 'string')
      issues.forbidden([...p, 'endPort'], 'may not be specified when port is non-numeric');
    else if (
      checkPortNumber(issues, [...p, 'endPort'], port.endPort) &&
      typeof port.port === 'number' &&
      port.endPort < port.port
    )
      issues.invalid([...p, 'endPort'], port.endPort, 'must be greater than or equal to port');
  }
}

function validateNpPeer(issues: Issues, p: PathSegment[], peer: unknown): void {
  if (!isObject(peer)) {
    issues.required(p, 'Required value: must specify a peer');
    return;
  }
  const has = (k: string) => peer[k] !== undefined && peer[k] !== null;
  const count = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(has).length;
  if (count === 0) {
    issues.required(p, 'Required value: must specify a peer');
    return;
  }
  if (has('ipBlock') && count > 1) issues.forbidden(p, 'may not specify both ipBlock and another peer');
  checkLabelSelector(issues, [...p, 'podSelector'], peer.podSelector);
  checkLabelSelector(issues, [...p, 'namespaceSelector'], peer.namespaceSelector);
  if (has('ipBlock')) {
    const ib = peer.ipBlock;
    if (!isObject(ib)) {
      issues.invalid([...p, 'ipBlock'], ib, 'must be an object with cidr and except');
      return;
    }
    const cidr = checkCidr(issues, [...p, 'ipBlock', 'cidr'], ib.cidr);
    if (checkList(issues, [...p, 'ipBlock', 'except'], ib.except))
      ib.except.forEach((e, i) => {
        const ep = [...p, 'ipBlock', 'except', i];
        const ex = checkCidr(issues, ep, e);
        if (cidr && ex && (!cidrWithin(ex, cidr) || ex.prefix === cidr.prefix))
          issues.invalid(ep, e, 'must be a strict subset of `cidr`');
      });
  }
}

// ---------------------------------------------------------------- policy.networking.k8s.io

function checkPriority(issues: Issues, spec: Obj): void {
  const pr = spec.priority;
  if (pr === undefined || pr === null) issues.required(['spec', 'priority']);
  else if (typeof pr !== 'number' || !Number.isInteger(pr) || pr < 0 || pr > 1000)
    issues.invalid(['spec', 'priority'], pr, 'must be an integer between 0 and 1000, inclusive');
}

function validateSubject(issues: Issues, subject: unknown): void {
  const p = ['spec', 'subject'];
  if (!isObject(subject)) {
    issues.required(p);
    return;
  }
  const set = ['namespaces', 'pods'].filter((k) => subject[k] !== undefined && subject[k] !== null);
  if (set.length !== 1) issues.invalid(p, subject, 'exactly one of `namespaces` or `pods` must be set');
  checkLabelSelector(issues, [...p, 'namespaces'], subject.namespaces);
  if (subject.pods !== undefined) validateNamespacedPod(issues, [...p, 'pods'], subject.pods);
}

function validateNamespacedPod(issues: Issues, p: PathSegment[], pods: unknown): void {
  if (!isObject(pods)) {
    issues.invalid(p, pods, 'must have namespaceSelector and podSelector');
    return;
  }
  for (const k of ['namespaceSelector', 'podSelector']) {
    if (pods[k] === undefined || pods[k] === null) issues.required([...p, k]);
    else checkLabelSelector(issues, [...p, k], pods[k]);
  }
}

const INGRESS_PEERS = ['namespaces', 'pods'];
const EGRESS_PEERS = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?\.?$/;

/** Validates an ANP/BANP/CNP peer; returns the peer kind set (for the named-port / domainNames cross checks). */
function validateAdminPeer(
  issues: Issues,
  p: PathSegment[],
  peer: unknown,
  egress: boolean,
): string | undefined {
  if (!isObject(peer)) {
    issues.invalid(p, peer, 'must be a peer object');
    return undefined;
  }
  const allowed = egress ? EGRESS_PEERS : INGRESS_PEERS;
  const set = Object.keys(peer).filter((k) => peer[k] !== undefined && peer[k] !== null);
  const known = set.filter((k) => allowed.includes(k));
  for (const k of set)
    if (!allowed.includes(k))
      issues.add(
        [...p, k],
        `Unsupported value: ${JSON.stringify(k)}: supported peer types: ${allowed.map((a) => `"${a}"`).join(', ')}`,
      );
  if (known.length !== 1) {
    issues.invalid(p, peer, `exactly one of ${allowed.map((a) => `\`${a}\``).join(', ')} must be set`);
    return known[0];
  }
  const k = known[0];
  if (k === 'namespaces' || k === 'nodes') checkLabelSelector(issues, [...p, k], peer[k]);
  else if (k === 'pods') validateNamespacedPod(issues, [...p, k], peer[k]);
  else if (k === 'networks') {
    const nets = peer.networks;
    if (checkList(issues, [...p, 'networks'], nets)) {
      if (nets.length < 1 || nets.length > 25)
        issues.invalid([...p, 'networks'], nets.length, 'must have between 1 and 25 items');
      nets.forEach((n, i) => checkCidr(issues, [...p, 'networks', i], n));
    }
  } else if (k === 'domainNames') {
    const names = peer.domainNames;
    if (checkList(issues, [...p, 'domainNames'], names)) {
      if (names.length < 1 || names.length > 25)
        issues.invalid([...p, 'domainNames'], names.length, 'must have between 1 and 25 items');
      names.forEach((n, i) => {
        if (typeof n !== 'string' || !DOMAIN_NAME.test(n))
          issues.invalid(
            [...p, 'domainNames', i],
            n,
            'must be a DNS name, optionally with a leading `*.` wildcard',
          );
      });
    }
  }
  return k;
}

function checkAdminPorts(issues: Issues, p: PathSegment[], ports: unknown): boolean {
  let named = false;
  if (!checkList(issues, p, ports)) return false;
  if (ports.length < 1 || ports.length > 100)
    issues.invalid(p, ports.length, 'must have between 1 and 100 items');
  ports.forEach((port, i) => {
    const pp = [...p, i];
    if (!isObject(port)) {
      issues.invalid(pp, port, 'must be a port object');
      return;
    }
    const set = ['portNumber', 'namedPort', 'portRange'].filter(
      (k) => port[k] !== undefined && port[k] !== null,
    );
    if (set.length !== 1)
      issues.invalid(pp, port, 'exactly one of `portNumber`, `namedPort` or `portRange` must be set');
    if (isObject(port.portNumber)) {
      checkProtocol(issues, [...pp, 'portNumber', 'protocol'], port.portNumber.protocol);
      checkPortNumber(issues, [...pp, 'portNumber', 'port'], port.portNumber.port);
    }
    if (port.namedPort !== undefined) {
      named = true;
      if (typeof port.namedPort !== 'string' || !port.namedPort)
        issues.invalid([...pp, 'namedPort'], port.namedPort, 'must be a port name');
    }
    if (isObject(port.portRange)) checkRange(issues, [...pp, 'portRange'], port.portRange, true);
  });
  return named;
}

function checkRange(issues: Issues, p: PathSegment[], range: Obj, withProtocol: boolean): void {
  if (withProtocol) checkProtocol(issues, [...p, 'protocol'], range.protocol);
  const okStart = checkPortNumber(issues, [...p, 'start'], range.start);
  const okEnd = checkPortNumber(issues, [...p, 'end'], range.end);
  if (okStart && okEnd && (range.start as number) >= (range.end as number))
    issues.invalid([...p, 'end'], range.end, 'must be greater than start');
}

function validateAdminRules(
  issues: Issues,
  spec: Obj,
  actions: readonly string[],
  maxRules: number,
  portsKey: 'ports' | 'protocols',
): void {
  for (const [dir, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = spec[dir];
    if (!checkList(issues, ['spec', dir], rules)) continue;
    if (rules.length > maxRules)
      issues.add(['spec', dir], `Too many: ${rules.length}: must have at most ${maxRules} items`);
    rules.forEach((rule, i) => {
      const rp: PathSegment[] = ['spec', dir, i];
      if (!isObject(rule)) {
        issues.invalid(rp, rule, 'must be a rule object');
        return;
      }
      if (rule.name !== undefined && (typeof rule.name !== 'string' || rule.name.length > 100))
        issues.invalid([...rp, 'name'], rule.name, 'must be a string of at most 100 characters');
      if (rule.action === undefined) issues.required([...rp, 'action']);
      else if (!actions.includes(rule.action as string))
        issues.unsupported([...rp, 'action'], rule.action, actions);
      const peers = rule[peersKey];
      const peerKinds = new Set<string>();
      if (peers === undefined || peers === null) issues.required([...rp, peersKey]);
      else if (checkList(issues, [...rp, peersKey], peers)) {
        if (peers.length < 1 || peers.length > 100)
          issues.invalid([...rp, peersKey], peers.length, 'must have between 1 and 100 items');
        peers.forEach((peer, j) => {
          const k = validateAdminPeer(issues, [...rp, peersKey, j], peer, dir === 'egress');
          if (k) peerKinds.add(k);
        });
      }
      const named =
        portsKey === 'ports'
          ? checkAdminPorts(issues, [...rp, 'ports'], rule.ports)
          : checkCnpProtocols(issues, [...rp, 'protocols'], rule.protocols);
      if (named && (peerKinds.has('nodes') || peerKinds.has('networks') || peerKinds.has('domainNames')))
        issues.forbidden(
          [...rp, portsKey],
          'a named port cannot be used with `nodes`, `networks` or `domainNames` peers',
        );
      if (peerKinds.has('domainNames') && rule.action !== 'Allow' && rule.action !== 'Accept')
        issues.forbidden(
          [...rp, peersKey],
          '`domainNames` peers may only be used in rules whose action allows traffic',
        );
    });
  }
}

function validateAdminPolicy(issues: Issues, spec: unknown, family: 'ANP' | 'BANP'): void {
  if (!isObject(spec)) {
    issues.required(['spec']);
    return;
  }
  if (family === 'ANP') checkPriority(issues, spec);
  validateSubject(issues, spec.subject);
  validateAdminRules(
    issues,
    spec,
    family === 'ANP' ? ['Allow', 'Deny', 'Pass'] : ['Allow', 'Deny'],
    100,
    'ports',
  );
}

const CNP_TIERS = ['Admin', 'Baseline'] as const;

function validateClusterNetworkPolicy(issues: Issues, spec: unknown): void {
  if (!isObject(spec)) {
    issues.required(['spec']);
    return;
  }
  if (spec.tier === undefined) issues.required(['spec', 'tier']);
  else if (!(CNP_TIERS as readonly unknown[]).includes(spec.tier))
    issues.unsupported(['spec', 'tier'], spec.tier, CNP_TIERS);
  checkPriority(issues, spec);
  validateSubject(issues, spec.subject);
  validateAdminRules(issues, spec, ['Accept', 'Deny', 'Pass'], 25, 'protocols');
}

function checkCnpProtocols(issues: Issues, p: PathSegment[], protocols: unknown): boolean {
  let named = false;
  if (!checkList(issues, p, protocols)) return false;
  protocols.forEach((proto, i) => {
    const pp = [...p, i];
    if (!isObject(proto)) {
      issues.invalid(pp, proto, 'must be a protocol object');
      return;
    }
    const keys = ['tcp', 'udp', 'sctp', 'destinationNamedPort'];
    const set = keys.filter((k) => proto[k] !== undefined && proto[k] !== null);
    if (set.length !== 1)
      issues.invalid(pp, proto, 'exactly one of `tcp`, `udp`, `sctp` or `destinationNamedPort` must be set');
    for (const k of Object.keys(proto)) if (!keys.includes(k)) issues.unsupported([...pp, k], k, keys);
    for (const k of ['tcp', 'udp', 'sctp']) {
      const v = proto[k];
      if (v === undefined || v === null) continue;
      if (!isObject(v)) {
        issues.invalid([...pp, k], v, 'must be an object');
        continue;
      }
      const dp = v.destinationPort;
      if (dp === undefined || dp === null) continue;
      if (!isObject(dp)) {
        issues.invalid([...pp, k, 'destinationPort'], dp, 'must be an object');
        continue;
      }
      const dset = ['number', 'range'].filter((x) => dp[x] !== undefined && dp[x] !== null);
      if (dset.length !== 1)
        issues.invalid([...pp, k, 'destinationPort'], dp, 'exactly one of `number` or `range` must be set');
      if (dp.number !== undefined)
        checkPortNumber(issues, [...pp, k, 'destinationPort', 'number'], dp.number);
      if (isObject(dp.range)) checkRange(issues, [...pp, k, 'destinationPort', 'range'], dp.range, false);
    }
    if (proto.destinationNamedPort !== undefined) {
      named = true;
      if (typeof proto.destinationNamedPort !== 'string' || !proto.destinationNamedPort)
        issues.invalid([...pp, 'destinationNamedPort'], proto.destinationNamedPort, 'must be a port name');
    }
  });
  return named;
}
