/**
 * `hubble observe`-style filter flags → GetFlows allow/deny FlowFilter lists, built the way the hubble CLI
 * builds them (cilium hubble/cmd/observe/flows_filter.go): "either side" flags (--pod, --ip, --label,
 * --port, --namespace) produce a left filter (source side) and a right filter (destination side) that are
 * OR-ed; every other flag is added to both; equal left/right collapse to one filter. `--not` sends the
 * next flag to the deny list. Also the inverse: the equivalent `hubble observe` command line.
 */
import { dropReasonNumber, EVENT_TYPES, TRACE_POINTS, VERDICTS } from './enums';
import { resolveFlowTime } from './time';
import type {
  EventTypeFilter,
  FlowFilter,
  FlowFilterNegations,
  FlowFilterOptions,
  FlowRequest,
} from './types';

export class FlowFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowFilterError';
  }
}

/** The hubble CLI's default `--last` when nothing else selects flows. */
export const DEFAULT_FLOW_PRINT_COUNT = 20;

const PROTOCOLS = ['icmp', 'icmpv4', 'icmpv6', 'tcp', 'udp', 'dns', 'http', 'kafka'];

/** Flags that cannot be combined (subset of the CLI's conflict groups that concern our flags). */
const CONFLICTS: string[][] = [
  ['from-ip', 'ip', 'namespace'],
  ['from-ip', 'ip', 'from-pod', 'pod'],
  ['to-ip', 'ip', 'namespace'],
  ['to-ip', 'ip', 'to-pod', 'pod'],
  ['to-pod', 'namespace'],
  ['from-pod', 'namespace'],
  ['label', 'from-label'],
  ['label', 'to-label'],
  ['port', 'to-port'],
  ['port', 'from-port'],
];

type Side = 'left' | 'right';

class FilterTracker {
  left?: FlowFilter;
  right?: FlowFilter;
  ns: string[] = [];
  changed: string[] = [];

  private ensure(side: Side): FlowFilter {
    return (this[side] ??= {});
  }
  applyLeft(update: (f: FlowFilter) => void): void {
    update(this.ensure('left'));
  }
  applyRight(update: (f: FlowFilter) => void): void {
    update(this.ensure('right'));
  }
  apply(update: (f: FlowFilter) => void): void {
    this.applyLeft(update);
    this.applyRight(update);
  }

  flowFilters(): FlowFilter[] {
    if (!this.left && !this.right && this.ns.length === 0) return [];
    const left = this.ensure('left');
    const right = this.ensure('right');
    if (this.ns.length) {
      if (!left.source_pod?.length && !left.source_service?.length) left.source_pod = [''];
      left.source_pod = addNamespaces(left.source_pod!, this.ns);
      if (!right.destination_pod?.length && !right.destination_service?.length) right.destination_pod = [''];
      right.destination_pod = addNamespaces(right.destination_pod!, this.ns);
    }
    return deepEqual(left, right) ? [left] : [left, right];
  }
}

