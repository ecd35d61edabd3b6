/**
 * `hubble observe`-style filter flags → GetFlows allow/deny FlowFilter lists, built the way the hubble CLI
 * builds them (cilium hubble/cmd/observe/flows_filter.go): "either side" flags (--pod, --ip, --label,
 * --port, --fqdn, --service, --workload, --identity, --cluster, --namespace) produce a left filter (source
 * side) and a right filter (destination side) that are OR-ed; every other flag is added to both; equal
 * left/right collapse to one filter. --namespace / --from-namespace / --to-namespace prefix the pod and
 * service filters of their side. Conflicting flags are refused with the CLI's message, and each built
 * filter is checked the way Hubble's server checks it (patterns, regular expressions, status codes).
 * `--not` sends the next flag to the deny list. Also the inverse: the equivalent `hubble observe` command line.
 */
import { dropReasonNumber, EVENT_TYPES, TRACE_POINTS, VERDICTS } from './enums';
import { FILTER_FLAGS } from './filter-flags';
import { compileFilter } from './match';
import { resolveFlowTime } from './time';
import type {
  EventTypeFilter,
  FlowFilter,
  FlowWorkload,
  FlowFilterNegations,
  FlowFilterOptions,
  FlowRequest,
} from './types';

export { FILTER_FLAGS } from './filter-flags';

export class FlowFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowFilterError';
  }
}

/** The hubble CLI's default `--last` when nothing else selects flows. */
export const DEFAULT_FLOW_PRINT_COUNT = 20;

const PROTOCOLS = ['icmp', 'icmpv4', 'icmpv6', 'tcp', 'udp', 'dns', 'http', 'kafka'];

/**
 * Flags that cannot be combined: the hubble CLI's conflict groups (flows_filter.go newFlowFilter), in its
 * order, so a conflict is reported with the same two flag names the CLI prints.
 */
const CONFLICTS: string[][] = [
  [
    'from-fqdn',
    'from-ip',
    'ip',
    'fqdn',
    'from-namespace',
    'namespace',
    'from-all-namespaces',
    'all-namespaces',
  ],
  ['from-fqdn', 'from-ip', 'ip', 'fqdn', 'from-pod', 'pod'],
  ['to-fqdn', 'to-ip', 'ip', 'fqdn', 'to-namespace', 'namespace', 'to-all-namespaces', 'all-namespaces'],
  ['to-fqdn', 'to-ip', 'ip', 'fqdn', 'to-pod', 'pod'],
  ['to-pod', 'namespace', 'all-namespaces'],
  ['from-pod', 'namespace', 'all-namespaces'],
  ['to-service', 'namespace', 'all-namespaces'],
  ['from-service', 'namespace', 'all-namespaces'],
  ['label', 'from-label'],
  ['label', 'to-label'],
  ['service', 'from-service'],
  ['service', 'to-service'],
  ['port', 'to-port'],
  ['port', 'from-port'],
  ['identity', 'to-identity'],
  ['identity', 'from-identity'],
  ['workload', 'to-workload'],
  ['workload', 'from-workload'],
];

/** Reserved security identities by the names the CLI accepts (cilium pkg/identity), in identity order. */
export const RESERVED_IDENTITIES: Record<string, number> = {
  host: 1,
  world: 2,
  unmanaged: 3,
  health: 4,
  init: 5,
  'remote-node': 6,
  'kube-apiserver': 7,
  ingress: 8,
  'world-ipv4': 9,
  'world-ipv6': 10,
};

const TCP_FLAG_NAMES = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'];

type Side = 'left' | 'right';

class FilterTracker {
  left?: FlowFilter;
  right?: FlowFilter;
  /** --namespace (either side), --from-namespace, --to-namespace */
  ns: string[] = [];
  srcNs: string[] = [];
  dstNs: string[] = [];
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
    if (!this.left && !this.right && !this.ns.length && !this.srcNs.length && !this.dstNs.length) return [];
    const left = this.ensure('left');
    const right = this.ensure('right');
    if (this.dstNs.length) {
      applyDestNamespaces(left, this.dstNs);
      applyDestNamespaces(right, this.dstNs);
    }
    if (this.srcNs.length) {
      applySourceNamespaces(left, this.srcNs);
      applySourceNamespaces(right, this.srcNs);
    }
    if (this.ns.length) {
      applySourceNamespaces(left, this.ns);
      applyDestNamespaces(right, this.ns);
    }
    return deepEqual(left, right) ? [left] : [left, right];
  }
}

