/**
 * Hubble flows in the JSON shape `hubble observe -o json` prints (protojson of observer.Flow,
 * snake_case field names as Hubble emits them). Owned by the flow inspector.
 */
export interface FlowEndpoint {
  ID?: number;
  identity?: number;
  namespace?: string;
  labels?: string[];
  pod_name?: string;
  workloads?: { name: string; kind: string }[];
  cluster_name?: string;
}

export interface Flow {
  time?: string;
  uuid?: string;
  verdict?: string;
  drop_reason?: number;
  drop_reason_desc?: string;
  IP?: { source?: string; destination?: string; ipVersion?: string };
  l4?: {
    TCP?: { source_port?: number; destination_port?: number; flags?: Record<string, boolean> };
    UDP?: { source_port?: number; destination_port?: number };
    SCTP?: { source_port?: number; destination_port?: number };
    ICMPv4?: { type?: number; code?: number };
    ICMPv6?: { type?: number; code?: number };
  };
  source?: FlowEndpoint;
  destination?: FlowEndpoint;
  Type?: string;
  node_name?: string;
  event_type?: { type?: number; sub_type?: number };
  traffic_direction?: string;
  policy_match_type?: number;
  is_reply?: boolean;
  Summary?: string;
  /** DNS names of the source / destination IP (from the agent's DNS proxy cache) */
  source_names?: string[];
  destination_names?: string[];
  /** the Kubernetes Service the source / destination IP belongs to */
  source_service?: FlowService;
  destination_service?: FlowService;
  /** L7 record (set when Type is L7): DNS, HTTP or Kafka, from Cilium's proxy access log */
  l7?: Layer7;
  egress_allowed_by?: PolicyName[];
  ingress_allowed_by?: PolicyName[];
  egress_denied_by?: PolicyName[];
  ingress_denied_by?: PolicyName[];
  [extra: string]: unknown;
}

export interface FlowService {
  name?: string;
  namespace?: string;
}

export interface HttpHeader {
  key?: string;
  value?: string;
}

/** flow.Layer7 in its JSON shape */
export interface Layer7 {
  /** REQUEST, RESPONSE or SAMPLE */
  type?: string;
  /** uint64: a JSON string in hubble output */
  latency_ns?: string | number;
  dns?: {
    query?: string;
    ips?: string[];
    ttl?: number;
    cnames?: string[];
    observation_source?: string;
    rcode?: number;
    qtypes?: string[];
    rrtypes?: string[];
  };
  http?: { code?: number; method?: string; url?: string; protocol?: string; headers?: HttpHeader[] };
  kafka?: {
    error_code?: number;
    api_version?: number;
    api_key?: string;
    correlation_id?: number;
    topic?: string;
  };
}

export interface PolicyName {
  name?: string;
  namespace?: string;
  labels?: string[];
  /** uint64: a JSON string in hubble output */
  revision?: string | number;
  kind?: string;
}

/** `hubble observe`-style filter flags, shared by the CLI, the filter bar and the gRPC request builder. */
export interface FlowFilterOptions {
  verdict?: string[];
  namespace?: string[];
  pod?: string[];
  fromPod?: string[];
  toPod?: string[];
  label?: string[];
  fromLabel?: string[];
  toLabel?: string[];
  ip?: string[];
  fromIp?: string[];
  toIp?: string[];
  port?: number[];
  fromPort?: number[];
  toPort?: number[];
  protocol?: string[];
  dropReasonDesc?: string[];
  type?: string[];
  /** `--fqdn` / `--from-fqdn` / `--to-fqdn`: DNS name patterns (`*.example.com`) */
  fqdn?: string[];
  fromFqdn?: string[];
  toFqdn?: string[];
  /** `--service` / `--from-service` / `--to-service`: `[namespace/]name-prefix` */
  service?: string[];
  fromService?: string[];
  toService?: string[];
  /** `--from-namespace` / `--to-namespace` */
  fromNamespace?: string[];
  toNamespace?: string[];
  /** `--workload` / `--from-workload` / `--to-workload`: `[kind/]name` (e.g. `Deployment/web`, `web`, `StatefulSet/`) */
  workload?: string[];
  fromWorkload?: string[];
  toWorkload?: string[];
  /** `--identity` / `--from-identity` / `--to-identity`: a number or a reserved name (`world`, `host`, ...) */
  identity?: string[];
  fromIdentity?: string[];
  toIdentity?: string[];
  /** `--http-status`: a code (`404`) or a prefix (`5+`, `40+`) */
  httpStatus?: string[];
  /** `--http-method` (any case) */
  httpMethod?: string[];
  /** `--http-path` / `--http-url`: regular expressions */
  httpPath?: string[];
  httpUrl?: string[];
  /** `--http-header`: `name:value`, both exact */
  httpHeader?: string[];
  /** `--node-name`: `[cluster/]node` patterns with `*` */
  nodeName?: string[];
  /** `--traffic-direction`: ingress or egress */
  trafficDirection?: string[];
  /** `--tcp-flags`: comma-separated flags that must all be set (`syn`, `syn,ack`) */
  tcpFlags?: string[];
  /** `--uuid` */
  uuid?: string[];
  /** `--cluster` / `--from-cluster` / `--to-cluster`: endpoint cluster names */
  cluster?: string[];
  fromCluster?: string[];
  toCluster?: string[];
  /** `--ipv4` / `--ipv6`: only flows of this IP version */
  ipv4?: boolean;
  ipv6?: boolean;
  since?: string;
  until?: string;
  last?: number;
  first?: number;
  follow?: boolean;
  /** filters negated with `--not` (each goes to the deny list, like `hubble observe --not --verdict X`) */
  not?: FlowFilterNegations;
}

