/**
 * The `hubble observe` filter flags: name on the command line, FlowFilterOptions key, value kind and short
 * form, in the order the command line shows them. Plain data (the CLI registers its options from it
 * without loading the filter code).
 */
import type { FlowFilterNegations } from './types';

export interface FilterFlagSpec {
  flag: string;
  key: keyof FlowFilterNegations;
  /** text: repeatable value; port: repeatable port number; switch: no value */
  kind: 'text' | 'port' | 'switch';
  short?: string;
}

export const FILTER_FLAGS: readonly FilterFlagSpec[] = [
  { flag: 'uuid', key: 'uuid', kind: 'text' },
  { flag: 'verdict', key: 'verdict', kind: 'text' },
  { flag: 'drop-reason-desc', key: 'dropReasonDesc', kind: 'text' },
  { flag: 'type', key: 'type', kind: 'text', short: 't' },
  { flag: 'node-name', key: 'nodeName', kind: 'text' },
  { flag: 'cluster', key: 'cluster', kind: 'text' },
  { flag: 'from-cluster', key: 'fromCluster', kind: 'text' },
  { flag: 'to-cluster', key: 'toCluster', kind: 'text' },
  { flag: 'namespace', key: 'namespace', kind: 'text', short: 'n' },
  { flag: 'from-namespace', key: 'fromNamespace', kind: 'text' },
  { flag: 'to-namespace', key: 'toNamespace', kind: 'text' },
  { flag: 'pod', key: 'pod', kind: 'text' },
  { flag: 'from-pod', key: 'fromPod', kind: 'text' },
  { flag: 'to-pod', key: 'toPod', kind: 'text' },
  { flag: 'service', key: 'service', kind: 'text' },
  { flag: 'from-service', key: 'fromService', kind: 'text' },
  { flag: 'to-service', key: 'toService', kind: 'text' },
  { flag: 'workload', key: 'workload', kind: 'text' },
  { flag: 'from-workload', key: 'fromWorkload', kind: 'text' },
  { flag: 'to-workload', key: 'toWorkload', kind: 'text' },
  { flag: 'label', key: 'label', kind: 'text', short: 'l' },
  { flag: 'from-label', key: 'fromLabel', kind: 'text' },
  { flag: 'to-label', key: 'toLabel', kind: 'text' },
  { flag: 'identity', key: 'identity', kind: 'text' },
  { flag: 'from-identity', key: 'fromIdentity', kind: 'text' },
  { flag: 'to-identity', key: 'toIdentity', kind: 'text' },
  { flag: 'fqdn', key: 'fqdn', kind: 'text' },
  { flag: 'from-fqdn', key: 'fromFqdn', kind: 'text' },
  { flag: 'to-fqdn', key: 'toFqdn', kind: 'text' },
  { flag: 'ip', key: 'ip', kind: 'text' },
  { flag: 'from-ip', key: 'fromIp', kind: 'text' },
  { flag: 'to-ip', key: 'toIp', kind: 'text' },
  { flag: 'ipv4', key: 'ipv4', kind: 'switch', short: '4' },
  { flag: 'ipv6', key: 'ipv6', kind: 'switch', short: '6' },
  { flag: 'protocol', key: 'protocol', kind: 'text' },
  { flag: 'port', key: 'port', kind: 'port' },
  { flag: 'from-port', key: 'fromPort', kind: 'port' },
  { flag: 'to-port', key: 'toPort', kind: 'port' },
  { flag: 'tcp-flags', key: 'tcpFlags', kind: 'text' },
  { flag: 'traffic-direction', key: 'trafficDirection', kind: 'text' },
  { flag: 'http-status', key: 'httpStatus', kind: 'text' },
  { flag: 'http-method', key: 'httpMethod', kind: 'text' },
  { flag: 'http-path', key: 'httpPath', kind: 'text' },
  { flag: 'http-url', key: 'httpUrl', kind: 'text' },
  { flag: 'http-header', key: 'httpHeader', kind: 'text' },
];
