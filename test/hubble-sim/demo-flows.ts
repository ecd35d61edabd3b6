/**
 * Builds the demo cluster's recorded Hubble flows (assets/demo/flows.jsonpb) and synthetic flow scenarios
 * for tests and benchmarks. Deterministic: same input, same flows (seeded uuids, fixed times).
 * The demo flows follow what a Cilium 1.18 agent records: a from-endpoint trace on the source node,
 * policy-verdict events where a policy applies, drop events (type 1, sub_type 133) for default-deny drops,
 * to-endpoint traces on the destination node and reply packets.
 */
import type { Flow, FlowEndpoint, PolicyName } from '@shared/flows/types';
import { joinTimestamp } from '@shared/flows/time';

interface DemoPod {
  ns: string;
  name: string;
  ip: string;
  node: 'node-a' | 'node-b';
  labels: Record<string, string>;
  sa: string;
  identity: number;
  epId: number;
  workload: { name: string; kind: string };
  nsLabels?: Record<string, string>;
}

const CLUSTER = 'demo';

export const DEMO_PODS: Record<string, DemoPod> = {
  web1: {
    ns: 'frontend',
    name: 'web-7d9f8b6c5-x2k4p',
    ip: '10.0.1.11',
    node: 'node-a',
    labels: { app: 'web', tier: 'frontend' },
    sa: 'web',
    identity: 12482,
    epId: 1204,
    workload: { name: 'web', kind: 'Deployment' },
  },
  web2: {
    ns: 'frontend',
    name: 'web-7d9f8b6c5-q8m2n',
    ip: '10.0.2.12',
    node: 'node-b',
    labels: { app: 'web', tier: 'frontend' },
    sa: 'web',
    identity: 12482,
    epId: 2311,
    workload: { name: 'web', kind: 'Deployment' },
  },
  api1: {
    ns: 'backend',
    name: 'api-5c6d7f8b9-abcde',
    ip: '10.0.1.21',
    node: 'node-a',
    labels: { app: 'api', tier: 'backend' },
    sa: 'api',
    identity: 30711,
    epId: 1877,
    workload: { name: 'api', kind: 'Deployment' },
  },
  api2: {
    ns: 'backend',
    name: 'api-5c6d7f8b9-fghij',
    ip: '10.0.2.22',
    node: 'node-b',
    labels: { app: 'api', tier: 'backend' },
    sa: 'api',
    identity: 30711,
    epId: 2458,
    workload: { name: 'api', kind: 'Deployment' },
  },
  redis: {
    ns: 'backend',
    name: 'redis-cache-0',
    ip: '10.0.2.23',
    node: 'node-b',
    labels: { app: 'redis-cache', tier: 'cache', 'statefulset.kubernetes.io/pod-name': 'redis-cache-0' },
    sa: 'default',
    identity: 41207,
    epId: 2560,
    workload: { name: 'redis-cache', kind: 'StatefulSet' },
  },
  payments: {
    ns: 'payments',
    name: 'payments-6b7c8d9e5-klmno',
    ip: '10.0.1.31',
    node: 'node-a',
    labels: { app: 'payments', tier: 'backend' },
    sa: 'payments',
    identity: 52119,
    epId: 1391,
    workload: { name: 'payments', kind: 'Deployment' },
  },
  postgres: {
    ns: 'data',
    name: 'postgres-0',
    ip: '10.0.2.41',
    node: 'node-b',
    labels: { app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-0' },
    sa: 'default',
    identity: 20563,
    epId: 2087,
    workload: { name: 'postgres', kind: 'StatefulSet' },
  },
  prometheus: {
    ns: 'monitoring',
    name: 'prometheus-0',
    ip: '10.0.1.51',
    node: 'node-a',
    labels: { app: 'prometheus', 'statefulset.kubernetes.io/pod-name': 'prometheus-0' },
    sa: 'prometheus',
    identity: 18734,
    epId: 1563,
    workload: { name: 'prometheus', kind: 'StatefulSet' },
    nsLabels: { purpose: 'monitoring' },
  },
  grafana: {
    ns: 'monitoring',
    name: 'grafana-6f7d8c9b4-rstuv',
    ip: '10.0.2.52',
    node: 'node-b',
    labels: { app: 'grafana' },
    sa: 'default',
    identity: 27316,
    epId: 2733,
    workload: { name: 'grafana', kind: 'Deployment' },
    nsLabels: { purpose: 'monitoring' },
  },
  dns1: {
    ns: 'kube-system',
    name: 'coredns-5d78c9869d-7xk2m',
    ip: '10.0.1.2',
    node: 'node-a',
    labels: { 'k8s-app': 'kube-dns' },
    sa: 'coredns',
    identity: 9021,
    epId: 1002,
    workload: { name: 'coredns', kind: 'Deployment' },
  },
  dns2: {
    ns: 'kube-system',
    name: 'coredns-5d78c9869d-9bq4w',
    ip: '10.0.2.2',
    node: 'node-b',
    labels: { 'k8s-app': 'kube-dns' },
    sa: 'coredns',
    identity: 9021,
    epId: 2002,
    workload: { name: 'coredns', kind: 'Deployment' },
  },
};

const NODE_LABELS: Record<string, string[]> = {
  'node-a': ['kubernetes.io/arch=amd64', 'kubernetes.io/hostname=node-a', 'kubernetes.io/os=linux'],
  'node-b': ['kubernetes.io/arch=amd64', 'kubernetes.io/hostname=node-b', 'kubernetes.io/os=linux'],
};

/** Small seeded PRNG (mulberry32) so the recording is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function mac(seed: number): string {
  const b = [
    0x02,
    (seed >> 24) & 0xff,
    (seed >> 16) & 0xff,
    (seed >> 8) & 0xff,
    seed & 0xff,
    (seed * 7) & 0xff,
  ];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function endpoint(p: DemoPod, local: boolean): FlowEndpoint {
  const labels = [
    ...Object.entries(p.labels).map(([k, v]) => `k8s:${k}=${v}`),
    `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=${p.ns}`,
    ...Object.entries(p.nsLabels ?? {}).map(([k, v]) => `k8s:io.cilium.k8s.namespace.labels.${k}=${v}`),
    `k8s:io.cilium.k8s.policy.cluster=${CLUSTER}`,
    `k8s:io.cilium.k8s.policy.serviceaccount=${p.sa}`,
    `k8s:io.kubernetes.pod.namespace=${p.ns}`,
  ].sort();
  const ep: FlowEndpoint = {};
  if (local) ep.ID = p.epId;
  Object.assign(ep, {
    identity: p.identity,
    cluster_name: CLUSTER,
    namespace: p.ns,
    labels,
    pod_name: p.name,
    workloads: [p.workload],
  });
  return ep;
}

function policy(ns: string, name: string, uidSeed: number): PolicyName {
  const rand = rng(uidSeed);
  return {
    name,
    namespace: ns,
    labels: [
      'k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy',
      `k8s:io.cilium.k8s.policy.name=${name}`,
      `k8s:io.cilium.k8s.policy.namespace=${ns}`,
      `k8s:io.cilium.k8s.policy.uid=${uuidFrom(rand)}`,
    ],
    revision: '7',
    kind: 'NetworkPolicy',
  };
}

type Proto = 'TCP' | 'UDP';

interface Conn {
  src: DemoPod;
  dst: DemoPod;
  port: number;
  proto: Proto;
  /** policy that allowed egress on the source, if the source is egress-isolated */
  egressAllowedBy?: PolicyName;
  /** policy that allowed ingress on the destination, if it is ingress-isolated */
  ingressAllowedBy?: PolicyName;
  /** where a default deny drops it */
  deniedAt?: 'EGRESS' | 'INGRESS';
}