/** The subset of filter flags that `--not` can negate. */
export type FlowFilterNegations = Omit<
  FlowFilterOptions,
  'since' | 'until' | 'last' | 'first' | 'follow' | 'not'
>;

/** `flow.Workload` in its JSON shape (protojson leaves empty fields out). */
export interface FlowWorkload {
  name?: string;
  kind?: string;
}

/** `flow.EventTypeFilter` in its JSON shape. */
export interface EventTypeFilter {
  type: number;
  match_sub_type?: boolean;
  sub_type?: number;
}

/**
 * `flow.FlowFilter` in its JSON shape (proto field names). Within one filter every populated field
 * must match (AND); within one field the values are alternatives (OR).
 */
export interface FlowFilter {
  uuid?: string[];
  source_workload?: FlowWorkload[];
  destination_workload?: FlowWorkload[];
  source_cluster_name?: string[];
  destination_cluster_name?: string[];
  http_status_code?: string[];
  http_method?: string[];
  http_path?: string[];
  http_url?: string[];
  http_header?: HttpHeader[];
  tcp_flags?: Record<string, boolean>[];
  source_ip?: string[];
  source_pod?: string[];
  source_fqdn?: string[];
  source_label?: string[];
  source_service?: string[];
  destination_ip?: string[];
  destination_pod?: string[];
  destination_fqdn?: string[];
  destination_label?: string[];
  destination_service?: string[];
  traffic_direction?: string[];
  verdict?: string[];
  drop_reason_desc?: string[];
  event_type?: EventTypeFilter[];
  protocol?: string[];
  source_port?: string[];
  destination_port?: string[];
  reply?: boolean[];
  source_identity?: number[];
  destination_identity?: number[];
  node_name?: string[];
  ip_version?: string[];
}

/** A GetFlows request in JSON shape: allow list = `whitelist`, deny list = `blacklist`; times RFC 3339. */
export interface FlowRequest {
  whitelist: FlowFilter[];
  blacklist: FlowFilter[];
  number?: number;
  first?: boolean;
  follow?: boolean;
  since?: string;
  until?: string;
}

/** One line of `hubble observe -o jsonpb` output (an observer.GetFlowsResponse). */
export interface FlowResponseLine {
  flow?: Flow;
  lost_events?: { source?: string; num_events_lost?: string; first?: string; last?: string; cpu?: number };
  node_name?: string;
  time?: string;
}

export type FlowStreamStateName = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'closed' | 'done';

export interface FlowStreamState {
  streamId: string;
  state: FlowStreamStateName;
  message?: string;
  /** a gap Relay could not fill after a reconnect */
  gap?: { from: string; to: string };
  /** for 'failed': what kind of failure (unreachable, tls, not-found = Hubble Relay not enabled, not-ready, forbidden, bad-request, ...) */
  code?: string;
}

export interface FlowBatch {
  streamId: string;
  flows: Flow[];
  /** total flows held / evicted from the ring buffer so far */
  held: number;
  evicted: number;
  /** flows the server reported lost (LostEvent counts), so far */
  lost?: number;
  /** total flows received on this stream so far (held + evicted, duplicates excluded) */
  received?: number;
}
