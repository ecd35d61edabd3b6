/**
 * Flows as they come off the wire, decoded only when someone looks at them. A GetFlowsResponse is scanned
 * for the few fields the stream needs at once — time, verdict, uuid (and the response's node name and time
 * as fallbacks) — and the Flow's protobuf bytes are kept; the full decode to hubble's JSON shape happens for
 * the rows on screen, a filter, an export. Decoding every flow of a 20k flows/s stream would cost the host
 * most of a core (and the garbage collector the rest); a scan costs a few microseconds.
 */
import protobuf from 'protobufjs';
import type { Flow } from '@shared/flows/types';
import { joinTimestamp } from '@shared/flows/time';
import { verdictKey } from '@shared/flows/view';
import { flowFromProto } from './convert';
import { PROTO_OPTIONS, protoDir } from './proto-load';

/**
 * Flow bytes are copied into shared 1 MiB chunks (a Buffer per flow would cost more in object overhead
 * than the flow itself); a chunk is freed once no flow in it is held. The ring buffer evicts in arrival
 * order, so chunks go in order too.
 */
const CHUNK_BYTES = 1 << 20;
let chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
let chunkUsed = 0;

function copyToChunk(src: Uint8Array): [Buffer, number] {
  if (src.length > CHUNK_BYTES / 4) return [Buffer.from(src), 0];
  if (chunkUsed + src.length > CHUNK_BYTES) {
    chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    chunkUsed = 0;
  }
  const at = chunkUsed;
  chunk.set(src, at);
  chunkUsed += src.length;
  return [chunk, at];
}

/** A flow kept as its protobuf bytes plus what the stream reads of every flow. */
export class RawFlow {
  constructor(
    private readonly chunk: Buffer,
    private readonly start: number,
    private readonly length: number,
    /** Verdict name (FORWARDED, DROPPED, ...; UNKNOWN when unset) */
    readonly verdict: string,
    readonly seconds: number,
    readonly nanos: number,
    /** GetFlowsResponse.node_name, used when the flow has none */
    readonly responseNodeName: string | undefined,
    /** the flow had no time of its own (seconds/nanos come from the response) */
    readonly timeFromResponse: boolean,
  ) {}

  /** the flow.Flow message */
  get bytes(): Buffer {
    return this.chunk.subarray(this.start, this.start + this.length);
  }

  /** the flow's uuid (read from its bytes: only deduplication after a reconnect asks) */
  get uuid(): string | undefined {
    const r = protobuf.Reader.create(this.bytes);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === 34 && (tag & 7) === 2) return r.string();
      r.skipType(tag & 7);
    }
    return undefined;
  }
}

/** What the ring buffer holds: a decoded flow (imported from a file) or a raw one (from gRPC). */
export type StoredFlow = Flow | RawFlow;

interface Types {
  flow: protobuf.Type;
  response: protobuf.Type;
  verdicts: Record<number, string>;
}
let types: Types | undefined;

function loadTypes(): Types {
  if (types) return types;
  const root = new protobuf.Root();
  const dir = protoDir();
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : `${dir}/${target}`);
  root.loadSync('observer.proto', { keepCase: true });
  root.resolveAll();
  const verdictEnum = root.lookupEnum('flow.Verdict');
  types = {
    flow: root.lookupType('flow.Flow'),
    response: root.lookupType('observer.GetFlowsResponse'),
    verdicts: Object.fromEntries(Object.entries(verdictEnum.values).map(([name, n]) => [n, name])),
  };
  return types;
}

/** google.protobuf.Timestamp body → [seconds, nanos] */
function readTimestamp(r: protobuf.Reader, end: number): [number, number] {
  let s = 0;
  let n = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 0) s = Number(r.int64());
    else if (tag >>> 3 === 2 && (tag & 7) === 0) n = r.int32();
    else r.skipType(tag & 7);
  }
  return [s, n];
}

/**
 * Scans a GetFlowsResponse. A flow comes back as a RawFlow; node status and lost events (rare) are decoded
 * in full, as proto-loader would.
 */
export function scanFlowsResponse(buf: Uint8Array): { flow: RawFlow } | { other: Record<string, unknown> } {
  const t = loadTypes();
  const r = protobuf.Reader.create(buf);
  let flowStart = -1;
  let flowEnd = -1;
  let nodeName: string | undefined;
  let respTime: [number, number] | undefined;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === 2) {
      const len = r.uint32();
      flowStart = r.pos;
      flowEnd = r.pos + len;
      r.skip(len);
    } else if (field === 1000 && (tag & 7) === 2) nodeName = r.string();
    else if (field === 1001 && (tag & 7) === 2) {
      const len = r.uint32();
      respTime = readTimestamp(r, r.pos + len);
    } else if (field === 2 || field === 3) {
      return { other: t.response.toObject(t.response.decode(buf), PROTO_OPTIONS) };
    } else r.skipType(tag & 7);
  }
  if (flowStart < 0) return { other: {} };
  const fr = protobuf.Reader.create(buf.subarray(flowStart, flowEnd));
  let verdict = 0;
  let time: [number, number] | undefined;
  while (fr.pos < fr.len) {
    const tag = fr.uint32();
    const field = tag >>> 3;
    if (field === 2 && (tag & 7) === 0) verdict = fr.int32();
    else if (field === 1 && (tag & 7) === 2) {
      const len = fr.uint32();
      time = readTimestamp(fr, fr.pos + len);
    } else fr.skipType(tag & 7);
  }
  const [seconds, nanos] = time ?? respTime ?? [0, 0];
  // a copy: the response buffer may be a slice of a larger one we must not keep alive
  const [at, start] = copyToChunk(buf.subarray(flowStart, flowEnd));
  return {
    flow: new RawFlow(
      at,
      start,
      flowEnd - flowStart,
      // as the decoded flow reads: proto3 leaves 0 (VERDICT_UNKNOWN) unset
      verdict === 0 ? 'UNKNOWN' : (t.verdicts[verdict] ?? String(verdict)),
      seconds,
      nanos,
      nodeName,
      !time && !!respTime,
    ),
  };
}

/** The flow in hubble's JSON shape (a new object on every call). */
export function decodeRawFlow(raw: RawFlow): Flow {
  const t = loadTypes();
  const flow = flowFromProto(t.flow.toObject(t.flow.decode(raw.bytes), PROTO_OPTIONS));
  if (!flow.node_name && raw.responseNodeName) flow.node_name = raw.responseNodeName;
  if (!flow.time && raw.timeFromResponse) flow.time = joinTimestamp(raw.seconds, raw.nanos);
  return flow;
}

/** A stored flow as a Flow (decoding a raw one). */
export function materialize(f: StoredFlow): Flow {
  return f instanceof RawFlow ? decodeRawFlow(f) : f;
}

/** The verdict a stored flow is counted under, without decoding it. */
export function storedVerdict(f: StoredFlow): string {
  return f instanceof RawFlow ? f.verdict : verdictKey(f);
}