/** Flows recorded from a seeded random source, timed from a start second (a few µs of jitter each). */
class TimedRecorder {
  flows: Flow[] = [];
  protected rand: () => number;
  constructor(
    seed: number,
    private startSeconds: number,
  ) {
    this.rand = rng(seed);
  }

  protected time(offsetMs: number): string {
    const totalNs = Math.round(offsetMs * 1_000_000) + Math.floor(this.rand() * 5000);
    const sec = Math.floor(totalNs / 1e9);
    return joinTimestamp(this.startSeconds + sec, totalNs - sec * 1e9);
  }
}

class Recorder extends TimedRecorder {
  private sportBase = 40000;

  private base(
    c: Conn,
    atMs: number,
    node: string,
    reply: boolean,
    sport: number,
    flags?: Record<string, boolean>,
  ): Flow {
    const [s, d] = reply ? [c.dst, c.src] : [c.src, c.dst];
    const [sp, dp] = reply ? [c.port, sport] : [sport, c.port];
    const l4: Flow['l4'] =
      c.proto === 'TCP'
        ? { TCP: { source_port: sp, destination_port: dp, flags } }
        : { UDP: { source_port: sp, destination_port: dp } };
    const summary = c.proto === 'TCP' ? `TCP Flags: ${Object.keys(flags ?? {}).join(', ')}` : 'UDP';
    const time = this.time(atMs);
    return {
      time,
      uuid: uuidFrom(this.rand),
      verdict: 'FORWARDED',
      ethernet: { source: mac(s.epId), destination: mac(d.epId) },
      IP: { source: s.ip, destination: d.ip, ipVersion: 'IPv4' },
      l4,
      source: endpoint(s, s.node === node),
      destination: endpoint(d, d.node === node),
      Type: 'L3_L4',
      node_name: `${CLUSTER}/${node}`,
      node_labels: NODE_LABELS[node],
      Summary: summary,
    };
  }

