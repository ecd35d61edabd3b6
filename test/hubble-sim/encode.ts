/**
 * Fast encoding of the simulator's generated follow flows: each template is encoded once (without its
 * `uuid` and `time`), and a generated flow's GetFlowsResponse is that body plus the two fields written by
 * hand (protobuf allows fields in any order). Same bytes a full encode decodes to, at a fraction of the cost.
 */
import type { Flow } from '@shared/flows/types';
import { flowToProto } from '../../src-main/hubble/convert';

/** varint byte length / writer (values < 2^53) */
function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/**
 * google.protobuf.Timestamp body: seconds = 1 (varint), nanos = 2 (varint), both always written, as
 * protobufjs does for values that are set
 */
function timestampLength(seconds: number, nanos: number): number {
  return 2 + varintLength(seconds) + varintLength(nanos);
}

function writeTimestamp(buf: Buffer, pos: number, seconds: number, nanos: number): number {
  buf[pos++] = 0x08;
  pos = writeVarint(buf, pos, seconds);
  buf[pos++] = 0x10;
  return writeVarint(buf, pos, nanos);
}

// tags: Flow.time = 1 (LEN), Flow.uuid = 34 (LEN), GetFlowsResponse.flow = 1 (LEN), .time = 1001 (LEN)
const TAG_FLOW_TIME = [0x0a];
const TAG_FLOW_UUID = [0x92, 0x02];
const TAG_RESPONSE_FLOW = 0x0a;
const TAG_RESPONSE_TIME = [0xca, 0x3e];

export interface EncodedTemplate {
  /** the encoded flow.Flow without time and uuid */
  flowBody: Buffer;
  /** the encoded GetFlowsResponse fields after `flow` other than `time` (node_name) */
  tail: Buffer;
}

/** Encodes a template once with the GetFlowsResponse serializer. */
export function encodeTemplate(template: Flow, encodeResponse: (v: unknown) => Buffer): EncodedTemplate {
  const rest: Flow = { ...template };
  delete rest.time;
  delete rest.uuid;
  const whole = encodeResponse({ flow: flowToProto(rest) });
  // whole = 0x0a varint(len) flowBody
  if (whole[0] !== TAG_RESPONSE_FLOW) throw new Error('unexpected GetFlowsResponse encoding');
  let pos = 1;
  let len = 0;
  let shift = 1;
  for (;;) {
    const b = whole[pos++]!;
    len += (b & 0x7f) * shift;
    shift *= 128;
    if (b < 0x80) break;
  }
  const flowBody = Buffer.from(whole.subarray(pos, pos + len));
  const tail = template.node_name ? encodeResponse({ node_name: template.node_name }) : Buffer.alloc(0);
  return { flowBody, tail };
}

/** The GetFlowsResponse bytes of `template` with this uuid and time (seconds, nanos). */
export function encodeFromTemplate(t: EncodedTemplate, uuid: string, seconds: number, nanos: number): Buffer {
  const uuidLen = Buffer.byteLength(uuid);
  const tsLen = timestampLength(seconds, nanos);
  const innerLen =
    t.flowBody.length +
    TAG_FLOW_TIME.length +
    varintLength(tsLen) +
    tsLen +
    (uuidLen ? TAG_FLOW_UUID.length + varintLength(uuidLen) + uuidLen : 0);
  const total =
    1 +
    varintLength(innerLen) +
    innerLen +
    t.tail.length +
    TAG_RESPONSE_TIME.length +
    varintLength(tsLen) +
    tsLen;
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  buf[pos++] = TAG_RESPONSE_FLOW;
  pos = writeVarint(buf, pos, innerLen);
  pos += t.flowBody.copy(buf, pos);
  for (const b of TAG_FLOW_TIME) buf[pos++] = b;
  pos = writeVarint(buf, pos, tsLen);
  pos = writeTimestamp(buf, pos, seconds, nanos);
  if (uuidLen) {
    for (const b of TAG_FLOW_UUID) buf[pos++] = b;
    pos = writeVarint(buf, pos, uuidLen);
    pos += buf.write(uuid, pos, 'utf8');
  }
  pos += t.tail.copy(buf, pos);
  for (const b of TAG_RESPONSE_TIME) buf[pos++] = b;
  pos = writeVarint(buf, pos, tsLen);
  pos = writeTimestamp(buf, pos, seconds, nanos);
  if (pos !== total) throw new Error(`encodeFromTemplate: wrote ${pos} of ${total} bytes`);
  return buf;
}
