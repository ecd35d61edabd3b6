/**
 * Local flow matching with the semantics Hubble's server applies to GetFlows filters
 * (cilium pkg/hubble/filters): a flow passes when it matches ANY allow filter (or there are none) and
 * NO deny filter; within one filter every populated field must match; within a field, any value.
 * Used for imported files, the CLI's --file mode and to check the simulator.
 */
import { dropReasonCode, EVENT_TYPES } from './enums';
import { ipMatcher } from './ip';
import { matchLabelRequirements, parseCiliumLabels, parseLabelSelector } from './label-selector';
import { compareTimestamps } from './time';
import type { Flow, FlowEndpoint, FlowFilter, FlowRequest, FlowWorkload } from './types';

type Predicate = (flow: Flow) => boolean;

export function flowPorts(flow: Flow): { src?: number; dst?: number } {
  const l4 = flow.l4;
  const p = l4?.TCP ?? l4?.UDP ?? l4?.SCTP;
  return p ? { src: p.source_port ?? 0, dst: p.destination_port ?? 0 } : {};
}

export function flowProtocol(flow: Flow): 'TCP' | 'UDP' | 'SCTP' | 'ICMPv4' | 'ICMPv6' | undefined {
  const l4 = flow.l4;
  if (!l4) return undefined;
  if (l4.TCP) return 'TCP';
  if (l4.UDP) return 'UDP';
  if (l4.SCTP) return 'SCTP';
  if (l4.ICMPv4) return 'ICMPv4';
  if (l4.ICMPv6) return 'ICMPv6';
  return undefined;
}

/** cilium k8s.ParseNamespaceName: `ns/name`, `name` (namespace "default"), `ns/` (any name in ns). */
function parseNamespacedName(name: string, what: string): { ns: string; prefix: string } {
  const parts = name.split('/');
  const [ns, prefix] =
    parts.length > 1 ? [parts[0], parts[1]] : parts[0] === '' ? ['', ''] : ['default', parts[0]];
  if (ns === '' && prefix === '')
    throw new Error(`${what}invalid filter, must be [namespace/][<name>], got ${goQuote(name)}`);
  return { ns, prefix };
}

/** Go's %q for plain strings */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

function byNamespacedName(
  names: string[],
  get: (f: Flow) => { ns?: string; name?: string },
  what = '',
): Predicate {
  const filters = names.map((n) => parseNamespacedName(n, what));
  return (flow) => {
    const { ns = '', name = '' } = get(flow);
    if (ns === '' && name === '') return false;
    return filters.some((f) => (f.prefix === '' || name.startsWith(f.prefix)) && f.ns === ns);
  };
}

function byLabels(selectors: string[], get: (f: Flow) => FlowEndpoint | undefined): Predicate {
  const parsed = selectors.map(parseLabelSelector);
  return (flow) => {
    const labels = parseCiliumLabels(get(flow)?.labels);
    return parsed.some((reqs) => matchLabelRequirements(reqs, labels));
  };
}

function byIp(specs: string[], get: (f: Flow) => string | undefined): Predicate {
  const ms = specs.map(ipMatcher);
  return (flow) => {
    const ip = get(flow);
    return !!ip && ms.some((m) => m(ip));
  };
}

function byPort(ports: string[], get: (f: Flow) => number | undefined): Predicate {
  const nums = ports.map((p) => {
    if (!/^\d+$/.test(p) || Number(p) > 65535) throw new Error(`invalid port "${p}"`);
    return Number(p);
  });
  return (flow) => {
    const port = get(flow);
    return port !== undefined && nums.includes(port);
  };
}