  private push(f: Flow, extra: Partial<Flow>): void {
    // keep Go protojson key order: fields after node_labels in declaration order
    const { Summary, ...head } = f;
    const ordered: Flow = { ...head };
    for (const k of [
      'event_type',
      'traffic_direction',
      'policy_match_type',
      'trace_observation_point',
      'trace_reason',
      'file',
      'drop_reason_desc',
      'is_reply',
    ])
      if (extra[k] !== undefined) ordered[k] = extra[k];
    ordered.Summary = Summary;
    for (const k of ['egress_allowed_by', 'ingress_allowed_by'])
      if (extra[k] !== undefined) ordered[k] = extra[k];
    if (extra.verdict) ordered.verdict = extra.verdict;
    if (extra.drop_reason !== undefined) {
      // drop_reason sits right after verdict in declaration order
      const { time, uuid, verdict, ...rest } = ordered;
      this.flows.push({ time, uuid, verdict, drop_reason: extra.drop_reason, ...rest });
      return;
    }
    this.flows.push(ordered);
  }

  /** One connection attempt (with retries when dropped) starting at atMs. */
  connect(c: Conn, atMs: number): void {
    const sport = this.sportBase + Math.floor(this.rand() * 20000);
    const syn = c.proto === 'TCP' ? { SYN: true } : undefined;
    const attempts = c.deniedAt ? (c.proto === 'TCP' ? [0, 1000, 3000] : [0, 5000]) : [0];
    for (const delay of attempts) {
      const t = atMs + delay;
      // from-endpoint trace on the source node
      this.push(this.base(c, t, c.src.node, false, sport, syn), {
        event_type: { type: 4, sub_type: 5 },
        traffic_direction: 'EGRESS',
        trace_observation_point: 'FROM_ENDPOINT',
        trace_reason: 'NEW',
        is_reply: false,
      });
      if (c.deniedAt === 'EGRESS' || c.egressAllowedBy) {
        const dropped = c.deniedAt === 'EGRESS';
        this.push(this.base(c, t + 0.01, c.src.node, false, sport, syn), {
          event_type: { type: 5 },
          traffic_direction: 'EGRESS',
          ...(dropped
            ? { verdict: 'DROPPED', drop_reason: 133, drop_reason_desc: 'POLICY_DENIED' }
            : { policy_match_type: 2 }),
          is_reply: false,
          ...(c.egressAllowedBy && !dropped ? { egress_allowed_by: [c.egressAllowedBy] } : {}),
        });
        if (dropped) {
          this.push(this.base(c, t + 0.02, c.src.node, false, sport, syn), {
            verdict: 'DROPPED',
            drop_reason: 133,
            event_type: { type: 1, sub_type: 133 },
            traffic_direction: 'EGRESS',
            file: { name: 'bpf_lxc.c', line: 1396 },
            drop_reason_desc: 'POLICY_DENIED',
            is_reply: false,
          });
          continue;
        }
      }
      const tin = t + 0.4 + this.rand() * 0.3;
      if (c.deniedAt === 'INGRESS' || c.ingressAllowedBy) {
        const dropped = c.deniedAt === 'INGRESS';
        this.push(this.base(c, tin, c.dst.node, false, sport, syn), {
          event_type: { type: 5 },
          traffic_direction: 'INGRESS',
          ...(dropped
            ? { verdict: 'DROPPED', drop_reason: 133, drop_reason_desc: 'POLICY_DENIED' }
            : { policy_match_type: 2 }),
          is_reply: false,
          ...(c.ingressAllowedBy && !dropped ? { ingress_allowed_by: [c.ingressAllowedBy] } : {}),
        });
        if (dropped) {
          this.push(this.base(c, tin + 0.01, c.dst.node, false, sport, syn), {
            verdict: 'DROPPED',
            drop_reason: 133,
            event_type: { type: 1, sub_type: 133 },
            traffic_direction: 'INGRESS',
            file: { name: 'bpf_lxc.c', line: 2124 },
            drop_reason_desc: 'POLICY_DENIED',
            is_reply: false,
          });
          continue;
        }
      }
      // delivered: to-endpoint on the destination node, then the reply
      this.push(this.base(c, tin + 0.02, c.dst.node, false, sport, syn), {
        event_type: { type: 4 },
        traffic_direction: 'INGRESS',
        trace_observation_point: 'TO_ENDPOINT',
        trace_reason: 'NEW',
        is_reply: false,
      });
      const replyFlags = c.proto === 'TCP' ? { SYN: true, ACK: true } : undefined;
      this.push(this.base(c, tin + 0.08, c.dst.node, true, sport, replyFlags), {
        event_type: { type: 4, sub_type: 5 },
        traffic_direction: 'INGRESS',
        trace_observation_point: 'FROM_ENDPOINT',
        trace_reason: 'REPLY',
        is_reply: true,
      });
      this.push(this.base(c, tin + 0.5, c.src.node, true, sport, replyFlags), {
        event_type: { type: 4 },
        traffic_direction: 'EGRESS',
        trace_observation_point: 'TO_ENDPOINT',
        trace_reason: 'REPLY',
        is_reply: true,
      });
    }
  }
}

