/**
 * The flow inspector's view of a stream, as main holds it and the renderer reads it: the held flows that
 * pass the view's filter, counted by verdict, and the table rows of any slice of them. The renderer never
 * receives flows as they arrive (a fast stream would drown it): it gets a small update at most ten times a
 * second and asks for the rows it shows.
 */
import { flowHostNames } from './compact';
import { dropReasonText } from './enums';
import { flowPolicyNames, isDefaultDeny } from './explain';
import { flowPorts, flowProtocol } from './match';
import type { Flow } from './types';

/** What the view of one stream holds now (sent on every change, throttled). */
export interface FlowViewUpdate {
  streamId: string;
  /** bumps when the filter changes: rows of an older generation are stale */
  generation: number;
  /** ordinal of the oldest flow in the view; ordinals only grow (the view's row i is ordinal base + i) */
  base: number;
  /** flows in the view (they pass the filter) */
  total: number;
  /** flows in the view by verdict */
  counts: Record<string, number>;
  /** flows in the stream's ring buffer */
  held: number;
  /** flows pushed out of the ring buffer so far */
  evicted: number;
  /** flows received on the stream (held + evicted; duplicates excluded) */
  received: number;
  /** flows the server reported lost */
  lost: number;
  paused: boolean;
  /** flows that arrived (and pass the filter) since the view was paused */
  newWhilePaused: number;
}

/** One table row: the cells of a flow, computed in main for the rows on screen only. */
export interface FlowRowData {
  ordinal: number;
  uuid?: string;
  /** RFC 3339 (the renderer shows it in local time) */
  time?: string;
  src: string;
  dst: string;
  /** `8080/TCP` */
  port: string;
  verdict: string;
  dropReason: string;
  direction: string;
  policies: string;
  /** dropped with no policy named by Hubble: a default deny */
  defaultDeny: boolean;
}

/** the most rows one `flows.rows` request returns */
export const MAX_ROWS_PER_REQUEST = 1000;

export interface FlowRows {
  generation: number;
  base: number;
  total: number;
  rows: FlowRowData[];
}

/** The verdict a flow is counted under. */
export function verdictKey(f: Flow): string {
  return f.verdict ?? 'UNKNOWN';
}

function stripPort(hostPort: string): string {
  return hostPort.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** The table cells of one flow. */
export function flowRowData(f: Flow, ordinal: number): FlowRowData {
  const names = flowHostNames(f);
  const { dst } = flowPorts(f);
  const proto = flowProtocol(f);
  const { allowedBy, deniedBy } = flowPolicyNames(f);
  const defaultDeny = isDefaultDeny(f);
  const verdict = verdictKey(f);
  const dropReason =
    verdict === 'DROPPED' || f.drop_reason_desc ? dropReasonText(f.drop_reason_desc ?? f.drop_reason) : '';
  const policies = defaultDeny
    ? 'default deny — no policy allowed it'
    : deniedBy.length
      ? `denied by ${deniedBy.join(', ')}`
      : allowedBy.length
        ? allowedBy.join(', ')
        : '';
  return {
    ordinal,
    uuid: f.uuid,
    time: f.time,
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
  };
}
