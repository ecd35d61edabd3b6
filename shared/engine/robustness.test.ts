/**
 * Invalid objects are kept by the loader (and reported there); the engine must still answer, never crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s/types';
import { createEngine } from './index';
import { baseSnapshot } from './testing/base-cluster';

const kinds = [
  ['networking.k8s.io/v1', 'NetworkPolicy', 'b'],
  ['policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', undefined],
  ['policy.networking.k8s.io/v1alpha1', 'BaselineAdminNetworkPolicy', undefined],
  ['policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', undefined],
] as const;

const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom('Allow', 'Deny', 'Pass', 'TCP', 'http', 80),
);
const selectorish = fc.oneof(
  junk,
  fc.record(
    {
      matchLabels: junk,
      matchExpressions: fc.oneof(junk, fc.array(fc.record({ key: junk, operator: junk, values: junk }))),
    },
    { requiredKeys: [] },
  ),
);
const peerish = fc.oneof(
  junk,
  fc.record(
    {
      podSelector: selectorish,
      namespaceSelector: selectorish,
      ipBlock: fc.oneof(junk, fc.record({ cidr: junk, except: junk })),
      namespaces: selectorish,
      pods: fc.oneof(junk, fc.record({ namespaceSelector: selectorish, podSelector: selectorish })),
      nodes: selectorish,
      networks: junk,
    },
    { requiredKeys: [] },
  ),
);
const portish = fc.oneof(
  junk,
  fc.record(
    { port: junk, protocol: junk, endPort: junk, portNumber: junk, portRange: junk, namedPort: junk },
    { requiredKeys: [] },
  ),
);
const ruleArb = fc.oneof(
  junk,
  fc.record(
    {
      from: fc.oneof(junk, fc.array(peerish)),
      to: fc.oneof(junk, fc.array(peerish)),
      ports: fc.oneof(junk, fc.array(portish)),
      protocols: fc.oneof(junk, fc.array(junk)),
      action: junk,
    },
    { requiredKeys: [] },
  ),
);
const specArb = fc.record(
  {
    podSelector: selectorish,
    policyTypes: junk,
    ingress: fc.oneof(junk, fc.array(ruleArb, { maxLength: 3 })),
    egress: fc.oneof(junk, fc.array(ruleArb, { maxLength: 3 })),
    subject: fc.oneof(junk, fc.record({ namespaces: selectorish, pods: junk }, { requiredKeys: [] })),
    priority: junk,
    tier: junk,
  },
  { requiredKeys: [] },
);

describe('engine robustness on invalid policies', () => {
  it('traces and builds matrices for policies with arbitrary specs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.oneof(fc.jsonValue({ maxDepth: 5 }), specArb), (k, spec) => {
        const obj = {
          apiVersion: k[0],
          kind: k[1],
          metadata: { name: 'junk', ...(k[2] ? { namespace: k[2] } : {}) },
          spec,
        } as unknown as KubeObject;
        const engine = createEngine(baseSnapshot([obj]));
        const t = engine.trace({ from: 'a/web', to: 'b/db', port: 5432 });
        expect(['allowed', 'denied']).toContain(t.verdict);
        engine.matrix({ port: 5432 });
      }),
      { numRuns: 300 },
    );
  });

  it('handles hand-written broken NetworkPolicies', () => {
    const broken = [
      { spec: {} },
      { spec: { podSelector: {}, ingress: [null, { from: [null, {}] }] } },
      {
        spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'not-a-cidr', except: ['x'] } }] }] },
      },
      {
        spec: {
          podSelector: { matchExpressions: [{ key: 'app', operator: 'Bogus' }] },
          ingress: [{ ports: [{ port: 'bad name!', protocol: 'ICMP' }] }],
        },
      },
      { spec: { podSelector: {}, policyTypes: ['Sideways'], egress: [{ to: 'oops' }] } },
    ];
    for (const b of broken) {
      const obj = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'broken', namespace: 'b' },
        ...b,
      } as unknown as KubeObject;
      const engine = createEngine(baseSnapshot([obj]));
      expect(['allowed', 'denied']).toContain(
        engine.trace({ from: 'a/web', to: 'b/db', port: 5432 }).verdict,
      );
    }
  });
});