/** A name outside the cluster the demo pods reach (world identity, DNS name from the agent's DNS cache). */
interface ExternalHost {
  name: string;
  ip: string;
}

const WORLD: FlowEndpoint = { identity: 2, labels: ['reserved:world'] };

const SERVICES: Record<string, { name: string; namespace: string; host: string; clusterIp: string }> = {
  api: { name: 'api', namespace: 'backend', host: 'api.backend.svc.cluster.local', clusterIp: '10.96.20.15' },
  dns: { name: 'kube-dns', namespace: 'kube-system', host: 'kube-dns', clusterIp: '10.96.0.10' },
};

/**
 * L7 flows the way Cilium's proxy records them (Type L7, event type 129 = access log): HTTP requests and
 * responses where an L7 rule applies, DNS requests and responses through the DNS proxy, and L3/L4 flows to
 * external names (destination_names / source_names from the DNS cache). Built by a separate recorder so the
 * demo recording (assets/demo/flows.jsonpb) stays byte for byte what it was.
 */
class L7Recorder extends TimedRecorder {
  private l7Flow(
    src: FlowEndpoint & { ip: string; node?: string },
    dst: FlowEndpoint & { ip: string },
    at: number,
    node: string,
    l4: Flow['l4'],
    extra: Partial<Flow>,
  ): Flow {
    const { ip: sip, node: _n, ...s } = src;
    const { ip: dip, ...d } = dst;
    void _n;
    return {
      time: this.time(at),
      uuid: uuidFrom(this.rand),
      verdict: 'FORWARDED',
      IP: { source: sip, destination: dip, ipVersion: 'IPv4' },
      l4,
      source: s,
      destination: d,
      Type: 'L7',
      node_name: `${CLUSTER}/${node}`,
      node_labels: NODE_LABELS[node],
      event_type: { type: 129 },
      ...extra,
    };
  }

