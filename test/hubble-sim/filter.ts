/**
 * The simulator's OWN, deliberately plain implementation of Hubble's server-side flow filtering
 * (kept independent of shared/flows/match.ts so tests can compare the two).
 */
import type { Flow, FlowFilter, FlowRequest } from '@shared/flows/types';

const DROP_CODES: Record<string, number> = {
  POLICY_DENIED: 133,
  POLICY_DENY: 181,
  AUTH_REQUIRED: 189,
  STALE_OR_UNROUTABLE_IP: 151,
};

function dropCode(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return DROP_CODES[v] ?? (/^\d+$/.test(v) ? Number(v) : -1);
  return 0;
}

function ipToNum(ip: string): number | undefined {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) return undefined;
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

function ipMatches(spec: string, ip: string | undefined): boolean {
  if (!ip) return false;
  if (!spec.includes('/')) return spec === ip;
  const [net, bits] = spec.split('/');
  const a = ipToNum(net);
  const b = ipToNum(ip);
  if (a === undefined || b === undefined) return false;
  const n = Number(bits);
  if (n === 0) return true;
  const mask = (0xffffffff << (32 - n)) >>> 0;
  return (a & mask) === (b & mask);
}

function podMatches(spec: string, ns: string | undefined, pod: string | undefined): boolean {
  if (!ns && !pod) return false;
  let wantNs: string;
  let prefix: string;
  if (spec.includes('/'))
    [wantNs, prefix] = [spec.slice(0, spec.indexOf('/')), spec.slice(spec.indexOf('/') + 1)];
  else [wantNs, prefix] = ['default', spec];
  return (ns ?? '') === wantNs && (pod ?? '').startsWith(prefix);
}

/** Supports `k=v`, `k!=v`, `k`, `!k`, comma-AND; `src:k` restricts the label source. */
function labelMatches(selector: string, labels: string[] | undefined): boolean {
  const ls = labels ?? [];
  const find = (key: string) =>
    ls.filter((l) => {
      const k = l.split('=')[0];
      return key.includes(':') ? k === key : k.slice(k.indexOf(':') + 1) === key;
    });
  return selector.split(',').every((raw) => {
    const req = raw.trim();
    if (req.startsWith('!')) return find(req.slice(1).trim()).length === 0;
    if (req.includes('!=')) {
      const [k, v] = req.split('!=').map((s) => s.trim());
      return !find(k).some((l) => l.slice(l.indexOf('=') + 1) === v);
    }
    if (req.includes('=')) {
      const [k, v] = req.split(/==?/).map((s) => s.trim());
      return find(k).some((l) => l.includes('=') && l.slice(l.indexOf('=') + 1) === v);
    }
    return find(req).length > 0;
  });
}

function ports(flow: Flow): [number | undefined, number | undefined] {
  const p = flow.l4?.TCP ?? flow.l4?.UDP ?? flow.l4?.SCTP;
  return p ? [p.source_port ?? 0, p.destination_port ?? 0] : [undefined, undefined];
}

function protoMatches(p: string, flow: Flow): boolean {
  switch (p.toLowerCase()) {
    case 'tcp':
      return !!flow.l4?.TCP;
    case 'udp':
      return !!flow.l4?.UDP;
    case 'icmp':
      return !!flow.l4?.ICMPv4 || !!flow.l4?.ICMPv6;
    case 'icmpv4':
      return !!flow.l4?.ICMPv4;
    case 'icmpv6':
      return !!flow.l4?.ICMPv6;
    default:
      return false;
  }
}

/** `*.example.com` → whole-name match; `*` spans letters, digits, dots and dashes */
function fqdnMatches(pattern: string, name: string): boolean {
  const p = pattern.trim().replace(/\.$/, '').toLowerCase();
  const re = p
    .split('*')
    .map((part) => part.replace(/\./g, '\\.'))
    .join('[-.0-9a-z]*');
  return new RegExp(`^${re}$`).test(name);
}

/** `[cluster/]node` with `*`; a missing cluster part matches any cluster */
function nodeMatches(pattern: string, nodeName: string | undefined): boolean {
  if (!nodeName) return false;
  const full = nodeName.includes('/') ? nodeName : `default/${nodeName}`;
  const [cluster, node] = pattern.includes('/') ? pattern.split('/') : ['', pattern];
  const [fc, fn] = full.split('/');
  return (cluster === '' || fqdnMatches(cluster, fc)) && (node === '' || fqdnMatches(node, fn));
}

function httpStatusMatches(spec: string, code: number | undefined): boolean {
  if (!code) return false;
  const text = String(code).padStart(3, '0');
  return spec.endsWith('+') ? text.startsWith(spec.slice(0, -1)) : text === spec;
}

/** path part of an absolute URL or absolute path */
function urlPath(url: string): string | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?]*)?(\/[^?]*)?/i.exec(url);
  if (!m || (!url.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(url))) return undefined;
  return decodeURIComponent(m[1] ?? '');
}

