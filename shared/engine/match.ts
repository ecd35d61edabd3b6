/**
 * Matching primitives shared by the trace (with explanations) and the matrix (fast path).
 * Each `check*` function returns the same verdict as its fast counterpart plus the reasons.
 */
import type { LabelSelector, Labels, Protocol } from '../k8s/types';
import { cidrContainsIp } from '../snapshot/ip';
import type { Endpoint, NamedPort } from './cluster';
import { NS_NAME_LABEL } from './cluster';
import type { NamespaceMatch, PeerIR, PortIR, SubjectIR } from './model';
import { formatSelector, matchesSelector } from './selector';
import type { Mismatch, PeerEvaluation, PortEvaluation, SelectorCheck } from './types';

/** The flow being judged: protocol and the destination port number (null: a named port the destination lacks). */
export interface Flow {
  protocol: Protocol;
  port: number | null;
  portName?: string;
}

export interface MatchOptions {
  ipBlockMatchesPodIPs: boolean;
}

// ---------------------------------------------------------------- fast path

export function namespaceMatches(m: NamespaceMatch, ns: string | undefined, nsLabels: Labels): boolean {
  if (ns === undefined) return false;
  return m.kind === 'name' ? m.name === ns : matchesSelector(m.selector, nsLabels);
}

export function subjectSelects(s: SubjectIR, ep: Endpoint): boolean {
  if (!ep.selectable) return false;
  if (s.namespaces && !namespaceMatches(s.namespaces, ep.namespace, ep.namespaceLabels)) return false;
  return !s.pods || matchesSelector(s.pods, ep.labels);
}

export function cidrPeerMatchesIp(peer: Extract<PeerIR, { kind: 'cidr' }>, ep: Endpoint): boolean {
  if (!ep.ip || !peer.parsed || !cidrContainsIp(peer.parsed, ep.ip)) return false;
  for (const e of peer.parsedExcept) if (e && cidrContainsIp(e, ep.ip)) return false;
  return true;
}

/** Can this CIDR peer see the endpoint at all (ipBlock vs pods/nodes is implementation-defined)? */
export function cidrPeerSees(
  peer: Extract<PeerIR, { kind: 'cidr' }>,
  ep: Endpoint,
  opts: MatchOptions,
): boolean {
  if (peer.source === 'networks') return true;
  return opts.ipBlockMatchesPodIPs || (ep.kind !== 'pod' && !ep.isNodeAddress);
}

export function peerMatches(peer: PeerIR, ep: Endpoint, opts: MatchOptions): boolean {
  switch (peer.kind) {
    case 'pods':
      return (
        ep.selectable &&
        namespaceMatches(peer.namespaces, ep.namespace, ep.namespaceLabels) &&
        (!peer.pods || matchesSelector(peer.pods, ep.labels))
      );
    case 'cidr':
      return cidrPeerSees(peer, ep, opts) && cidrPeerMatchesIp(peer, ep);
    case 'nodes':
      return ep.isNodeAddress && !!ep.nodeLabels && matchesSelector(peer.selector, ep.nodeLabels);
    case 'domains':
    case 'invalid':
      return false;
  }
}

/** Same verdict as `checkPort(p, flow, dst) === undefined`, without building the explanation. */
export function portMatches(p: PortIR, flow: Flow, dst: Endpoint): boolean {
  return portMatchesOn(p, flow, dst.namedPorts);
}

/** `portMatches` for a destination that exposes `namedPorts`. */
export function portMatchesOn(p: PortIR, flow: Flow, namedPorts: readonly NamedPort[]): boolean {
  if (p.protocol !== 'any' && p.protocol !== flow.protocol) return false;
  const port = flow.port;
  if (port === null) return false;
  if (p.name !== undefined) {
    // a named port the destination exposes for the flow's protocol, at the flow's port
    for (const np of namedPorts)
      if (np.name === p.name && np.protocol === flow.protocol && np.port === port) return true;
    return false;
  }
  if (p.port === undefined) return true;
  return port >= p.port && port <= (p.endPort ?? p.port);
}