function byProtocol(protocols: string[]): Predicate {
  const ps = protocols.map((p) => p.toLowerCase());
  for (const p of ps)
    if (!['icmp', 'icmpv4', 'icmpv6', 'tcp', 'udp', 'dns', 'http', 'kafka'].includes(p))
      throw new Error(`unknown protocol: "${p}"`);
  return (flow) => {
    const l4 = flow.l4;
    const l7 = flow.l7 as { dns?: unknown; http?: unknown; kafka?: unknown } | undefined;
    return ps.some((p) => {
      switch (p) {
        case 'icmp':
          return !!(l4?.ICMPv4 || l4?.ICMPv6);
        case 'icmpv4':
          return !!l4?.ICMPv4;
        case 'icmpv6':
          return !!l4?.ICMPv6;
        case 'tcp':
          return !!l4?.TCP;
        case 'udp':
          return !!l4?.UDP;
        default:
          return !!l7?.[p as 'dns' | 'http' | 'kafka'];
      }
    });
  };
}

/** An FQDN name element as Hubble's node name patterns match it (cilium filters/patterns.go fqdnRegexpStr). */
const FQDN_REGEXP = '(?:[-0-9_a-z]+(?:\\.[-0-9_a-z]+)*)';

/**
 * One FQDN pattern → regular expression source, as cilium's appendFQDNPatternRegexp: trimmed, one trailing
 * dot dropped, lower-cased; `*` matches `[-.0-9a-z]*` (not `_`); only `-`, digits, `_`, `a-z`, `.`, `*`.
 */
function fqdnPatternSource(pattern: string): string {
  let p = pattern.trim();
  if (p.endsWith('.')) p = p.slice(0, -1);
  p = p.toLowerCase();
  if (p === '') throw new Error('empty pattern');
  if (p.endsWith('.')) throw new Error('multiple trailing dots in pattern');
  let out = '';
  for (const r of p) {
    if (r === '.') out += '\\.';
    else if (r === '*') out += '[-.0-9a-z]*';
    else if (r === '-' || r === '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z')) out += r;
    else throw new Error(`'${r}': invalid rune in pattern`);
  }
  return out;
}

/** cilium compileFQDNPattern: any of the patterns, whole name. */
export function compileFqdnPatterns(patterns: string[]): RegExp {
  return new RegExp(`^(?:${patterns.map(fqdnPatternSource).join('|')})$`);
}

/** cilium compileNodeNamePattern: `[cluster/]node` patterns; an empty element matches any name. */
export function compileNodeNamePatterns(patterns: string[]): RegExp {
  const parts = patterns.map((p) => {
    if (p === '') throw new Error('empty pattern');
    const elems = p.split('/');
    if (elems.length > 2) throw new Error('too many slashes in pattern');
    const [cluster, node] = elems.length === 1 ? ['', elems[0]] : elems;
    return `${cluster === '' ? FQDN_REGEXP : fqdnPatternSource(cluster)}/${node === '' ? FQDN_REGEXP : fqdnPatternSource(node)}`;
  });
  return new RegExp(`^(?:${parts.join('|')})$`);
}

/** Hubble's default cluster name, prefixed to node names that carry none */
const DEFAULT_CLUSTER_NAME = 'default';

/** Message type of L7 (proxy access log) events; HTTP filters need an event type filter that allows it. */
const MESSAGE_TYPE_ACCESS_LOG = 129;

function httpCompatibleEventFilter(types: FlowFilter['event_type']): boolean {
  return !types?.length || types.some((t) => t.type === MESSAGE_TYPE_ACCESS_LOG);
}

/**
 * A Go (RE2) regular expression as a JS RegExp. Go's leading flag group `(?i)`, `(?s)`, `(?m)` (and
 * combinations) becomes the JS flags; the rest of the syntax the two share is used as is.
 */
export function goRegExp(source: string): RegExp {
  const m = /^\(\?([ims]+)\)/.exec(source);
  return m ? new RegExp(source.slice(m[0].length), [...new Set(m[1])].join('')) : new RegExp(source);
}

function compileRegExp(source: string, what: string): RegExp {
  try {
    return goRegExp(source);
  } catch (err) {
    throw new Error(`invalid ${what} filter: ${source}: ${(err as Error).message}`);
  }
}

