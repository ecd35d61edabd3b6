/**
 * Hubble enum names and the texts the hubble CLI prints (wire-facts.md §1.6, §1.9; cilium pkg/monitor/api).
 */

export const VERDICTS = [
  'VERDICT_UNKNOWN',
  'FORWARDED',
  'DROPPED',
  'ERROR',
  'AUDIT',
  'REDIRECTED',
  'TRACED',
  'TRANSLATED',
] as const;
export type VerdictName = (typeof VERDICTS)[number];

/** DropReason enum: number → [name, agent's text]. */
export const DROP_REASONS: Record<number, [string, string]> = {
  0: ['DROP_REASON_UNKNOWN', 'Success'],
  130: ['INVALID_SOURCE_MAC', 'Invalid source mac'],
  131: ['INVALID_DESTINATION_MAC', 'Invalid destination mac'],
  132: ['INVALID_SOURCE_IP', 'Invalid source ip'],
  133: ['POLICY_DENIED', 'Policy denied'],
  134: ['INVALID_PACKET_DROPPED', 'Invalid packet'],
  135: ['CT_TRUNCATED_OR_INVALID_HEADER', 'CT: Truncated or invalid header'],
  136: ['CT_MISSING_TCP_ACK_FLAG', 'Fragmentation needed'],
  137: ['CT_UNKNOWN_L4_PROTOCOL', 'CT: Unknown L4 protocol'],
  138: ['CT_CANNOT_CREATE_ENTRY_FROM_PACKET', "CT: Can't create entry from packet"],
  139: ['UNSUPPORTED_L3_PROTOCOL', 'Unsupported L3 protocol'],
  140: ['MISSED_TAIL_CALL', 'Missed tail call'],
  141: ['ERROR_WRITING_TO_PACKET', 'Error writing to packet'],
  142: ['UNKNOWN_L4_PROTOCOL', 'Unknown L4 protocol'],
  143: ['UNKNOWN_ICMPV4_CODE', 'Unknown ICMPv4 code'],
  144: ['UNKNOWN_ICMPV4_TYPE', 'Unknown ICMPv4 type'],
  145: ['UNKNOWN_ICMPV6_CODE', 'Unknown ICMPv6 code'],
  146: ['UNKNOWN_ICMPV6_TYPE', 'Unknown ICMPv6 type'],
  147: ['ERROR_RETRIEVING_TUNNEL_KEY', 'Error retrieving tunnel key'],
  148: ['ERROR_RETRIEVING_TUNNEL_OPTIONS', 'Error retrieving tunnel options'],
  149: ['INVALID_GENEVE_OPTION', 'Invalid Geneve option'],
  150: ['UNKNOWN_L3_TARGET_ADDRESS', 'Unknown L3 target address'],
  151: ['STALE_OR_UNROUTABLE_IP', 'Stale or unroutable IP'],
  152: ['NO_MATCHING_LOCAL_CONTAINER_FOUND', 'No matching local container found'],
  153: ['ERROR_WHILE_CORRECTING_L3_CHECKSUM', 'Error while correcting L3 checksum'],
  154: ['ERROR_WHILE_CORRECTING_L4_CHECKSUM', 'Error while correcting L4 checksum'],
  155: ['CT_MAP_INSERTION_FAILED', 'CT: Map insertion failed'],
  156: ['INVALID_IPV6_EXTENSION_HEADER', 'Invalid IPv6 extension header'],
  157: ['IP_FRAGMENTATION_NOT_SUPPORTED', 'IP fragmentation not supported'],
  158: ['SERVICE_BACKEND_NOT_FOUND', 'Service backend not found'],
  160: ['NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT', 'No tunnel/encapsulation endpoint (datapath BUG!)'],
  161: ['FAILED_TO_INSERT_INTO_PROXYMAP', 'NAT 46/64 not enabled'],
  162: ['REACHED_EDT_RATE_LIMITING_DROP_HORIZON', 'Reached EDT rate-limiting drop horizon'],
  163: ['UNKNOWN_CONNECTION_TRACKING_STATE', 'Unknown connection tracking state'],
  164: ['LOCAL_HOST_IS_UNREACHABLE', 'Local host is unreachable'],
  165: [
    'NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION',
    'No configuration available to perform policy decision',
  ],
  166: ['UNSUPPORTED_L2_PROTOCOL', 'Unsupported L2 protocol'],
  167: ['NO_MAPPING_FOR_NAT_MASQUERADE', 'No mapping for NAT masquerade'],
  168: ['UNSUPPORTED_PROTOCOL_FOR_NAT_MASQUERADE', 'Unsupported protocol for NAT masquerade'],
  169: ['FIB_LOOKUP_FAILED', 'FIB lookup failed'],
  170: ['ENCAPSULATION_TRAFFIC_IS_PROHIBITED', 'Encapsulation traffic is prohibited'],
  171: ['INVALID_IDENTITY', 'Invalid identity'],
  172: ['UNKNOWN_SENDER', 'Unknown sender'],
  173: ['NAT_NOT_NEEDED', 'NAT not needed'],
  174: ['IS_A_CLUSTERIP', 'Is a ClusterIP'],
  175: ['FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND', 'First logical datagram fragment not found'],
  176: ['FORBIDDEN_ICMPV6_MESSAGE', 'Forbidden ICMPv6 message'],
  177: ['DENIED_BY_LB_SRC_RANGE_CHECK', 'Denied by LB src range check'],
  178: ['SOCKET_LOOKUP_FAILED', 'Socket lookup failed'],
  179: ['SOCKET_ASSIGN_FAILED', 'Socket assign failed'],
  180: ['PROXY_REDIRECTION_NOT_SUPPORTED_FOR_PROTOCOL', 'Proxy redirection not supported for protocol'],
  181: ['POLICY_DENY', 'Policy denied by denylist'],
  182: ['VLAN_FILTERED', 'VLAN traffic disallowed by VLAN filter'],
  183: ['INVALID_VNI', 'Incorrect VNI from VTEP'],
  184: ['INVALID_TC_BUFFER', 'Failed to update or lookup TC buffer'],
  185: ['NO_SID', 'No SID was found for the IP address'],
  186: ['MISSING_SRV6_STATE', 'SRv6 state was removed during tail call'],
  187: ['NAT46', 'L3 translation from IPv4 to IPv6 failed (NAT46)'],
  188: ['NAT64', 'L3 translation from IPv6 to IPv4 failed (NAT64)'],
  189: ['AUTH_REQUIRED', 'Authentication required'],
  190: ['CT_NO_MAP_FOUND', 'No conntrack map found'],
  191: ['SNAT_NO_MAP_FOUND', 'No nat map found'],
  192: ['INVALID_CLUSTER_ID', 'Invalid ClusterID'],
  193: ['UNSUPPORTED_PROTOCOL_FOR_DSR_ENCAP', 'Unsupported packet protocol for DSR encapsulation'],
  194: ['NO_EGRESS_GATEWAY', 'No egress gateway found'],
  195: ['UNENCRYPTED_TRAFFIC', 'Traffic is unencrypted'],
  196: ['TTL_EXCEEDED', 'TTL exceeded'],
  197: ['NO_NODE_ID', 'No node ID found'],
  198: ['DROP_RATE_LIMITED', 'Rate limited'],
  199: ['IGMP_HANDLED', 'IGMP handled'],
  200: ['IGMP_SUBSCRIBED', 'IGMP subscribed'],
  201: ['MULTICAST_HANDLED', 'Multicast handled'],
  202: ['DROP_HOST_NOT_READY', 'Host datapath not ready'],
  203: ['DROP_EP_NOT_READY', 'Endpoint policy program not available'],
  204: ['DROP_NO_EGRESS_IP', 'No Egress IP configured'],
  205: ['DROP_PUNT_PROXY', 'Punt to proxy'],
};

