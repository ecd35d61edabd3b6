/**
 * Reading and writing `hubble observe -o json` / `-o jsonpb` text: one observer.GetFlowsResponse per line
 * (`{"flow":{…},"node_name":"…","time":"…"}`); since hubble CLI v0.11 `-o json` is an alias of `-o jsonpb`.
 * The reader also accepts the legacy bare-Flow lines (HUBBLE_COMPAT=legacy-json-output) and protojson's
 * lowerCamelCase key names (grpcurl); a malformed line is reported with its line number, the rest imported.
 */
import type { Flow, FlowResponseLine } from './types';

export interface FlowLineError {
  line: number;
  message: string;
}

export interface ParsedFlowLines {
  flows: Flow[];
  errors: FlowLineError[];
  /** sum of LostEvent.num_events_lost lines */
  lost: number;
  /** node_status lines skipped (Relay writes them to stderr; accepted if present) */
  nodeStatus: number;
}

/** Keys Hubble prints with capitals or mixed case that are proto names, not camelCase conversions. */
const KEEP = new Set(['ipVersion']);

function snake(key: string): string {
  if (KEEP.has(key) || !/^[a-z][a-z0-9]*[A-Z]/.test(key)) return key;
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Rewrites lowerCamelCase protojson keys to Hubble's proto names, deeply. Leaves proto-name keys alone. */
export function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[snake(k)] = normalizeKeys(v);
    return out;
  }
  return value;
}

const FLOW_KEYS = [
  'time',
  'verdict',
  'IP',
  'l4',
  'source',
  'destination',
  'Type',
  'event_type',
  'uuid',
  'node_name',
];

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Parses hubble JSON output text. Never throws for bad lines: they are listed in `errors`. */
export function parseFlowLines(text: string): ParsedFlowLines {
  const result: ParsedFlowLines = { flows: [], errors: [], lost: 0, nodeStatus: 0 };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const lineNo = i + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      result.errors.push({ line: lineNo, message: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    if (!isObject(parsed)) {
      result.errors.push({ line: lineNo, message: 'not a JSON object (expected one hubble flow per line)' });
      continue;
    }
    const obj = normalizeKeys(parsed) as Record<string, unknown>;
    if (isObject(obj.flow)) {
      const flow = obj.flow as Flow;
      if (flow.node_name === undefined && typeof obj.node_name === 'string') flow.node_name = obj.node_name;
      if (flow.time === undefined && typeof obj.time === 'string') flow.time = obj.time;
      result.flows.push(flow);
    } else if (isObject(obj.lost_events)) {
      const n = Number((obj.lost_events as FlowResponseLine['lost_events'])?.num_events_lost ?? 0);
      result.lost += Number.isFinite(n) ? n : 0;
    } else if (isObject(obj.node_status)) {
      result.nodeStatus++;
    } else if (FLOW_KEYS.filter((k) => k in obj).length >= 2) {
      result.flows.push(obj as Flow);
    } else {
      result.errors.push({
        line: lineNo,
        message: 'not a hubble flow: expected {"flow":{...}} as printed by hubble observe -o json',
      });
    }
  }
  return result;
}

/** Go's encoding/json escapes <, > and & (and U+2028/9); match it so exported lines equal hubble's. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One `hubble observe -o jsonpb` line for a flow (envelope with node_name and time). */
export function formatFlowLine(flow: Flow): string {
  const line: FlowResponseLine = { flow };
  if (flow.node_name) line.node_name = flow.node_name;
  if (flow.time) line.time = flow.time;
  return goEscape(JSON.stringify(line));
}

/**
 * Flows → `hubble observe -o json|jsonpb` text (identical since hubble v0.11; `json` kept for the flag name).
 * One line per flow, trailing newline.
 */
export function exportFlowLines(flows: readonly Flow[], _format: 'json' | 'jsonpb' = 'jsonpb'): string {
  let out = '';
  for (const f of flows) out += formatFlowLine(f) + '\n';
  return out;
}