  private ep(p: DemoPod, node: string): FlowEndpoint & { ip: string } {
    return { ...endpoint(p, p.node === node), ip: p.ip };
  }

  /** one HTTP request/response pair seen by the destination's ingress proxy */
  http(
    src: DemoPod,
    dst: DemoPod,
    port: number,
    method: string,
    url: string,
    code: number,
    at: number,
    service?: keyof typeof SERVICES,
  ): void {
    const sport = 40000 + Math.floor(this.rand() * 20000);
    const node = dst.node;
    const svc = service
      ? { name: SERVICES[service].name, namespace: SERVICES[service].namespace }
      : undefined;
    const headers = [
      { key: ':authority', value: new URL(url).host },
      { key: 'user-agent', value: `${src.workload.name}/1.4` },
      { key: 'x-request-id', value: uuidFrom(this.rand) },
    ];
    this.flows.push(
      this.l7Flow(
        this.ep(src, node),
        this.ep(dst, node),
        at,
        node,
        {
          TCP: { source_port: sport, destination_port: port },
        },
        {
          traffic_direction: 'INGRESS',
          is_reply: false,
          ...(svc ? { destination_service: svc } : {}),
          l7: { type: 'REQUEST', http: { method, url, protocol: 'HTTP/1.1', headers } },
          Summary: `HTTP/1.1 ${method} ${url}`,
        },
      ),
    );
    const latency = 800_000 + Math.floor(this.rand() * 4_000_000);
    this.flows.push(
      this.l7Flow(
        this.ep(dst, node),
        this.ep(src, node),
        at + latency / 1e6,
        node,
        {
          TCP: { source_port: port, destination_port: sport },
        },
        {
          traffic_direction: 'INGRESS',
          is_reply: true,
          ...(svc ? { source_service: svc } : {}),
          l7: {
            type: 'RESPONSE',
            latency_ns: String(latency),
            http: { code, method, url, protocol: 'HTTP/1.1', headers },
          },
          Summary: `HTTP/1.1 ${code} ${Math.round(latency / 1e6)}ms (${method} ${url})`,
        },
      ),
    );
  }

  /** a DNS query and its answer through the source's DNS proxy (egress) */
  dns(src: DemoPod, dst: DemoPod, query: string, ips: string[], at: number): void {
    const sport = 40000 + Math.floor(this.rand() * 20000);
    const node = src.node;
    const svc = { name: SERVICES.dns.name, namespace: SERVICES.dns.namespace };
    this.flows.push(
      this.l7Flow(
        this.ep(src, node),
        this.ep(dst, node),
        at,
        node,
        {
          UDP: { source_port: sport, destination_port: 53 },
        },
        {
          traffic_direction: 'EGRESS',
          is_reply: false,
          destination_service: svc,
          l7: { type: 'REQUEST', dns: { query, observation_source: 'proxy', qtypes: ['A'] } },
          Summary: `DNS Query ${query} A`,
        },
      ),
    );
    const latency = 200_000 + Math.floor(this.rand() * 900_000);
    this.flows.push(
      this.l7Flow(
        this.ep(dst, node),
        this.ep(src, node),
        at + latency / 1e6,
        node,
        {
          UDP: { source_port: 53, destination_port: sport },
        },
        {
          traffic_direction: 'EGRESS',
          is_reply: true,
          source_service: svc,
          l7: {
            type: 'RESPONSE',
            latency_ns: String(latency),
            dns: {
              query,
              ips,
              ttl: 30,
              observation_source: 'proxy',
              qtypes: ['A'],
              rrtypes: ips.map(() => 'A'),
            },
          },
          Summary: `DNS Answer "${ips.join(',')}" TTL: 30 (Proxy ${query} A)`,
        },
      ),
    );
  }

