/**
 * A small cluster used by the table-driven semantics tests: three namespaces, two nodes, a host-network
 * agent, pods with named ports that differ per pod (so named-port resolution is observable).
 */
import type { KubeObject } from '../../k8s/types';
import type { CniFacts, Snapshot } from '../../snapshot/types';
import { createEngine } from '../index';
import type { EngineOptions, TraceResult } from '../types';
import { node, ns, pod, snapshotFromObjects } from './build';

export const BASE: KubeObject[] = [
  ns('a', { team: 'a', env: 'prod' }),
  ns('b', { team: 'b', env: 'dev' }),
  ns('c'),
  ns('kube-system'),
  node('node-a', '192.168.1.10', { zone: 'z1', role: 'worker' }),
  node('node-b', '192.168.1.11', { zone: 'z2', role: 'worker' }),
  pod('a', 'web', {
    labels: { app: 'web' },
    ip: '10.0.1.10',
    node: 'node-a',
    ports: [{ name: 'http', port: 8080 }],
  }),
  pod('a', 'api', {
    labels: { app: 'api', tier: 'back' },
    ip: '10.0.1.11',
    node: 'node-a',
    ports: [
      { name: 'http', port: 9090 },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ],
  }),
  pod('b', 'web', {
    labels: { app: 'web' },
    ip: '10.0.2.10',
    node: 'node-b',
    ports: [{ name: 'http', port: 8080 }],
  }),
  pod('b', 'db', {
    labels: { app: 'db', tier: 'data' },
    ip: '10.0.2.11',
    node: 'node-b',
    ports: [{ name: 'pg', port: 5432 }],
  }),
  pod('c', 'client', { labels: { app: 'client' }, ip: '10.0.2.12', node: 'node-b' }),
  pod('kube-system', 'agent-a', {
    labels: { 'k8s-app': 'agent' },
    ip: '192.168.1.10',
    node: 'node-a',
    hostNetwork: true,
  }),
];

export function baseSnapshot(extra: KubeObject[], cni?: Partial<CniFacts>): Snapshot {
  return snapshotFromObjects([...BASE, ...extra], cni);
}

export interface Case {
  name: string;
  policies: KubeObject[];
  from: string;
  to: string;
  port: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  expect: 'allowed' | 'denied';
  options?: EngineOptions;
  cni?: Partial<CniFacts>;
}

export function traceCase(c: Case): TraceResult {
  const engine = createEngine(baseSnapshot(c.policies, c.cni), c.options);
  return engine.trace({ from: c.from, to: c.to, port: c.port, protocol: c.protocol });
}
