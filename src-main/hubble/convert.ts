/**
 * Between the proto-loader object shape and hubble's JSON shape. They differ only in Timestamps
 * ({seconds, nanos} vs RFC 3339 strings) and wrappers ({value} vs a bare value); everything else
 * (proto field names, enum names, 64-bit ints as strings) is already identical.
 */
import type { Flow, FlowFilter, FlowRequest } from '@shared/flows/types';
import { joinTimestamp, splitTimestamp } from '@shared/flows/time';

export interface ProtoTimestamp {
  seconds?: string | number;
  nanos?: number;
}

/** the last whole second converted: flows arrive in time order, so most share it */
let lastSecond: number | undefined;
let lastSecondText = '';

export function tsToString(ts: ProtoTimestamp | undefined): string | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds ?? 0);
  const nanos = ts.nanos ?? 0;
  if (seconds !== lastSecond) {
    lastSecond = seconds;
    lastSecondText = joinTimestamp(seconds, 0);
  }
  if (!nanos) return lastSecondText;
  // as joinTimestamp: 3, 6 or 9 fraction digits
  let frac = String(nanos).padStart(9, '0');
  if (frac.endsWith('000000')) frac = frac.slice(0, 3);
  else if (frac.endsWith('000')) frac = frac.slice(0, 6);
  return `${lastSecondText.slice(0, -1)}.${frac}Z`;
}

export function stringToTs(s: string | undefined): ProtoTimestamp | undefined {
  if (!s) return undefined;
  const [seconds, nanos] = splitTimestamp(s);
  return { seconds, nanos };
}

type Obj = Record<string, unknown>;

/** A decoded flow.Flow → hubble JSON Flow (in place, returns it). */
export function flowFromProto(raw: Obj): Flow {
  if (raw.time && typeof raw.time === 'object') raw.time = tsToString(raw.time as ProtoTimestamp);
  if (raw.is_reply && typeof raw.is_reply === 'object')
    raw.is_reply = (raw.is_reply as { value?: boolean }).value ?? false;
  return raw as Flow;
}

/** hubble JSON Flow → object for proto-loader's serializer (a shallow copy; input untouched). */
export function flowToProto(flow: Flow): Obj {
  const out: Obj = { ...flow };
  if (typeof flow.time === 'string') out.time = stringToTs(flow.time);
  if (typeof flow.is_reply === 'boolean') out.is_reply = { value: flow.is_reply };
  return out;
}

/** Our FlowRequest → observer.GetFlowsRequest object. */
export function requestToProto(req: FlowRequest): Obj {
  const out: Obj = { whitelist: req.whitelist, blacklist: req.blacklist };
  if (req.number) out.number = String(req.number);
  if (req.first) out.first = true;
  if (req.follow) out.follow = true;
  if (req.since) out.since = stringToTs(req.since);
  if (req.until) out.until = stringToTs(req.until);
  return out;
}

/** Decoded observer.GetFlowsRequest → our FlowRequest (used by the simulator). */
export function requestFromProto(raw: Obj): FlowRequest {
  const req: FlowRequest = {
    whitelist: (raw.whitelist as FlowFilter[] | undefined) ?? [],
    blacklist: (raw.blacklist as FlowFilter[] | undefined) ?? [],
  };
  if (raw.number !== undefined && Number(raw.number) > 0) req.number = Number(raw.number);
  if (raw.first) req.first = true;
  if (raw.follow) req.follow = true;
  if (raw.since) req.since = tsToString(raw.since as ProtoTimestamp);
  if (raw.until) req.until = tsToString(raw.until as ProtoTimestamp);
  return req;
}
