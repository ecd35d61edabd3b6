import type { Flow } from '@shared/flows/types';
import { flowHostNames } from '@shared/flows/compact';
import { dropReasonText } from '@shared/flows/enums';
import { flowPolicyNames, isDefaultDeny } from '@shared/flows/explain';
import { flowPorts, flowProtocol } from '@shared/flows/match';

/** Table cells for one flow, computed once per flow and cached. */
export interface FlowRow {
  time: string;
  src: string;
  dst: string;
  port: string;
  verdict: string;
  dropReason: string;
  direction: string;
  policies: string;
  defaultDeny: boolean;
  srcNs?: string;
  dstNs?: string;
}

const cache = new WeakMap<Flow, FlowRow>();

function timeOf(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function stripPort(hostPort: string): string {
  return hostPort.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

export function flowRow(f: Flow): FlowRow {
  const hit = cache.get(f);
  if (hit) return hit;
  const names = flowHostNames(f);
  const { dst } = flowPorts(f);
  const proto = flowProtocol(f);
  const { allowedBy, deniedBy } = flowPolicyNames(f);
  const defaultDeny = isDefaultDeny(f);
  const verdict = f.verdict ?? 'UNKNOWN';
  const dropReason =
    verdict === 'DROPPED' || f.drop_reason_desc ? dropReasonText(f.drop_reason_desc ?? f.drop_reason) : '';
  const policies = defaultDeny
    ? 'default deny — no policy allowed it'
    : deniedBy.length
      ? `denied by ${deniedBy.join(', ')}`
      : allowedBy.length
        ? allowedBy.join(', ')
        : '';
  const row: FlowRow = {
    time: timeOf(f.time),
    src: stripPort(names.src),
    dst: stripPort(names.dst),
    port: `${dst ?? ''}${proto ? `/${proto}` : ''}`,
    verdict,
    dropReason,
    direction: String(f.traffic_direction ?? '')
      .toLowerCase()
      .replace('traffic_direction_unknown', ''),
    policies,
    defaultDeny,
    srcNs: f.source?.namespace,
    dstNs: f.destination?.namespace,
  };
  cache.set(f, row);
  return row;
}

export function verdictClass(v: string): string {
  switch (v) {
    case 'FORWARDED':
    case 'REDIRECTED':
      return 'forwarded';
    case 'DROPPED':
    case 'ERROR':
      return 'dropped';
    case 'AUDIT':
      return 'audit';
    default:
      return 'neutral';
  }
}
