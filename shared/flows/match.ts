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
import type { Flow, FlowEndpoint, FlowFilter, FlowRequest } from './types';

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

function parseNamespacedName(name: string): { ns: string; prefix: string } {
  const parts = name.split('/');
  if (parts.length > 1) return { ns: parts[0], prefix: parts[1] };
  if (parts[0] === '') throw new Error(`invalid filter, must be [namespace/][<name>], got "${name}"`);
  return { ns: 'default', prefix: parts[0] };
}

function byNamespacedName(names: string[], get: (f: Flow) => { ns?: string; name?: string }): Predicate {
  const filters = names.map(parseNamespacedName);
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

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

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
  const svc = (s: unknown) => (s ?? {}) as { name?: string; namespace?: string };
  if (ff.source_service?.length)
    ps.push(
      byNamespacedName(ff.source_service, (f) => ({
        ns: svc(f.source_service).namespace,
        name: svc(f.source_service).name,
      })),
    );
  if (ff.destination_service?.length)
    ps.push(
      byNamespacedName(ff.destination_service, (f) => ({
        ns: svc(f.destination_service).namespace,
        name: svc(f.destination_service).name,
      })),
    );
  if (ff.source_label?.length) ps.push(byLabels(ff.source_label, (f) => f.source));
  if (ff.destination_label?.length) ps.push(byLabels(ff.destination_label, (f) => f.destination));
  if (ff.source_fqdn?.length) {
    const res = ff.source_fqdn.map(globToRegExp);
    ps.push((f) => ((f.source_names as string[] | undefined) ?? []).some((n) => res.some((r) => r.test(n))));
  }
  if (ff.destination_fqdn?.length) {
    const res = ff.destination_fqdn.map(globToRegExp);
    ps.push((f) =>
      ((f.destination_names as string[] | undefined) ?? []).some((n) => res.some((r) => r.test(n))),
    );
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
    const ids = ff.source_identity;
    ps.push((f) => ids.includes(f.source?.identity ?? 0));
  }
  if (ff.destination_identity?.length) {
    const ids = ff.destination_identity;
    ps.push((f) => ids.includes(f.destination?.identity ?? 0));
  }
  if (ff.node_name?.length) {
    const res = ff.node_name.map(globToRegExp);
    ps.push((f) => res.some((r) => r.test(f.node_name ?? '')));
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
