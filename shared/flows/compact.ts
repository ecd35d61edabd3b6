/**
 * `hubble observe` compact output (cilium hubble/pkg/printer/printer.go, CompactOutput):
 * `Mar  2 10:15:42.118: frontend/web-…:51544 (ID:48213) -> backend/api-…:8080 (ID:30711) Policy denied DROPPED (TCP Flags: SYN)`.
 */
import { dropReasonText, POLICY_MATCH_TYPES, RESERVED_IDENTITIES, TRACE_POINTS } from './enums';
import { flowPorts } from './match';
import type { Flow } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.StampMilli ("Jan _2 15:04:05.000") in UTC, or N/A. */
export function formatStampMilli(rfc3339: string | undefined): string {
  const ms = rfc3339 ? Date.parse(rfc3339) : NaN;
  if (Number.isNaN(ms)) return 'N/A';
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function hostname(
  ip: string | undefined,
  port: number | undefined,
  ns: string | undefined,
  pod: string | undefined,
  svc: string | undefined,
  names: unknown,
): string {
  let host = ip ?? '';
  if (pod) host = ns ? `${ns}/${pod}` : pod;
  else if (svc) host = ns ? `${ns}/${svc}` : svc;
  else if (Array.isArray(names) && names.length) host = names.join(',');
  return port ? joinHostPort(host, String(port)) : host;
}

/** Source and destination as the CLI shows them (ns/pod:port, or IP:port). */
export function flowHostNames(flow: Flow): { src: string; dst: string } {
  const { src: sp, dst: dp } = flowPorts(flow);
  const ss = flow.source_service as { name?: string; namespace?: string } | undefined;
  const ds = flow.destination_service as { name?: string; namespace?: string } | undefined;
  return {
    src: hostname(
      flow.IP?.source,
      sp,
      ss?.namespace ?? flow.source?.namespace,
      flow.source?.pod_name,
      ss?.name,
      flow.source_names,
    ),
    dst: hostname(
      flow.IP?.destination,
      dp,
      ds?.namespace ?? flow.destination?.namespace,
      flow.destination?.pod_name,
      ds?.name,
      flow.destination_names,
    ),
  };
}

function fmtIdentity(id: number | undefined): string {
  const n = id ?? 0;
  const reserved = RESERVED_IDENTITIES[n];
  return reserved ? `(${reserved})` : `(ID:${n})`;
}

/** The TYPE column: trace point, drop reason text, or `policy-verdict:<match> <direction>`. */
export function flowTypeText(flow: Flow): string {
  const l7 = flow.l7 as
    { type?: string; dns?: { observation_source?: string }; http?: unknown; kafka?: unknown } | undefined;
  if (l7) {
    const proto = l7.http ? 'http' : l7.dns ? 'dns' : l7.kafka ? 'kafka' : 'l7';
    let type = String(l7.type ?? 'UNKNOWN_L7_TYPE').toLowerCase();
    if (l7.dns) type += ` ${l7.dns.observation_source ?? ''}`;
    return `${proto}-${type}`;
  }
  const t = flow.event_type?.type;
  const st = flow.event_type?.sub_type ?? 0;
  switch (t) {
    case 4:
      return TRACE_POINTS[st] ?? String(st);
    case 1:
      return dropReasonText(st);
    case 5:
      return `policy-verdict:${POLICY_MATCH_TYPES[flow.policy_match_type ?? 0] ?? flow.policy_match_type} ${flow.traffic_direction ?? 'TRAFFIC_DIRECTION_UNKNOWN'}`;
    default:
      return 'UNKNOWN';
  }
}

/** The VERDICT column (policy-verdict events print ALLOWED/DENIED/AUDITED). */
export function flowVerdictText(flow: Flow): string {
  const v = flow.verdict ?? 'VERDICT_UNKNOWN';
  const pv = flow.event_type?.type === 5;
  if (pv && (v === 'FORWARDED' || v === 'REDIRECTED')) return 'ALLOWED';
  if (pv && (v === 'DROPPED' || v === 'ERROR')) return 'DENIED';
  if (pv && v === 'AUDIT') return 'AUDITED';
  return String(v);
}

/** One compact line, without the trailing newline. */
export function formatCompactFlow(flow: Flow, opts: { nodeName?: boolean } = {}): string {
  let { src, dst } = flowHostNames(flow);
  let srcId = fmtIdentity(flow.source?.identity);
  let dstId = fmtIdentity(flow.destination?.identity);
  let arrow = '->';
  if (flow.is_reply === undefined) arrow = '<>';
  else if (flow.is_reply) {
    [src, dst] = [dst, src];
    [srcId, dstId] = [dstId, srcId];
    arrow = '<-';
  }
  const node = opts.nodeName ? ` [${flow.node_name ?? ''}]` : '';
  const auth = flow.auth_type && flow.auth_type !== 'DISABLED' ? `; ${String(flow.auth_type)}` : '';
  return `${formatStampMilli(flow.time)}${node}: ${src} ${srcId} ${arrow} ${dst} ${dstId} ${flowTypeText(flow)} ${flowVerdictText(flow)} (${flow.Summary ?? ''}${auth})`;
}
