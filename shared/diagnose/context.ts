import type { DirectionTrace, EndpointInfo, LintFinding, TraceResult } from '../engine/types';
import type { Snapshot, CniFacts } from '../snapshot/types';
import { findPod } from './objects';
import { analyzeSide, type NpAnalysis, type PodEndpoint, type SideContext } from './np-analysis';
import type { Question } from './types';

/** One side of the connection where policies can select a pod. */
export interface SideInfo {
  ctx: SideContext;
  trace: DirectionTrace;
  denied: boolean;
  analyses: NpAnalysis[];
  /** "source" or "destination" */
  role: string;
}

export interface DiagnoseContext {
  snapshot: Snapshot;
  question: Question;
  trace: TraceResult;
  cni?: CniFacts;
  lint: LintFinding[];
  sides: SideInfo[];
}

export function endpointName(e: EndpointInfo): string {
  return e.kind === 'pod' ? `${e.namespace}/${e.name}` : e.node ? `${e.ip} (node ${e.node})` : e.ip;
}

export function isPolicyPod(e: EndpointInfo): e is PodEndpoint {
  return e.kind === 'pod' && !e.hostNetwork;
}

export function buildContext(
  snapshot: Snapshot,
  question: Question,
  trace: TraceResult,
  cni: CniFacts | undefined,
  lint: LintFinding[],
  engineIpBlockMatchesPodIPs?: boolean,
): DiagnoseContext {
  const sides: SideInfo[] = [];
  const dst = trace.destination;
  const destinationPod = dst.kind === 'pod' ? findPod(snapshot, dst.namespace, dst.name) : undefined;
  const ipBlockMatchesPodIPs = engineIpBlockMatchesPodIPs ?? (cni ? cni.ipBlockMatchesPodIPs : true);
  for (const direction of ['egress', 'ingress'] as const) {
    const subject = direction === 'egress' ? trace.source : trace.destination;
    const peer = direction === 'egress' ? trace.destination : trace.source;
    const dt = direction === 'egress' ? trace.egress : trace.ingress;
    if (!isPolicyPod(subject)) continue;
    const ctx: SideContext = {
      snapshot,
      direction,
      subject,
      peer,
      destinationPod,
      port: trace.query.port,
      protocol: trace.query.protocol,
      ipBlockMatchesPodIPs,
    };
    sides.push({
      ctx,
      trace: dt,
      denied: dt.decision === 'deny',
      analyses: analyzeSide(ctx),
      role: direction === 'egress' ? 'source' : 'destination',
    });
  }
  return { snapshot, question, trace, cni, lint, sides };
}