function applySourceNamespaces(f: FlowFilter, ns: string[]): void {
  if (!f.source_pod?.length && !f.source_service?.length) f.source_pod = [''];
  setList(f, 'source_pod', addNamespaces(f.source_pod ?? [], ns));
  setList(f, 'source_service', addNamespaces(f.source_service ?? [], ns));
}

function applyDestNamespaces(f: FlowFilter, ns: string[]): void {
  if (!f.destination_pod?.length && !f.destination_service?.length) f.destination_pod = [''];
  setList(f, 'destination_pod', addNamespaces(f.destination_pod ?? [], ns));
  setList(f, 'destination_service', addNamespaces(f.destination_service ?? [], ns));
}

function setList(
  f: FlowFilter,
  key: 'source_pod' | 'source_service' | 'destination_pod' | 'destination_service',
  v: string[],
): void {
  if (v.length) f[key] = v;
  else delete f[key];
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

function namespaceFromName(name: string): string {
  const parts = name.split('/');
  return parts.length > 1 ? parts[0] : '';
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

/** `[kind/]name` → Workload, as the CLI's parseWorkload (`Deployment/web`, `web`, `Deployment/`, ``). */
export function parseWorkload(val: string): FlowWorkload {
  if (val === '') return {};
  const slash = val.indexOf('/');
  const [kind, name] = slash < 0 ? ['', val] : [val.slice(0, slash), val.slice(slash + 1)];
  const w: FlowWorkload = {};
  if (name) w.name = name;
  if (kind) w.kind = kind;
  return w;
}

/** A security identity: a reserved name or a number (Go ParseUint base 0: 42, 0x2a, 0o52, 0b101010). */
export function parseIdentity(val: string): number {
  const reserved = RESERVED_IDENTITIES[val];
  if (reserved !== undefined) return reserved;
  const m = /^(?:0[xX]([0-9a-fA-F]+)|0[oO]?([0-7]+)|0[bB]([01]+)|([1-9][0-9]*|0))$/.exec(val);
  const n = !m
    ? NaN
    : m[1] !== undefined
      ? parseInt(m[1], 16)
      : m[2] !== undefined
        ? parseInt(m[2], 8)
        : m[3] !== undefined
          ? parseInt(m[3], 2)
          : Number(m[4]);
  if (!Number.isInteger(n) || n > 0xffffffff)
    throw new FlowFilterError(
      `invalid security identity, expected one of [${Object.keys(RESERVED_IDENTITIES).join(' ')}] or a numeric value`,
    );
  return n;
}

/** `syn,ack` → TCPFlags {SYN: true, ACK: true} (all must be set on a flow), as the CLI's parseTCPFlags. */
export function parseTcpFlags(val: string): Record<string, boolean> {
  const flags: Record<string, boolean> = {};
  for (const f of val.split(',')) {
    const up = f.toUpperCase();
    if (!TCP_FLAG_NAMES.includes(up)) throw new FlowFilterError(`unknown tcp flag: ${f}`);
    flags[up] = true;
  }
  return flags;
}

function checkConflicts(t: FilterTracker): void {
  for (const group of CONFLICTS)
    for (const flag of group) {
      if (!t.changed.includes(flag)) continue;
      for (const other of group)
        if (other !== flag && t.changed.includes(other))
          throw new FlowFilterError(`filters --${flag} and --${other} cannot be combined`);
    }
}

function setFlag(t: FilterTracker, name: string, val: string): void {
  if (!t.changed.includes(name)) t.changed.push(name);
  checkConflicts(t);
  switch (name) {
    case 'uuid':
      t.apply((f) => push(f, 'uuid', val));
      break;
    case 'fqdn':
      t.applyLeft((f) => push(f, 'source_fqdn', val));
      t.applyRight((f) => push(f, 'destination_fqdn', val));
      break;
    case 'from-fqdn':
      t.apply((f) => push(f, 'source_fqdn', val));
      break;
    case 'to-fqdn':
      t.apply((f) => push(f, 'destination_fqdn', val));
      break;
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
    case 'ipv4':
      t.apply((f) => push(f, 'ip_version', 'IPv4'));
      break;
    case 'ipv6':
      t.apply((f) => push(f, 'ip_version', 'IPv6'));
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
    case 'from-namespace':
      t.srcNs.push(val);
      break;
    case 'to-namespace':
      t.dstNs.push(val);
      break;
    case 'service':
      t.applyLeft((f) => push(f, 'source_service', val));
      t.applyRight((f) => push(f, 'destination_service', val));
      break;
    case 'from-service':
      t.apply((f) => push(f, 'source_service', val));
      break;
    case 'to-service':
      t.apply((f) => push(f, 'destination_service', val));
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
    case 'http-status':
      t.apply((f) => push(f, 'http_status_code', val));
      break;
    case 'http-method':
      t.apply((f) => push(f, 'http_method', val));
      break;
    case 'http-path':
      t.apply((f) => push(f, 'http_path', val));
      break;
    case 'http-url':
      t.apply((f) => push(f, 'http_url', val));
      break;
    case 'http-header': {
      const colon = val.indexOf(':');
      if (colon < 0)
        throw new FlowFilterError(`invalid http-header value ${JSON.stringify(val)}, expected name:value`);
      const header = { key: val.slice(0, colon), value: val.slice(colon + 1) };
      t.apply((f) => push(f, 'http_header', { ...header }));
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
    case 'workload': {
      const w = parseWorkload(val);
      t.applyLeft((f) => push(f, 'source_workload', { ...w }));
      t.applyRight((f) => push(f, 'destination_workload', { ...w }));
      break;
    }
    case 'from-workload': {
      const w = parseWorkload(val);
      t.apply((f) => push(f, 'source_workload', { ...w }));
      break;
    }
    case 'to-workload': {
      const w = parseWorkload(val);
      t.apply((f) => push(f, 'destination_workload', { ...w }));
      break;
    }
    case 'identity': {
      const id = parseIdentity(val);
      t.applyLeft((f) => push(f, 'source_identity', id));
      t.applyRight((f) => push(f, 'destination_identity', id));
      break;
    }
    case 'from-identity': {
      const id = parseIdentity(val);
      t.apply((f) => push(f, 'source_identity', id));
      break;
    }
    case 'to-identity': {
      const id = parseIdentity(val);
      t.apply((f) => push(f, 'destination_identity', id));
      break;
    }
    case 'node-name':
      t.apply((f) => push(f, 'node_name', val));
      break;
    case 'cluster':
      t.applyLeft((f) => push(f, 'source_cluster_name', val));
      t.applyRight((f) => push(f, 'destination_cluster_name', val));
      break;
    case 'from-cluster':
      t.apply((f) => push(f, 'source_cluster_name', val));
      break;
    case 'to-cluster':
      t.apply((f) => push(f, 'destination_cluster_name', val));
      break;
    case 'tcp-flags': {
      const flags = parseTcpFlags(val);
      t.apply((f) => push(f, 'tcp_flags', { ...flags }));
      break;
    }
    case 'traffic-direction': {
      const td = val.toLowerCase();
      if (td !== 'ingress' && td !== 'egress')
        throw new FlowFilterError(`${td}: invalid traffic direction, expected ingress or egress`);
      t.apply((f) => push(f, 'traffic_direction', td.toUpperCase()));
      break;
    }
    default:
      throw new FlowFilterError(`unknown filter flag --${name}`);
  }
  checkNamespaceConflicts(t, t.left);
  checkNamespaceConflicts(t, t.right);
}

function nsConflicts(nss: string[], names: string[] | undefined): string | undefined {
  for (const ns of nss)
    for (const name of names ?? []) {
      const nn = namespaceFromName(name);
      if (nn !== '' && nn !== ns) return `namespace conflict: "${ns}" does not contain "${name}"`;
    }
  return undefined;
}

function inconsistentNamespaces(
  pods: string[] | undefined,
  services: string[] | undefined,
): string | undefined {
  for (const pod of pods ?? []) {
    const podNs = namespaceFromName(pod);
    if (podNs === '') continue;
    for (const svc of services ?? [])
      if (namespaceFromName(svc) !== podNs)
        return `namespace of service "${svc}" conflict with pod "${podNs}"`;
  }
  return undefined;
}

/** The CLI's checkNamespaceConflicts: every error found, one per line (errors.Join). */
function checkNamespaceConflicts(t: FilterTracker, ff: FlowFilter | undefined): void {
  if (!ff) return;
  const errors = [
    nsConflicts(t.ns, ff.source_pod),
    nsConflicts(t.ns, ff.source_service),
    nsConflicts(t.ns, ff.destination_pod),
    nsConflicts(t.ns, ff.destination_service),
    nsConflicts(t.srcNs, ff.source_pod),
    nsConflicts(t.srcNs, ff.source_service),
    nsConflicts(t.dstNs, ff.destination_pod),
    nsConflicts(t.dstNs, ff.destination_service),
    inconsistentNamespaces(ff.source_pod, ff.source_service),
    inconsistentNamespaces(ff.destination_pod, ff.destination_service),
  ].filter((e): e is string => e !== undefined);
  if (errors.length) throw new FlowFilterError(errors.join('\n'));
}

/** The flags of one option set, in the order the command line shows them (value undefined: a switch). */
function flagList(o: FlowFilterNegations): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  const bag = o as Record<string, unknown>;
  for (const { flag, key, kind } of FILTER_FLAGS) {
    const v = bag[key];
    if (kind === 'switch') {
      if (v === true) out.push([flag, undefined]);
    } else for (const x of (v as (string | number)[] | undefined) ?? []) out.push([flag, String(x)]);
  }
  return out;
}

/** Checks each built filter the way Hubble's server will (patterns, regular expressions, status codes). */
function validateServerSide(filters: FlowFilter[]): void {
  for (const f of filters)
    try {
      compileFilter(f);
    } catch (err) {
      throw new FlowFilterError((err as Error).message);
    }
}

/** Builds allow/deny lists from filter options exactly as the hubble CLI would for the same flags. */
export function buildFlowFilters(opts: FlowFilterOptions): {
  whitelist: FlowFilter[];
  blacklist: FlowFilter[];
} {
  const allow = new FilterTracker();
  for (const [flag, val] of flagList(opts)) setFlag(allow, flag, val ?? '');
  const deny = new FilterTracker();
  if (opts.not) for (const [flag, val] of flagList(opts.not)) setFlag(deny, flag, val ?? '');
  const whitelist = allow.flowFilters();
  const blacklist = deny.flowFilters();
  validateServerSide(whitelist);
  validateServerSide(blacklist);
  return { whitelist, blacklist };
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
  for (const [flag, val] of flagList(opts))
    parts.push(`--${flag}`, ...(val === undefined ? [] : [shellQuote(val)]));
  if (opts.not)
    for (const [flag, val] of flagList(opts.not))
      parts.push('--not', `--${flag}`, ...(val === undefined ? [] : [shellQuote(val)]));
  return parts.join(' ');
}

const FLAGS_BY_NAME = new Map<string, (typeof FILTER_FLAGS)[number]>();
for (const f of FILTER_FLAGS) {
  FLAGS_BY_NAME.set(f.flag, f);
  if (f.short) FLAGS_BY_NAME.set(f.short, f);
}

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
    const m = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(w);
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
    const spec = FLAGS_BY_NAME.get(name);
    if (!spec) throw new FlowFilterError(`unknown filter flag --${name}`);
    const { key } = spec;
    const target: FlowFilterNegations = negate ? (opts.not ??= {}) : opts;
    negate = false;
    if (spec.kind === 'switch') {
      // like pflag's NoOptDefVal: `--ipv4` alone; `--ipv4=v4` is accepted and the value ignored
      (target as Record<string, boolean>)[key] = true;
      continue;
    }
    const raw = takeValue();
    const bag = target as Record<string, (string | number)[] | undefined>;
    if (spec.kind === 'port') {
      if (!/^\d+$/.test(raw) || Number(raw) > 65535)
        throw new FlowFilterError(`invalid --${name} value: ${raw} (a port number 0-65535)`);
      (bag[key] ??= []).push(Number(raw));
    } else (bag[key] ??= []).push(raw);
  }
  if (negate) throw new FlowFilterError('--not must be followed by a filter');
  buildFlowRequest(opts); // validate the combination the way the request builder will
  return opts;
}