interface SimHttp {
  code?: number;
  method?: string;
  url?: string;
  headers?: { key?: string; value?: string }[];
}

function some<T>(values: T[] | undefined, test: (v: T) => boolean): boolean {
  return values === undefined || values.length === 0 || values.some(test);
}

export function simFilterMatches(f: FlowFilter, flow: Flow): boolean {
  const [sp, dp] = ports(flow);
  const http = (flow.l7 as { http?: SimHttp } | undefined)?.http;
  const tcpFlags = flow.l4?.TCP?.flags;
  return (
    some(f.source_fqdn, (p) => (flow.source_names ?? []).some((n) => fqdnMatches(p, n))) &&
    some(f.destination_fqdn, (p) => (flow.destination_names ?? []).some((n) => fqdnMatches(p, n))) &&
    some(f.source_service, (s) => podMatches(s, flow.source_service?.namespace, flow.source_service?.name)) &&
    some(f.destination_service, (s) =>
      podMatches(s, flow.destination_service?.namespace, flow.destination_service?.name),
    ) &&
    some(f.source_workload, (w) =>
      (flow.source?.workloads ?? []).some(
        (x) => (!w.name || w.name === x.name) && (!w.kind || w.kind === x.kind),
      ),
    ) &&
    some(f.destination_workload, (w) =>
      (flow.destination?.workloads ?? []).some(
        (x) => (!w.name || w.name === x.name) && (!w.kind || w.kind === x.kind),
      ),
    ) &&
    some(f.source_cluster_name, (c) => c === (flow.source?.cluster_name ?? '')) &&
    some(f.destination_cluster_name, (c) => c === (flow.destination?.cluster_name ?? '')) &&
    some(f.http_status_code, (c) => httpStatusMatches(c, http?.code)) &&
    some(f.http_method, (m) => !!http?.method && http.method.toUpperCase() === m.toUpperCase()) &&
    some(f.http_path, (p) => {
      const path = http?.url ? urlPath(http.url) : undefined;
      return path !== undefined && new RegExp(p).test(path);
    }) &&
    some(f.http_url, (p) => !!http?.url && new RegExp(p).test(http.url)) &&
    some(f.http_header, (h) => (http?.headers ?? []).some((x) => x.key === h.key && x.value === h.value)) &&
    some(
      f.tcp_flags,
      (want) => !!tcpFlags && Object.entries(want).every(([k, on]) => !on || tcpFlags[k] === true),
    ) &&
    some(f.ip_version, (v) => v === (flow.IP?.ipVersion ?? 'IP_NOT_USED')) &&
    some(f.reply, (r) => r === (flow.is_reply ?? false)) &&
    some(f.uuid, (u) => u === flow.uuid) &&
    some(f.source_ip, (s) => ipMatches(s, flow.IP?.source)) &&
    some(f.destination_ip, (s) => ipMatches(s, flow.IP?.destination)) &&
    some(f.source_pod, (s) => podMatches(s, flow.source?.namespace, flow.source?.pod_name)) &&
    some(f.destination_pod, (s) => podMatches(s, flow.destination?.namespace, flow.destination?.pod_name)) &&
    some(f.source_label, (s) => labelMatches(s, flow.source?.labels)) &&
    some(f.destination_label, (s) => labelMatches(s, flow.destination?.labels)) &&
    some(f.verdict, (v) => v === flow.verdict) &&
    some(f.drop_reason_desc, (d) => dropCode(d) === dropCode(flow.drop_reason_desc)) &&
    some(f.traffic_direction, (d) => d === flow.traffic_direction) &&
    some(
      f.event_type,
      (e) =>
        e.type === (flow.event_type?.type ?? 0) &&
        (!e.match_sub_type || (e.sub_type ?? 0) === (flow.event_type?.sub_type ?? 0)),
    ) &&
    some(f.protocol, (p) => protoMatches(p, flow)) &&
    some(f.source_port, (p) => sp !== undefined && Number(p) === sp) &&
    some(f.destination_port, (p) => dp !== undefined && Number(p) === dp) &&
    some(f.source_identity, (i) => !!flow.source && i === (flow.source.identity ?? 0)) &&
    some(f.destination_identity, (i) => !!flow.destination && i === (flow.destination.identity ?? 0)) &&
    some(f.node_name, (n) => nodeMatches(n, flow.node_name))
  );
}

export function simRequestMatches(req: Pick<FlowRequest, 'whitelist' | 'blacklist'>, flow: Flow): boolean {
  const allow = req.whitelist ?? [];
  const deny = req.blacklist ?? [];
  if (allow.length && !allow.some((f) => simFilterMatches(f, flow))) return false;
  return !deny.some((f) => simFilterMatches(f, flow));
}