// ---------------------------------------------------------------- explained path

function qualify(target: 'pod' | 'namespace' | 'node', name: string | undefined): string {
  return name ? `${target} ${name}` : target;
}

/** Requirement-by-requirement check of a label selector, with one mismatch per failing requirement. */
export function checkSelector(
  selector: LabelSelector,
  labels: Labels,
  target: 'pod' | 'namespace' | 'node',
  targetName: string | undefined,
): SelectorCheck {
  const mismatches: Mismatch[] = [];
  const who = qualify(target, targetName);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  const nsHint = (key: string): string => {
    if (target !== 'namespace' || key !== 'name' || labels[NS_NAME_LABEL] === undefined) return '';
    return ` (it has ${NS_NAME_LABEL}=${labels[NS_NAME_LABEL]})`;
  };
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(k)) {
      mismatches.push({
        code: target === 'namespace' ? 'namespace-label-missing' : 'label-missing',
        target,
        targetName,
        key: k,
        expected: v,
        message: `${who} has no label \`${k}\`${nsHint(k)}`,
      });
    } else if (labels[k] !== v) {
      mismatches.push({
        code: target === 'namespace' ? 'namespace-label-differs' : 'label-value-differs',
        target,
        targetName,
        key: k,
        expected: v,
        actual: labels[k],
        message: `${who} has ${k}=${labels[k]}, not ${k}=${v}`,
      });
    }
  }
  for (const e of selector.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has(e.key))
          mismatches.push({
            code: target === 'namespace' ? 'namespace-label-missing' : 'label-missing',
            target,
            targetName,
            key: e.key,
            expected: values,
            message: `${who} has no label \`${e.key}\` (needs one of ${values.join(', ')})${nsHint(e.key)}`,
          });
        else if (!values.includes(labels[e.key]))
          mismatches.push({
            code: 'label-not-in-values',
            target,
            targetName,
            key: e.key,
            expected: values,
            actual: labels[e.key],
            message: `${who} has ${e.key}=${labels[e.key]}, which is not one of ${values.join(', ')}`,
          });
        break;
      case 'NotIn':
        if (has(e.key) && values.includes(labels[e.key]))
          mismatches.push({
            code: 'label-in-excluded-values',
            target,
            targetName,
            key: e.key,
            expected: values,
            actual: labels[e.key],
            message: `${who} has ${e.key}=${labels[e.key]}, which the selector excludes (notin ${values.join(', ')})`,
          });
        break;
      case 'Exists':
        if (!has(e.key))
          mismatches.push({
            code: target === 'namespace' ? 'namespace-label-missing' : 'label-missing',
            target,
            targetName,
            key: e.key,
            message: `${who} has no label \`${e.key}\``,
          });
        break;
      case 'DoesNotExist':
        if (has(e.key))
          mismatches.push({
            code: 'label-must-be-absent',
            target,
            targetName,
            key: e.key,
            actual: labels[e.key],
            message: `${who} has label ${e.key}=${labels[e.key]}, which must be absent`,
          });
        break;
      default:
        mismatches.push({
          code: 'label-value-differs',
          target,
          targetName,
          key: e.key,
          message: `unknown selector operator ${String(e.operator)} matches nothing`,
        });
    }
  }
  return { selector: formatSelector(selector), target, matched: mismatches.length === 0, mismatches };
}

export function checkNamespace(m: NamespaceMatch, ep: Endpoint, whose: string): SelectorCheck {
  if (m.kind === 'name') {
    const matched = ep.namespace === m.name;
    return {
      selector: `${NS_NAME_LABEL}=${m.name}`,
      target: 'namespace',
      matched,
      mismatches: matched
        ? []
        : [
            {
              code: 'namespace-differs',
              target: 'namespace',
              targetName: ep.namespace,
              expected: m.name,
              actual: ep.namespace,
              message: `${whose} selects pods in namespace ${m.name} only; ${ep.key} is in namespace ${ep.namespace}`,
            },
          ],
    };
  }
  return checkSelector(m.selector, ep.namespaceLabels, 'namespace', ep.namespace);
}