  /** a TCP connection from a pod to an external name: SYN out (destination_names), SYN-ACK back (source_names) */
  external(src: DemoPod, host: ExternalHost, port: number, at: number): void {
    const sport = 40000 + Math.floor(this.rand() * 20000);
    const node = src.node;
    const names = [host.name];
    const base = (reply: boolean, t: number): Flow => {
      const pod = endpoint(src, true);
      return {
        time: this.time(t),
        uuid: uuidFrom(this.rand),
        verdict: 'FORWARDED',
        IP: reply
          ? { source: host.ip, destination: src.ip, ipVersion: 'IPv4' }
          : { source: src.ip, destination: host.ip, ipVersion: 'IPv4' },
        l4: {
          TCP: reply
            ? { source_port: port, destination_port: sport, flags: { SYN: true, ACK: true } }
            : { source_port: sport, destination_port: port, flags: { SYN: true } },
        },
        source: reply ? WORLD : pod,
        destination: reply ? pod : WORLD,
        Type: 'L3_L4',
        node_name: `${CLUSTER}/${node}`,
        node_labels: NODE_LABELS[node],
        ...(reply ? { source_names: names } : { destination_names: names }),
        event_type: reply ? { type: 4 } : { type: 4, sub_type: 5 },
        traffic_direction: 'EGRESS',
        trace_observation_point: reply ? 'TO_ENDPOINT' : 'FROM_ENDPOINT',
        trace_reason: reply ? 'REPLY' : 'NEW',
        is_reply: reply,
        Summary: reply ? 'TCP Flags: SYN, ACK' : 'TCP Flags: SYN',
      };
    };
    this.flows.push(base(false, at), base(true, at + 18 + this.rand() * 10));
  }
}

/** The demo's L7 (HTTP, DNS) and external-name flows, `rounds` rounds 40 s apart (see L7Recorder). */
export function buildDemoL7Flows(opts: { start?: string; rounds?: number } = {}): Flow[] {
  const start = Math.floor(Date.parse(opts.start ?? '2026-11-30T11:58:00Z') / 1000);
  const rec = new L7Recorder(7_000_130, start);
  const P = DEMO_PODS;
  const stripe: ExternalHost = { name: 'api.stripe.com', ip: '52.94.10.20' };
  const grafanaCom: ExternalHost = { name: 'grafana.com', ip: '34.120.177.193' };
  const api = `http://${SERVICES.api.host}:8080`;
  const rounds = opts.rounds ?? 3;
  for (let r = 0; r < rounds; r++) {
    const t = r * 40_000 + 1_300;
    rec.dns(P.web1, P.dns1, `${SERVICES.api.host}.`, [SERVICES.api.clusterIp], t);
    rec.http(P.payments, P.api1, 8080, 'POST', `${api}/v1/charges`, r === 1 ? 503 : 201, t + 40, 'api');
    rec.http(
      P.payments,
      P.api1,
      8080,
      'GET',
      `${api}/v1/charges/ch_${1000 + r}?expand=customer`,
      200,
      t + 900,
      'api',
    );
    rec.http(P.payments, P.api1, 8080, 'GET', `${api}/v1/refunds/re_${r}`, 404, t + 1_700, 'api');
    rec.http(P.prometheus, P.api1, 9090, 'GET', `http://${P.api1.ip}:9090/metrics`, 200, t + 5_000);
    rec.dns(P.api2, P.dns2, `${stripe.name}.`, [stripe.ip], t + 8_000);
    rec.external(P.api2, stripe, 443, t + 8_010);
    rec.dns(P.grafana, P.dns2, `${grafanaCom.name}.`, [grafanaCom.ip], t + 12_000);
    rec.external(P.grafana, grafanaCom, 443, t + 12_010);
  }
  return rec.flows;
}

