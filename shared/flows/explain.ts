/**
 * "Explain this flow": turn a Hubble flow into the engine's question, and compare what Hubble saw with
 * what the policies in the snapshot say. A disagreement is itself a finding.
 */
import type { TraceQuery, TraceResult } from '../engine/types';
import { dropReasonCode, dropReasonText } from './enums';
import { flowPorts, flowProtocol } from './match';
import type { Flow, FlowEndpoint, PolicyName } from './types';

const POLICY_DENIED = 133;
const POLICY_DENY = 181;
const AUTH_REQUIRED = 189;

function endpointName(ep: FlowEndpoint | undefined, ip: string | undefined): string | undefined {
  if (ep?.pod_name && ep.namespace) return `${ep.namespace}/${ep.pod_name}`;
  return ip || undefined;
}

export type FlowQuestion = TraceQuery & { protocol: 'TCP' | 'UDP' | 'SCTP'; port: number };

/**
 * The engine question for a flow: from/to as `ns/pod` (or the IP for non-pod peers), destination port and
 * protocol. For a reply packet (is_reply) the question is the original connection's direction.
 * Returns an error string when the flow cannot be asked about (no L4 ports, ICMP, no addresses).
 */
export function flowToQuestion(flow: Flow): FlowQuestion | { error: string } {
  const proto = flowProtocol(flow);
  if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')
    return {
      error: proto
        ? `${proto} flows have no port to evaluate; policies are evaluated per port`
        : 'the flow has no L4 information',
    };
  const { src, dst } = flowPorts(flow);
  let from = endpointName(flow.source, flow.IP?.source);
  let to = endpointName(flow.destination, flow.IP?.destination);
  let port = dst;
  if (flow.is_reply === true) {
    [from, to] = [to, from];
    port = src;
  }
  if (!from || !to) return { error: 'the flow has no source or destination address' };
  if (!port) return { error: 'the flow has no destination port' };
  return { from, to, port, protocol: proto };
}

/** Policies Hubble named on the flow (policy correlation), as `ns/name` or `name` for cluster-wide ones. */
export function flowPolicyNames(flow: Flow): { allowedBy: string[]; deniedBy: string[] } {
  const fmt = (ps: PolicyName[] | undefined) =>
    (ps ?? []).map((p) => (p.namespace ? `${p.namespace}/${p.name ?? ''}` : (p.name ?? '')));
  return {
    allowedBy: [...fmt(flow.egress_allowed_by), ...fmt(flow.ingress_allowed_by)],
    deniedBy: [...fmt(flow.egress_denied_by), ...fmt(flow.ingress_denied_by)],
  };
}

/** DROPPED with POLICY_DENIED and no policy named: the default deny of an isolated pod (no allow matched). */
export function isDefaultDeny(flow: Flow): boolean {
  if (flow.verdict !== 'DROPPED') return false;
  if (dropReasonCode(flow.drop_reason_desc ?? flow.drop_reason) !== POLICY_DENIED) return false;
  return !flow.egress_denied_by?.length && !flow.ingress_denied_by?.length;
}

/** Human label for a flow's policy outcome, e.g. "default deny, no allow matched". */
export function flowPolicyLabel(flow: Flow): string | undefined {
  if (isDefaultDeny(flow)) return 'default deny, no allow matched';
  const { deniedBy } = flowPolicyNames(flow);
  if (flow.verdict === 'DROPPED' && deniedBy.length) return `denied by ${deniedBy.join(', ')}`;
  return undefined;
}

export type HubbleOutcome = 'allowed' | 'denied' | 'dropped-other' | 'other';

/** What Hubble says about policy for this flow. AUDIT (policy audit mode) counts as "policies deny". */
export function hubbleOutcome(flow: Flow): HubbleOutcome {
  switch (flow.verdict) {
    case 'FORWARDED':
    case 'REDIRECTED':
      return 'allowed';
    case 'AUDIT':
      return 'denied';
    case 'DROPPED': {
      const code = dropReasonCode(flow.drop_reason_desc ?? flow.drop_reason);
      return code === POLICY_DENIED || code === POLICY_DENY || code === AUTH_REQUIRED
        ? 'denied'
        : 'dropped-other';
    }
    default:
      return 'other';
  }
}