export function describePeer(peer: PeerIR): string {
  switch (peer.kind) {
    case 'pods': {
      const pods = peer.pods ? `pods ${formatSelector(peer.pods)}` : 'all pods';
      const ns =
        peer.namespaces.kind === 'name'
          ? `in namespace ${peer.namespaces.name}`
          : `in namespaces ${formatSelector(peer.namespaces.selector)}`;
      return `${pods} ${ns}`;
    }
    case 'cidr':
      return `${peer.source === 'ipBlock' ? 'ipBlock' : 'network'} ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(', ')}` : ''}`;
    case 'nodes':
      return `nodes ${formatSelector(peer.selector)}`;
    case 'domains':
      return `domain names ${peer.names.join(', ')}`;
    case 'invalid':
      return `invalid peer (${peer.reason})`;
  }
}

function endpointWords(ep: Endpoint): string {
  if (ep.kind === 'external') return ep.node ? `${ep.ipText} (node ${ep.node})` : `${ep.ipText ?? ep.key}`;
  return ep.key;
}

export function checkPeer(peer: PeerIR, index: number, ep: Endpoint, opts: MatchOptions): PeerEvaluation {
  const checks: SelectorCheck[] = [];
  const mismatches: Mismatch[] = [];
  const description = describePeer(peer);
  const whose = `peer ${index + 1}`;
  switch (peer.kind) {
    case 'pods': {
      if (!ep.selectable) {
        mismatches.push(
          ep.hostNetwork
            ? {
                code: 'host-network',
                target: 'pod',
                targetName: ep.key,
                message: `${ep.key} uses the host network: pod and namespace selectors do not select it (its traffic is node traffic)`,
              }
            : {
                code: 'not-a-pod',
                target: 'address',
                targetName: ep.ipText,
                message: `${endpointWords(ep)} is not a pod: pod and namespace selectors never match it`,
              },
        );
        break;
      }
      const nsCheck = checkNamespace(peer.namespaces, ep, whose);
      checks.push(nsCheck);
      mismatches.push(...nsCheck.mismatches);
      if (peer.pods) {
        const podCheck = checkSelector(peer.pods, ep.labels, 'pod', ep.key);
        checks.push(podCheck);
        mismatches.push(...podCheck.mismatches);
      }
      break;
    }
    case 'cidr': {
      if (!cidrPeerSees(peer, ep, opts)) {
        mismatches.push({
          code: 'ipblock-skips-pods',
          target: 'address',
          targetName: ep.ipText,
          message: `${endpointWords(ep)} is ${ep.kind === 'pod' && !ep.hostNetwork ? 'a pod' : 'a node address'}; under this CNI an ipBlock does not match ${ep.kind === 'pod' && !ep.hostNetwork ? 'pod IPs' : 'node IPs'}`,
        });
        break;
      }
      if (!ep.ip) {
        mismatches.push({
          code: 'ip-outside-cidr',
          target: 'address',
          targetName: ep.key,
          message: `${ep.key} has no IP address`,
        });
        break;
      }
      if (!peer.parsed || !cidrContainsIp(peer.parsed, ep.ip)) {
        mismatches.push({
          code: 'ip-outside-cidr',
          target: 'address',
          targetName: ep.ipText,
          expected: peer.cidr,
          actual: ep.ipText,
          message: peer.parsed ? `${ep.ipText} is outside ${peer.cidr}` : `${peer.cidr} is not a valid CIDR`,
        });
        break;
      }
      peer.parsedExcept.forEach((e, i) => {
        if (e && cidrContainsIp(e, ep.ip!))
          mismatches.push({
            code: 'ip-in-except',
            target: 'address',
            targetName: ep.ipText,
            expected: peer.except[i],
            actual: ep.ipText,
            message: `${ep.ipText} is in ${peer.cidr} but also in its except ${peer.except[i]}`,
          });
      });
      break;
    }
    case 'nodes': {
      if (!ep.isNodeAddress || !ep.nodeLabels) {
        mismatches.push({
          code: 'not-a-pod',
          target: 'node',
          targetName: ep.key,
          message: `${endpointWords(ep)} is not a node address`,
        });
        break;
      }
      const c = checkSelector(peer.selector, ep.nodeLabels, 'node', ep.node);
      checks.push(c);
      mismatches.push(...c.mismatches);
      break;
    }
    case 'domains':
      mismatches.push({
        code: 'ip-outside-cidr',
        target: 'address',
        targetName: ep.key,
        message: `domain names (${peer.names.join(', ')}) cannot be resolved from a snapshot; treated as not matching`,
      });
      break;
    case 'invalid':
      mismatches.push({
        code: 'not-a-pod',
        target: 'address',
        targetName: ep.key,
        message: `the peer is invalid (${peer.reason}) and fails closed`,
      });
      break;
  }
  return { index, description, matched: mismatches.length === 0, checks, mismatches };
}

function portFlowText(flow: Flow): string {
  return flow.port === null ? `${flow.portName}/${flow.protocol}` : `${flow.port}/${flow.protocol}`;
}

/** undefined = matches; otherwise the reason it does not. */
export function checkPort(p: PortIR, flow: Flow, dst: Endpoint): Mismatch | undefined {
  if (p.protocol !== 'any' && p.protocol !== flow.protocol) {
    return {
      code: 'protocol-differs',
      target: 'port',
      expected: p.protocol,
      actual: flow.protocol,
      message: `the rule allows ${p.text}, the flow is ${portFlowText(flow)}`,
    };
  }
  if (flow.port === null) {
    return {
      code: 'named-port-missing',
      target: 'port',
      targetName: dst.key,
      expected: flow.portName,
      message: `${dst.key} exposes no ${flow.protocol} port named ${flow.portName}`,
    };
  }
  if (p.name !== undefined) {
    const candidates = dst.namedPorts.filter(
      (np) => np.name === p.name && (p.protocol === 'any' || np.protocol === p.protocol),
    );
    const same = candidates.filter((np) => np.protocol === flow.protocol);
    if (same.length === 0) {
      return {
        code: 'named-port-missing',
        target: 'port',
        targetName: dst.key,
        expected: p.name,
        message: candidates.length
          ? `named port ${p.name} on ${dst.key} is ${candidates[0].port}/${candidates[0].protocol}, the flow is ${portFlowText(flow)}`
          : `${dst.key} exposes no ${p.protocol === 'any' ? '' : `${p.protocol} `}port named ${p.name}`,
      };
    }
    if (!same.some((np) => np.port === flow.port)) {
      return {
        code: 'port-differs',
        target: 'port',
        targetName: dst.key,
        expected: `${p.name}=${same[0].port}`,
        actual: String(flow.port),
        message: `named port ${p.name} is ${same[0].port}/${same[0].protocol} on ${dst.key}, the flow is ${portFlowText(flow)}`,
      };
    }
    return undefined;
  }
  if (p.port === undefined) return undefined;
  const end = p.endPort ?? p.port;
  if (flow.port < p.port || flow.port > end) {
    return {
      code: 'port-differs',
      target: 'port',
      expected: p.endPort !== undefined ? `${p.port}-${end}` : String(p.port),
      actual: String(flow.port),
      message: `the rule allows ${p.text}, the flow is ${portFlowText(flow)}`,
    };
  }
  return undefined;
}

export function checkPorts(ports: PortIR[], flow: Flow, dst: Endpoint): PortEvaluation[] {
  return ports.map((p, index) => {
    const mismatch = checkPort(p, flow, dst);
    return mismatch
      ? { index, description: p.text, matched: false, mismatch }
      : { index, description: p.text, matched: true };
  });
}