/** The demo cluster's flows over about two minutes: the four classic failures, working paths and DNS. */
export function buildDemoFlows(opts: { start?: string; rounds?: number; l7?: boolean } = {}): Flow[] {
  const start = Math.floor(Date.parse(opts.start ?? '2026-11-30T11:58:00Z') / 1000);
  const rec = new Recorder(20261130, start);
  const P = DEMO_PODS;
  const pol = {
    allowPaymentsToApi: policy('backend', 'allow-payments-to-api', 11),
    allowEgressToApi: policy('payments', 'allow-egress-to-api', 12),
    allowApiToPostgres: policy('data', 'allow-api-to-postgres', 13),
    allowMonitoringScrape: policy('data', 'allow-monitoring-scrape', 14),
  };
  const conns: Conn[] = [
    // (a) web -> api:8080 dropped at api's ingress (allow-from-frontend selects namespaces by name=frontend)
    { src: P.web1, dst: P.api1, port: 8080, proto: 'TCP', deniedAt: 'INGRESS' },
    { src: P.web2, dst: P.api2, port: 8080, proto: 'TCP', deniedAt: 'INGRESS' },
    // (b) payments -> coredns:53/UDP dropped at payments' egress (default-deny-egress, no DNS rule)
    { src: P.payments, dst: P.dns1, port: 53, proto: 'UDP', deniedAt: 'EGRESS' },
    // (c) grafana -> postgres:9187 forwarded (allow-monitoring-scrape ORs its two peers)
    {
      src: P.grafana,
      dst: P.postgres,
      port: 9187,
      proto: 'TCP',
      ingressAllowedBy: pol.allowMonitoringScrape,
    },
    // (d) api -> redis:6379 dropped at redis' ingress (allow-api-to-cache selects app=redis-cahce)
    { src: P.api2, dst: P.redis, port: 6379, proto: 'TCP', deniedAt: 'INGRESS' },
    // working paths
    {
      src: P.payments,
      dst: P.api1,
      port: 8080,
      proto: 'TCP',
      egressAllowedBy: pol.allowEgressToApi,
      ingressAllowedBy: pol.allowPaymentsToApi,
    },
    { src: P.api1, dst: P.postgres, port: 5432, proto: 'TCP', ingressAllowedBy: pol.allowApiToPostgres },
    {
      src: P.prometheus,
      dst: P.postgres,
      port: 9187,
      proto: 'TCP',
      ingressAllowedBy: pol.allowMonitoringScrape,
    },
    // DNS from pods without egress policies
    { src: P.web1, dst: P.dns1, port: 53, proto: 'UDP' },
    { src: P.api2, dst: P.dns2, port: 53, proto: 'UDP' },
    { src: P.grafana, dst: P.dns2, port: 53, proto: 'UDP' },
    { src: P.prometheus, dst: P.dns1, port: 53, proto: 'UDP' },
  ];
  const rounds = opts.rounds ?? 3;
  for (let r = 0; r < rounds; r++) conns.forEach((c, i) => rec.connect(c, r * 40_000 + i * 2_700));
  if (opts.l7) rec.flows.push(...buildDemoL7Flows(opts));
  return rec.flows.sort((a, b) => (a.time! < b.time! ? -1 : a.time! > b.time! ? 1 : 0));
}

/**
 * `count` synthetic flows for load tests: the demo flows repeated with fresh uuids and increasing times
 * (with `l7`, the HTTP/DNS/external-name flows too).
 */
export function syntheticFlows(
  count: number,
  startMs = Date.parse('2026-11-30T10:00:00Z'),
  opts: { l7?: boolean } = {},
): Flow[] {
  const templates = buildDemoFlows({ rounds: 1, l7: opts.l7 });
  const out: Flow[] = new Array(count);
  const rand = rng(7);
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length];
    const ms = startMs + i; // 1 ms apart
    out[i] = {
      ...t,
      uuid: uuidFrom(rand),
      time: joinTimestamp(Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + (i % 1000)),
    };
  }
  return out;
}