interface HttpRecord {
  code?: number;
  method?: string;
  url?: string;
  headers?: { key?: string; value?: string }[];
}

function httpOf(flow: Flow): HttpRecord | undefined {
  return (flow.l7 as { http?: HttpRecord } | undefined)?.http;
}

/**
 * The path of a request URL as Go's url.ParseRequestURI(u).Path: an absolute path, or an absolute URL
 * (`scheme:...`); the path is percent-decoded; undefined when Go would fail to parse it.
 */
export function requestUriPath(u: string): string | undefined {
  let rest: string;
  if (u.startsWith('/')) rest = u;
  else {
    const m = /^[A-Za-z][A-Za-z0-9+.-]*:(.*)$/s.exec(u);
    if (!m) return undefined;
    rest = m[1];
    if (rest.startsWith('//')) {
      const slash = rest.indexOf('/', 2);
      const q = rest.indexOf('?', 2);
      const end = slash < 0 ? -1 : q >= 0 && q < slash ? -1 : slash;
      if (end < 0) return '';
      rest = rest.slice(end);
    } else if (!rest.startsWith('/')) return ''; // opaque URL (mailto:x): no path
  }
  const q = rest.indexOf('?');
  const raw = q >= 0 ? rest.slice(0, q) : rest;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

const HTTP_STATUS_FULL = /^[1-5][0-9]{2}$/;
const HTTP_STATUS_PREFIX = /^[1-5][0-9]?\+$/;

function byHttpStatus(codes: string[]): Predicate {
  const full: string[] = [];
  const prefix: string[] = [];
  for (const s of codes) {
    if (HTTP_STATUS_FULL.test(s)) full.push(s);
    else if (HTTP_STATUS_PREFIX.test(s)) prefix.push(s.slice(0, -1));
    else throw new Error(`invalid http status code filter: invalid status code prefix: ${goQuote(s)}`);
  }
  return (flow) => {
    const code = httpOf(flow)?.code ?? 0;
    if (!code) return false; // not an HTTP response
    const text = String(code).padStart(3, '0');
    return full.includes(text) || prefix.some((p) => text.startsWith(p));
  };
}

const TCP_FLAG_KEYS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'];

function verdictName(v: unknown): string {
  if (typeof v === 'number')
    return (
      ['VERDICT_UNKNOWN', 'FORWARDED', 'DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED'][
        v
      ] ?? String(v)
    );
  return typeof v === 'string' ? v : 'VERDICT_UNKNOWN';
}

function direction(v: unknown): string {
  if (typeof v === 'number') return ['TRAFFIC_DIRECTION_UNKNOWN', 'INGRESS', 'EGRESS'][v] ?? String(v);
  return typeof v === 'string' ? v : 'TRAFFIC_DIRECTION_UNKNOWN';
}

function byWorkload(wanted: FlowWorkload[], get: (f: Flow) => FlowEndpoint | undefined): Predicate {
  return (flow) =>
    (get(flow)?.workloads ?? []).some((w) =>
      wanted.some((x) => (!x.name || x.name === w.name) && (!x.kind || x.kind === w.kind)),
    );
}

function byClusterName(names: string[], get: (f: Flow) => FlowEndpoint | undefined): Predicate {
  if (names.includes('')) throw new Error('invalid filter, name must not be empty');
  return (flow) => names.includes(get(flow)?.cluster_name ?? '');
}

/** Compiles one FlowFilter into a predicate (all populated fields must match). Throws on invalid values. */
export function compileFilter(ff: FlowFilter): Predicate {
  const ps: Predicate[] = [];
  if (ff.uuid?.length) {
    const set = new Set(ff.uuid);
    ps.push((f) => !!f.uuid && set.has(f.uuid));
  }
  if (ff.source_ip?.length) ps.push(byIp(ff.source_ip, (f) => f.IP?.source));
  if (ff.destination_ip?.length) ps.push(byIp(ff.destination_ip, (f) => f.IP?.destination));
  if (ff.source_pod?.length)
    ps.push(byNamespacedName(ff.source_pod, (f) => ({ ns: f.source?.namespace, name: f.source?.pod_name })));
  if (ff.destination_pod?.length)
    ps.push(
      byNamespacedName(ff.destination_pod, (f) => ({
        ns: f.destination?.namespace,
        name: f.destination?.pod_name,
      })),
    );
  if (ff.source_service?.length)
    ps.push(
      byNamespacedName(
        ff.source_service,
        (f) => ({ ns: f.source_service?.namespace, name: f.source_service?.name }),
        'invalid source service filter: ',
      ),
    );
  if (ff.destination_service?.length)
    ps.push(
      byNamespacedName(
        ff.destination_service,
        (f) => ({ ns: f.destination_service?.namespace, name: f.destination_service?.name }),
        'invalid destination service filter: ',
      ),
    );
  if (ff.source_label?.length) ps.push(byLabels(ff.source_label, (f) => f.source));
  if (ff.destination_label?.length) ps.push(byLabels(ff.destination_label, (f) => f.destination));
  if (ff.source_fqdn?.length) {
    const re = compileFqdnPatterns(ff.source_fqdn);
    ps.push((f) => (f.source_names ?? []).some((n) => re.test(n)));
  }
  if (ff.destination_fqdn?.length) {
    const re = compileFqdnPatterns(ff.destination_fqdn);
    ps.push((f) => (f.destination_names ?? []).some((n) => re.test(n)));
  }
  if (ff.source_workload?.length) ps.push(byWorkload(ff.source_workload, (f) => f.source));
  if (ff.destination_workload?.length) ps.push(byWorkload(ff.destination_workload, (f) => f.destination));
  if (ff.source_cluster_name?.length) ps.push(byClusterName(ff.source_cluster_name, (f) => f.source));
  if (ff.destination_cluster_name?.length)
    ps.push(byClusterName(ff.destination_cluster_name, (f) => f.destination));
  const httpNeedsL7 = (what: string) => {
    if (!httpCompatibleEventFilter(ff.event_type))
      throw new Error(`filtering by http ${what} requires the event type filter to only match 'l7' events`);
  };
  if (ff.http_status_code?.length) {
    httpNeedsL7('status code');
    ps.push(byHttpStatus(ff.http_status_code));
  }
  if (ff.http_method?.length) {
    httpNeedsL7('method');
    const methods = ff.http_method.map((m) => m.toLowerCase());
    ps.push((f) => {
      const m = httpOf(f)?.method;
      return !!m && methods.includes(m.toLowerCase());
    });
  }
  if (ff.http_path?.length) {
    httpNeedsL7('path');
    const res = ff.http_path.map((p) => compileRegExp(p, 'http path'));
    ps.push((f) => {
      const url = httpOf(f)?.url;
      const path = url ? requestUriPath(url) : undefined;
      return path !== undefined && res.some((r) => r.test(path));
    });
  }
  if (ff.http_url?.length) {
    httpNeedsL7('url');
    const res = ff.http_url.map((p) => compileRegExp(p, 'http url'));
    ps.push((f) => {
      const url = httpOf(f)?.url;
      return !!url && res.some((r) => r.test(url));
    });
  }
  if (ff.http_header?.length) {
    httpNeedsL7('headers');
    const wanted = ff.http_header;
    ps.push((f) =>
      (httpOf(f)?.headers ?? []).some((h) => wanted.some((w) => w.key === h.key && w.value === h.value)),
    );
  }
  if (ff.tcp_flags?.length) {
    const wanted = ff.tcp_flags;
    ps.push((f) => {
      const have = f.l4?.TCP?.flags;
      if (!have) return false;
      // a filter matches when every flag it names is set on the flow (others may be set too)
      return wanted.some((w) => TCP_FLAG_KEYS.every((k) => !w[k] || have[k]));
    });
  }
  if (ff.verdict?.length) {
    const set = new Set(ff.verdict.map(verdictName));
    ps.push((f) => set.has(verdictName(f.verdict)));
  }
  if (ff.drop_reason_desc?.length) {
    const codes = new Set(ff.drop_reason_desc.map((d) => dropReasonCode(d)));
    ps.push((f) => codes.has(dropReasonCode(f.drop_reason_desc) ?? 0));
  }
  if (ff.traffic_direction?.length) {
    const set = new Set(ff.traffic_direction.map(direction));
    ps.push((f) => set.has(direction(f.traffic_direction)));
  }
  if (ff.event_type?.length) {
    const evs = ff.event_type;
    ps.push((f) => {
      const t = f.event_type?.type ?? 0;
      const st = f.event_type?.sub_type ?? 0;
      return evs.some((e) => e.type === t && (!e.match_sub_type || (e.sub_type ?? 0) === st));
    });
  }
  if (ff.protocol?.length) ps.push(byProtocol(ff.protocol));
  if (ff.source_port?.length) ps.push(byPort(ff.source_port, (f) => flowPorts(f).src));
  if (ff.destination_port?.length) ps.push(byPort(ff.destination_port, (f) => flowPorts(f).dst));
  if (ff.reply?.length) {
    const want = ff.reply;
    ps.push((f) => want.includes(f.is_reply ?? false));
  }
  if (ff.source_identity?.length) {
    const ids = ff.source_identity.map(Number);
    ps.push((f) => !!f.source && ids.includes(f.source.identity ?? 0));
  }
  if (ff.destination_identity?.length) {
    const ids = ff.destination_identity.map(Number);
    ps.push((f) => !!f.destination && ids.includes(f.destination.identity ?? 0));
  }
  if (ff.node_name?.length) {
    const re = compileNodeNamePatterns(ff.node_name);
    ps.push((f) => {
      const n = f.node_name ?? '';
      if (n === '') return false;
      return re.test(n.includes('/') ? n : `${DEFAULT_CLUSTER_NAME}/${n}`);
    });
  }
  if (ff.ip_version?.length) {
    const set = new Set(ff.ip_version);
    ps.push((f) => set.has(f.IP?.ipVersion ?? 'IP_NOT_USED'));
  }
  return (flow) => ps.every((p) => p(flow));
}

export interface CompiledFilters {
  (flow: Flow): boolean;
}

/** Compiles allow (whitelist) and deny (blacklist) lists once; the result tests flows quickly. */
export function compileFilters(filters: {
  whitelist?: FlowFilter[];
  blacklist?: FlowFilter[];
}): CompiledFilters {
  const allow = (filters.whitelist ?? []).map(compileFilter);
  const deny = (filters.blacklist ?? []).map(compileFilter);
  return (flow) => (allow.length === 0 || allow.some((p) => p(flow))) && !deny.some((p) => p(flow));
}

/** Does this flow pass these allow/deny filters? (Compile once with compileFilters for many flows.) */
export function matchFlow(
  flow: Flow,
  filters: { whitelist?: FlowFilter[]; blacklist?: FlowFilter[] },
): boolean {
  return compileFilters(filters)(flow);
}

/**
 * Applies a whole request to a list of flows held locally (oldest first): filters, since/until, and
 * number (last N, or first N with `first`). `follow` has no meaning for a finished list.
 */
export function selectFlows(flows: readonly Flow[], req: FlowRequest): Flow[] {
  const test = compileFilters(req);
  let out = flows.filter((f) => {
    if (req.since && (!f.time || compareTimestamps(f.time, req.since) < 0)) return false;
    if (req.until && (!f.time || compareTimestamps(f.time, req.until) > 0)) return false;
    return test(f);
  });
  if (req.number)
    out = req.first ? out.slice(0, req.number) : out.slice(Math.max(0, out.length - req.number));
  return out;
}

export { EVENT_TYPES };
