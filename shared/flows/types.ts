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
  egress_allowed_by?: PolicyName[];
  ingress_allowed_by?: PolicyName[];
  egress_denied_by?: PolicyName[];
  ingress_denied_by?: PolicyName[];
  [extra: string]: unknown;
}

export interface PolicyName {
  name?: string;
  namespace?: string;
  labels?: string[];
  revision?: number;
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
  since?: string;
  until?: string;
  last?: number;
  first?: number;
  follow?: boolean;
}

export type FlowStreamStateName = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'closed' | 'done';

export interface FlowStreamState {
  streamId: string;
  state: FlowStreamStateName;
  message?: string;
  /** a gap Relay could not fill after a reconnect */
  gap?: { from: string; to: string };
}

export interface FlowBatch {
  streamId: string;
  flows: Flow[];
  /** total flows held / evicted from the ring buffer so far */
  held: number;
  evicted: number;
}