function addNamespaces(filter: string[], ns: string[]): string[] {
  if (!ns.length || !filter.length) return filter;
  const res: string[] = [];
  for (const f of filter) {
    if (f.includes('/')) res.push(f);
    else for (const n of ns) res.push(`${n}/${f}`);
  }
  return res;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

function push<K extends keyof FlowFilter>(
  f: FlowFilter,
  key: K,
  value: NonNullable<FlowFilter[K]>[number],
): void {
  const arr = (f[key] ?? []) as unknown[];
  arr.push(value);
  (f as Record<string, unknown>)[key] = arr;
}

/** Parses a `--type` value (`trace`, `drop`, `trace:to-endpoint`, `4`, `4:0`) like the CLI. */
export function parseEventType(val: string): EventTypeFilter {
  const [typePart, subPart] = val.split(/:(.*)/s, 2);
  let type = EVENT_TYPES[typePart];
  if (type === undefined) {
    if (!/^\d+$/.test(typePart))
      throw new FlowFilterError(
        `invalid --type "${val}": not a known type name (${Object.keys(EVENT_TYPES).join(', ')}) nor a number`,
      );
    type = Number(typePart);
  }
  const f: EventTypeFilter = { type };
  if (subPart !== undefined && subPart !== '') {
    if (type === EVENT_TYPES.trace) {
      const hit = Object.entries(TRACE_POINTS).find(([, name]) => name === subPart);
      if (hit) return { type, match_sub_type: true, sub_type: Number(hit[0]) };
    }
    if (!/^\d+$/.test(subPart))
      throw new FlowFilterError(`invalid --type sub-type "${subPart}": not a known name nor a number`);
    f.match_sub_type = true;
    f.sub_type = Number(subPart);
  }
  return f;
}

function setFlag(t: FilterTracker, name: string, val: string): void {
  if (!t.changed.includes(name)) t.changed.push(name);
  for (const group of CONFLICTS) {
    if (!group.includes(name)) continue;
    const other = group.find((g) => g !== name && t.changed.includes(g));
    if (other) throw new FlowFilterError(`filters --${name} and --${other} cannot be combined`);
  }
  switch (name) {
    case 'pod':
      t.applyLeft((f) => push(f, 'source_pod', val));
      t.applyRight((f) => push(f, 'destination_pod', val));
      break;
    case 'from-pod':
      t.apply((f) => push(f, 'source_pod', val));
      break;
    case 'to-pod':
      t.apply((f) => push(f, 'destination_pod', val));
      break;
    case 'ip':
      t.applyLeft((f) => push(f, 'source_ip', val));
      t.applyRight((f) => push(f, 'destination_ip', val));
      break;
    case 'from-ip':
      t.apply((f) => push(f, 'source_ip', val));
      break;
    case 'to-ip':
      t.apply((f) => push(f, 'destination_ip', val));
      break;
    case 'label':
      t.applyLeft((f) => push(f, 'source_label', val));
      t.applyRight((f) => push(f, 'destination_label', val));
      break;
    case 'from-label':
      t.apply((f) => push(f, 'source_label', val));
      break;
    case 'to-label':
      t.apply((f) => push(f, 'destination_label', val));
      break;
    case 'namespace':
      t.ns.push(val);
      break;
    case 'port':
      t.applyLeft((f) => push(f, 'source_port', val));
      t.applyRight((f) => push(f, 'destination_port', val));
      break;
    case 'from-port':
      t.apply((f) => push(f, 'source_port', val));
      break;
    case 'to-port':
      t.apply((f) => push(f, 'destination_port', val));
      break;
    case 'verdict': {
      const v = val.toUpperCase();
      if (!(VERDICTS as readonly string[]).includes(v) || v === 'VERDICT_UNKNOWN')
        throw new FlowFilterError(`invalid --verdict value: ${val} (use ${VERDICTS.slice(1).join(', ')})`);
      t.apply((f) => push(f, 'verdict', v));
      break;
    }
    case 'drop-reason-desc': {
      const v = val.toUpperCase();
      if (!v) throw new FlowFilterError('empty --drop-reason-desc value');
      if (dropReasonNumber(v) === undefined)
        throw new FlowFilterError(`invalid --drop-reason-desc value: ${val} (e.g. POLICY_DENIED)`);
      t.apply((f) => push(f, 'drop_reason_desc', v));
      break;
    }
    case 'type': {
      const ev = parseEventType(val);
      t.apply((f) => push(f, 'event_type', { ...ev }));
      break;
    }
    case 'protocol': {
      if (!PROTOCOLS.includes(val.toLowerCase()))
        throw new FlowFilterError(`invalid --protocol value: ${val} (use ${PROTOCOLS.join(', ')})`);
      t.apply((f) => push(f, 'protocol', val.toLowerCase()));
      break;
    }
    default:
      throw new FlowFilterError(`unknown filter flag --${name}`);
  }
  checkNamespaceConflicts(t);
}

function checkNamespaceConflicts(t: FilterTracker): void {
  for (const f of [t.left, t.right]) {
    for (const name of [...(f?.source_pod ?? []), ...(f?.destination_pod ?? [])]) {
      const nn = name.includes('/') ? name.split('/')[0] : '';
      for (const ns of t.ns)
        if (nn !== '' && nn !== ns)
          throw new FlowFilterError(`namespace conflict: "${ns}" does not contain "${name}"`);
    }
  }
}

/** The flags of one option set, in the order the command line shows them. */
function flagList(o: FlowFilterNegations): [string, string][] {
  const out: [string, string][] = [];
  const add = (flag: string, vals: (string | number)[] | undefined) => {
    for (const v of vals ?? []) out.push([flag, String(v)]);
  };
  add('verdict', o.verdict);
  add('drop-reason-desc', o.dropReasonDesc);
  add('type', o.type);
  add('namespace', o.namespace);
  add('pod', o.pod);
  add('from-pod', o.fromPod);
  add('to-pod', o.toPod);
  add('label', o.label);
  add('from-label', o.fromLabel);
  add('to-label', o.toLabel);
  add('ip', o.ip);
  add('from-ip', o.fromIp);
  add('to-ip', o.toIp);
  add('protocol', o.protocol);
  add('port', o.port);
  add('from-port', o.fromPort);
  add('to-port', o.toPort);
  return out;
}

/** Builds allow/deny lists from filter options exactly as the hubble CLI would for the same flags. */
export function buildFlowFilters(opts: FlowFilterOptions): {
  whitelist: FlowFilter[];
  blacklist: FlowFilter[];
} {
  const allow = new FilterTracker();
  for (const [flag, val] of flagList(opts)) setFlag(allow, flag, val);
  const deny = new FilterTracker();
  if (opts.not) for (const [flag, val] of flagList(opts.not)) setFlag(deny, flag, val);
  return { whitelist: allow.flowFilters(), blacklist: deny.flowFilters() };
}

/** Builds the whole GetFlows request (filters + since/until/number/first/follow) the way `hubble observe` does. */
export function buildFlowRequest(opts: FlowFilterOptions, now: number = Date.now()): FlowRequest {
  const { whitelist, blacklist } = buildFlowFilters(opts);
  const req: FlowRequest = { whitelist, blacklist };
  if (opts.first !== undefined && opts.first > 0) {
    if (opts.follow) throw new FlowFilterError('--first cannot be combined with --follow');
    if (opts.last) throw new FlowFilterError('--first cannot be combined with --last');
  }
  const first = (opts.first ?? 0) > 0;
  if (opts.since) req.since = resolveFlowTime(opts.since, now);
  if (opts.until && !opts.follow) req.until = resolveFlowTime(opts.until, now);
  if (req.since && req.until && req.since > req.until)
    throw new FlowFilterError('--since must be before --until');
  let last = opts.last ?? 0;
  if (!req.since && !req.until && !first && last === 0 && !opts.follow) last = DEFAULT_FLOW_PRINT_COUNT;
  if (first) {
    req.number = opts.first;
    req.first = true;
  } else if (last) req.number = last;
  if (opts.follow) req.follow = true;
  return req;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The equivalent `hubble observe ...` command line for these options. */
export function toHubbleCommand(opts: FlowFilterOptions): string {
  const parts = ['hubble', 'observe'];
  if (opts.since) parts.push('--since', shellQuote(opts.since));
  if (opts.until) parts.push('--until', shellQuote(opts.until));
  if (opts.last) parts.push('--last', String(opts.last));
  if (opts.first) parts.push('--first', String(opts.first));
  if (opts.follow) parts.push('--follow');
  for (const [flag, val] of flagList(opts)) parts.push(`--${flag}`, shellQuote(val));
  if (opts.not)
    for (const [flag, val] of flagList(opts.not)) parts.push('--not', `--${flag}`, shellQuote(val));
  return parts.join(' ');
}

const LIST_FLAGS: Record<string, keyof FlowFilterNegations> = {
  verdict: 'verdict',
  'drop-reason-desc': 'dropReasonDesc',
  type: 'type',
  t: 'type',
  namespace: 'namespace',
  n: 'namespace',
  pod: 'pod',
  'from-pod': 'fromPod',
  'to-pod': 'toPod',
  label: 'label',
  l: 'label',
  'from-label': 'fromLabel',
  'to-label': 'toLabel',
  ip: 'ip',
  'from-ip': 'fromIp',
  'to-ip': 'toIp',
  protocol: 'protocol',
  port: 'port',
  'from-port': 'fromPort',
  'to-port': 'toPort',
};
const NUMERIC = new Set(['port', 'fromPort', 'toPort']);

/** Splits a command line into words (single/double quotes, backslash escapes). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new FlowFilterError('unterminated quote in filter');
  if (inWord) words.push(cur);
  return words;
}

/**
 * Parses `hubble observe`-style filter text (`--verdict DROPPED --to-pod backend/api --not --namespace x`,
 * with or without a leading `hubble observe`) into filter options. Validates every value.
 */
export function parseHubbleArgs(input: string | string[]): FlowFilterOptions {
  const words = typeof input === 'string' ? splitWords(input) : [...input];
  if (words[0] === 'hubble') words.shift();
  if (words[0] === 'observe') words.shift();
  if (words[0] === 'flows') words.shift();
  const opts: FlowFilterOptions = {};
  let negate = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const m = /^--?([a-z-]+)(?:=(.*))?$/s.exec(w);
    if (!m) throw new FlowFilterError(`unexpected argument "${w}" (filters look like --verdict DROPPED)`);
    const name = m[1];
    const takeValue = (): string => {
      if (m[2] !== undefined) return m[2];
      const v = words[++i];
      if (v === undefined) throw new FlowFilterError(`--${name} needs a value`);
      return v;
    };
    if (name === 'not') {
      if (negate) throw new FlowFilterError('consecutive --not statements');
      negate = true;
      continue;
    }
    if (name === 'follow' || name === 'f') {
      if (negate) throw new FlowFilterError('--not cannot negate --follow');
      opts.follow = true;
      continue;
    }
    if (name === 'since' || name === 'until') {
      if (negate) throw new FlowFilterError(`--not cannot negate --${name}`);
      const v = takeValue();
      resolveFlowTime(v); // validate now
      opts[name] = v;
      continue;
    }
    if (name === 'last' || name === 'first') {
      if (negate) throw new FlowFilterError(`--not cannot negate --${name}`);
      const v = takeValue();
      if (!/^\d+$/.test(v)) throw new FlowFilterError(`--${name} needs a whole number, got "${v}"`);
      opts[name] = Number(v);
      continue;
    }
    const key = LIST_FLAGS[name];
    if (!key) throw new FlowFilterError(`unknown filter flag --${name}`);
    const raw = takeValue();
    const target: FlowFilterNegations = negate ? (opts.not ??= {}) : opts;
    negate = false;
    const bag = target as Record<string, (string | number)[] | undefined>;
    if (NUMERIC.has(key)) {
      if (!/^\d+$/.test(raw) || Number(raw) > 65535)
        throw new FlowFilterError(`invalid --${name} value: ${raw} (a port number 0-65535)`);
      (bag[key] ??= []).push(Number(raw));
    } else (bag[key] ??= []).push(raw);
  }
  if (negate) throw new FlowFilterError('--not must be followed by a filter');
  buildFlowRequest(opts); // validate the combination the way the request builder will
  return opts;
}