const dropReasonByName = new Map<string, number>(
  Object.entries(DROP_REASONS).map(([n, [name]]) => [name, Number(n)]),
);

/** DropReason name → number, or undefined for an unknown name. */
export function dropReasonNumber(name: string): number | undefined {
  return dropReasonByName.get(name);
}

/** A drop_reason_desc value (name or bare number) → its enum number. */
export function dropReasonCode(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (/^\d+$/.test(value)) return Number(value);
  return dropReasonByName.get(value);
}

/** The agent's human text for a drop reason (what compact output prints). */
export function dropReasonText(value: string | number | undefined): string {
  const code = dropReasonCode(value);
  if (code === undefined) return String(value ?? '');
  return DROP_REASONS[code]?.[1] ?? `${code}`;
}

/** Monitor message types (cilium pkg/monitor/api MessageTypeNames), used by `--type`. */
export const EVENT_TYPES: Record<string, number> = {
  drop: 1,
  debug: 2,
  capture: 3,
  trace: 4,
  'policy-verdict': 5,
  recorder: 6,
  'trace-sock': 7,
  l7: 129,
  agent: 130,
};

/** Trace observation point sub-types (type 4) and their CLI names. */
export const TRACE_POINTS: Record<number, string> = {
  0: 'to-endpoint',
  1: 'to-proxy',
  2: 'to-host',
  3: 'to-stack',
  4: 'to-overlay',
  5: 'from-endpoint',
  6: 'from-proxy',
  7: 'from-host',
  8: 'from-stack',
  9: 'from-overlay',
  10: 'from-network',
  11: 'to-network',
  12: 'from-crypto',
  13: 'to-crypto',
};

/** policy_match_type texts (cilium pkg/monitor/api PolicyMatchType.String()). */
export const POLICY_MATCH_TYPES: Record<number, string> = {
  0: 'none',
  1: 'L3-Only',
  2: 'L3-L4',
  3: 'L4-Only',
  4: 'all',
  5: 'L3-Proto',
  6: 'Proto-Only',
};

/** Reserved security identities (cilium pkg/identity) as the CLI prints them. */
export const RESERVED_IDENTITIES: Record<number, string> = {
  1: 'host',
  2: 'world',
  3: 'unmanaged',
  4: 'health',
  5: 'init',
  6: 'remote-node',
  7: 'kube-apiserver',
  8: 'ingress',
  9: 'world-ipv4',
  10: 'world-ipv6',
};