export type FlowExplainCode =
  'agree' | 'stale-policy' | 'cni-not-enforcing' | 'unknown-endpoint' | 'not-comparable';

export interface FlowExplainFinding {
  code: FlowExplainCode;
  agrees: boolean;
  hubble: HubbleOutcome;
  engine?: 'allowed' | 'denied';
  /** one plain sentence */
  message: string;
  defaultDeny: boolean;
  notes: string[];
}

/**
 * Compares a Hubble flow with the engine's trace for the same question (or the engine's error, e.g. an
 * unknown endpoint). A mismatch is a finding: stale policy (Hubble dropped what the snapshot allows),
 * CNI not enforcing (Hubble forwarded what the snapshot denies), unknown endpoint.
 */
export function compareFlowWithTrace(flow: Flow, trace: TraceResult | { error: string }): FlowExplainFinding {
  const hubble = hubbleOutcome(flow);
  const defaultDeny = isDefaultDeny(flow);
  const notes: string[] = [];
  if ('error' in trace) {
    return {
      code: 'unknown-endpoint',
      agrees: false,
      hubble,
      defaultDeny,
      notes,
      message: `Hubble saw this flow but the snapshot cannot place it: ${trace.error}. The snapshot may be older than the pods in the flow; reload it.`,
    };
  }
  const engine = trace.verdict;
  const dir = String(flow.traffic_direction ?? '');
  for (const [side, ep, ip] of [
    ['source', trace.source, flow.IP?.source],
    ['destination', trace.destination, flow.IP?.destination],
  ] as const) {
    if (ep.kind === 'pod' && ep.ip && ip && ep.ip !== ip)
      notes.push(
        `The ${side} pod has IP ${ep.ip} in the snapshot but ${ip} in the flow: the snapshot may be stale.`,
      );
  }
  if (flow.verdict === 'AUDIT')
    notes.push(
      'AUDIT: Cilium is in policy audit mode, so the packet was forwarded although policy would drop it.',
    );
  if (hubble === 'dropped-other' || hubble === 'other') {
    return {
      code: 'not-comparable',
      agrees: false,
      hubble,
      engine,
      defaultDeny,
      notes,
      message:
        hubble === 'dropped-other'
          ? `Hubble dropped this flow for a reason that is not policy (${dropReasonText(flow.drop_reason_desc ?? flow.drop_reason)}); the policies ${engine === 'allowed' ? 'allow' : 'deny'} it.`
          : `Hubble's verdict ${String(flow.verdict ?? 'unknown')} says nothing about policy; the policies ${engine === 'allowed' ? 'allow' : 'deny'} it.`,
    };
  }
  if (hubble === engine) {
    if (engine === 'denied') {
      const side = trace.egress.decision === 'deny' ? 'egress' : 'ingress';
      if (dir && dir.toLowerCase() !== side)
        notes.push(`Hubble reports the drop at ${dir}; the engine finds the first denial at ${side}.`);
    }
    return {
      code: 'agree',
      agrees: true,
      hubble,
      engine,
      defaultDeny,
      notes,
      message:
        engine === 'denied'
          ? `The policies agree with Hubble: denied.${defaultDeny ? ' Hubble names no policy: default deny, no allow matched.' : ''} ${trace.explanation[0] ?? ''}`.trim()
          : `The policies agree with Hubble: allowed. ${trace.explanation[0] ?? ''}`.trim(),
    };
  }
  if (hubble === 'denied') {
    return {
      code: 'stale-policy',
      agrees: false,
      hubble,
      engine,
      defaultDeny,
      notes,
      message:
        'Hubble dropped this flow but the policies in the snapshot allow it: the datapath enforces a different policy set (a policy changed after the snapshot, a Cilium-specific or host policy the snapshot lacks, or the agent has not applied an update yet).',
    };
  }
  return {
    code: 'cni-not-enforcing',
    agrees: false,
    hubble,
    engine,
    defaultDeny,
    notes,
    message:
      'Hubble forwarded this flow but the policies in the snapshot deny it: the CNI is not enforcing these policies (policy enforcement off, audit mode, or a CNI without NetworkPolicy support), or the snapshot is stale.',
  };
}
