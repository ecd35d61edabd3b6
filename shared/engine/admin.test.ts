/**
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2),
 * one case per rule of policy-semantics.md section 2. Expected verdicts come from the rules.
 */
import { describe, expect, it } from 'vitest';
import type { AdminNetworkPolicySubject } from '../k8s/types';
import { traceCase, type Case } from './testing/base-cluster';
import { anp, banp, cnp, np } from './testing/build';

const nsB: AdminNetworkPolicySubject = { namespaces: { matchLabels: { team: 'b' } } };
const nsC: AdminNetworkPolicySubject = {
  namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'c' } },
};
const podsDb: AdminNetworkPolicySubject = {
  pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } },
};
const fromA = [{ namespaces: { matchLabels: { team: 'a' } } }];
const anyNs = [{ namespaces: {} }];
const denyIn = (n: string) => np(n, 'deny-in', { podSelector: {}, policyTypes: ['Ingress'] });
const denyEg = (n: string) => np(n, 'deny-eg', { podSelector: {}, policyTypes: ['Egress'] });
const allowAllIn = (n: string) => np(n, 'allow-all-in', { podSelector: {}, ingress: [{}] });

const cases: Case[] = [
  // ---- 2.3 tier evaluation
  {
    name: 'ANP Allow is final: a NetworkPolicy deny-all cannot override it',
    policies: [denyIn('b'), anp('allow-a', 10, nsB, { ingress: [{ action: 'Allow', from: fromA }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: "ANP ingress Allow does not skip the source's egress evaluation",
    policies: [denyEg('a'), anp('allow-a', 10, nsB, { ingress: [{ action: 'Allow', from: fromA }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'ANP Deny is final even when a NetworkPolicy allows',
    policies: [allowAllIn('b'), anp('deny-a', 10, nsB, { ingress: [{ action: 'Deny', from: fromA }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'lower priority number wins: Deny at 10 beats Allow at 20',
    policies: [
      anp('x-allow', 20, nsB, { ingress: [{ action: 'Allow', from: fromA }] }),
      anp('y-deny', 10, nsB, { ingress: [{ action: 'Deny', from: fromA }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'lower priority number wins: Allow at 5 beats Deny at 10',
    policies: [
      anp('x-allow', 5, nsB, { ingress: [{ action: 'Allow', from: fromA }] }),
      anp('y-deny', 10, nsB, { ingress: [{ action: 'Deny', from: fromA }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'rule order inside an ANP: the first matching rule decides (Allow first)',
    policies: [
      anp('p', 10, nsB, {
        ingress: [
          { action: 'Allow', from: fromA },
          { action: 'Deny', from: anyNs },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'rule order inside an ANP: the first matching rule decides (Deny first)',
    policies: [
      anp('p', 10, nsB, {
        ingress: [
          { action: 'Deny', from: anyNs },
          { action: 'Allow', from: fromA },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'Pass hands over to NetworkPolicy (which isolates and denies)',
    policies: [denyIn('b'), anp('pass', 10, nsB, { ingress: [{ action: 'Pass', from: fromA }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'Pass skips the remaining ANP rules (a later Allow does not apply)',
    policies: [
      denyIn('b'),
      anp('pass', 10, nsB, { ingress: [{ action: 'Pass', from: fromA }] }),
      anp('later-allow', 20, nsB, { ingress: [{ action: 'Allow', from: anyNs }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'Pass with no NetworkPolicy goes to the baseline (BANP Deny)',
    policies: [
      anp('pass', 10, nsB, { ingress: [{ action: 'Pass', from: fromA }] }),
      banp(nsB, { ingress: [{ action: 'Deny', from: anyNs }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'Pass with no NetworkPolicy goes to the baseline (BANP Allow)',
    policies: [
      anp('pass', 10, nsB, { ingress: [{ action: 'Pass', from: fromA }] }),
      banp(nsB, { ingress: [{ action: 'Allow', from: anyNs }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'no ANP rule matches: NetworkPolicy decides',
    policies: [
      allowAllIn('b'),
      anp('deny-c', 10, nsB, {
        ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'zzz' } } }] }],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'a NetworkPolicy isolating the pod means BANP is not consulted (BANP Deny ignored)',
    policies: [allowAllIn('b'), banp(nsB, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'a NetworkPolicy isolating the pod means BANP is not consulted (BANP Allow ignored)',
    policies: [denyIn('b'), banp(nsB, { ingress: [{ action: 'Allow', from: anyNs }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'BANP Deny applies when no NetworkPolicy isolates the pod',
    policies: [banp(nsB, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'BANP: a NetworkPolicy isolating only the other direction does not stop the baseline',
    policies: [denyEg('b'), banp(nsB, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'BANP first matching rule decides',
    policies: [
      banp(nsB, {
        ingress: [
          { action: 'Allow', from: fromA },
          { action: 'Deny', from: anyNs },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'nothing matches: default allow',
    policies: [banp(nsB, { ingress: [{ action: 'Deny', from: fromA }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },

  // ---- 2.2 object model
  {
    name: 'subject never includes host-network pods',
    policies: [
      anp(
        'ks',
        1,
        { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } },
        { egress: [{ action: 'Deny', to: anyNs }] },
      ),
    ],
    from: 'kube-system/agent-a',
    to: 'b/web',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'subject pods form: only the selected pods',
    policies: [anp('db-only', 1, podsDb, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'a/web',
    to: 'b/web',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'subject pods form: the selected pod is affected',
    policies: [anp('db-only', 1, podsDb, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'ingress peer pods form: pods within namespaces',
    policies: [
      anp('p', 1, nsB, {
        ingress: [
          {
            action: 'Deny',
            from: [
              {
                pods: {
                  namespaceSelector: { matchLabels: { team: 'a' } },
                  podSelector: { matchLabels: { app: 'api' } },
                },
              },
            ],
          },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'egress networks also match pod IPs (even under Cilium)',
    policies: [anp('no-b', 1, nsC, { egress: [{ action: 'Deny', to: [{ networks: ['10.0.2.0/24'] }] }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    cni: { name: 'cilium', ipBlockMatchesPodIPs: false },
    expect: 'denied',
  },
  {
    name: 'egress networks: Deny 0.0.0.0/0 hits pod-to-pod traffic',
    policies: [anp('no-all', 1, nsC, { egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] })],
    from: 'c/client',
    to: 'a/web',
    port: 8080,
    expect: 'denied',
  },
  {
    name: 'egress nodes peer matches node addresses',
    policies: [
      anp('no-z1', 1, nsC, {
        egress: [{ action: 'Deny', to: [{ nodes: { matchLabels: { zone: 'z1' } } }] }],
      }),
    ],
    from: 'c/client',
    to: '192.168.1.10',
    port: 10250,
    expect: 'denied',
  },
  {
    name: 'egress nodes peer matches a host-network pod (node IP)',
    policies: [
      anp('no-z1', 1, nsC, {
        egress: [{ action: 'Deny', to: [{ nodes: { matchLabels: { zone: 'z1' } } }] }],
      }),
    ],
    from: 'c/client',
    to: 'kube-system/agent-a',
    port: 9962,
    expect: 'denied',
  },
  {
    name: 'egress nodes peer does not match other nodes',
    policies: [
      anp('no-z1', 1, nsC, {
        egress: [{ action: 'Deny', to: [{ nodes: { matchLabels: { zone: 'z1' } } }] }],
      }),
    ],
    from: 'a/web',
    to: '192.168.1.11',
    port: 10250,
    expect: 'allowed',
  },
  {
    name: 'ports absent: all ports',
    policies: [anp('p', 1, nsB, { ingress: [{ action: 'Deny', from: fromA }] })],
    from: 'a/web',
    to: 'b/db',
    port: 9,
    protocol: 'SCTP',
    expect: 'denied',
  },
  {
    name: 'portNumber protocol defaults to TCP (53/UDP not matched)',
    policies: [
      anp('p', 1, nsB, { ingress: [{ action: 'Deny', from: fromA, ports: [{ portNumber: { port: 53 } }] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 53,
    protocol: 'UDP',
    expect: 'allowed',
  },
  {
    name: 'portNumber 53 TCP matched',
    policies: [
      anp('p', 1, nsB, { ingress: [{ action: 'Deny', from: fromA, ports: [{ portNumber: { port: 53 } }] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 53,
    expect: 'denied',
  },
  {
    name: 'portRange is inclusive',
    policies: [
      anp('p', 1, nsB, {
        ingress: [
          {
            action: 'Deny',
            from: fromA,
            ports: [{ portRange: { protocol: 'TCP', start: 8000, end: 8080 } }],
          },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/web',
    port: 8080,
    expect: 'denied',
  },
  {
    name: 'namedPort resolves on the destination pod (ingress: subject a/api http=9090)',
    policies: [
      anp(
        'p',
        1,
        { namespaces: { matchLabels: { team: 'a' } } },
        { ingress: [{ action: 'Deny', from: anyNs, ports: [{ namedPort: 'http' }] }] },
      ),
    ],
    from: 'c/client',
    to: 'a/api',
    port: 9090,
    expect: 'denied',
  },
  {
    name: 'namedPort: another number is not the named port',
    policies: [
      anp(
        'p',
        1,
        { namespaces: { matchLabels: { team: 'a' } } },
        { ingress: [{ action: 'Deny', from: anyNs, ports: [{ namedPort: 'http' }] }] },
      ),
    ],
    from: 'c/client',
    to: 'a/api',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'namedPort on egress resolves on the peer pod',
    policies: [anp('p', 1, nsC, { egress: [{ action: 'Deny', to: anyNs, ports: [{ namedPort: 'pg' }] }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'fail closed: an Allow rule with an empty peer matches nothing',
    policies: [
      anp('p', 1, nsB, { ingress: [{ action: 'Allow', from: [{}] }] }),
      banp(nsB, { ingress: [{ action: 'Deny', from: anyNs }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'fail closed: a Deny rule with an empty peer denies everything',
    policies: [anp('p', 1, nsB, { ingress: [{ action: 'Deny', from: [{}] }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'fail closed: a Pass rule with an empty peer acts as deny-all',
    policies: [allowAllIn('b'), anp('p', 1, nsB, { ingress: [{ action: 'Pass', from: [{}] }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'no ingress rules: the ANP does not affect ingress (no implicit isolation)',
    policies: [anp('p', 1, nsB, { egress: [{ action: 'Deny', to: fromA }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },

  // ---- 2.4 ClusterNetworkPolicy v1alpha2
  {
    name: 'CNP Admin Accept overrides a NetworkPolicy deny-all',
    policies: [denyIn('b'), cnp('acc', 'Admin', 1, nsB, { ingress: [{ action: 'Accept', from: fromA }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'CNP Admin Deny beats a NetworkPolicy allow',
    policies: [allowAllIn('b'), cnp('deny', 'Admin', 1, nsB, { ingress: [{ action: 'Deny', from: fromA }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'CNP Admin Pass goes to NetworkPolicy',
    policies: [
      denyIn('b'),
      cnp('pass', 'Admin', 1, nsB, { ingress: [{ action: 'Pass', from: fromA }] }),
      cnp('acc', 'Admin', 2, nsB, { ingress: [{ action: 'Accept', from: fromA }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'CNP Baseline Deny applies when no NetworkPolicy isolates',
    policies: [cnp('bd', 'Baseline', 1, nsB, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'CNP Baseline is not consulted when a NetworkPolicy isolates',
    policies: [
      allowAllIn('b'),
      cnp('bd', 'Baseline', 1, nsB, { ingress: [{ action: 'Deny', from: anyNs }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'CNP Baseline Pass goes to the default (allow), skipping later baselines',
    policies: [
      cnp('bp', 'Baseline', 1, nsB, { ingress: [{ action: 'Pass', from: fromA }] }),
      cnp('bd', 'Baseline', 2, nsB, { ingress: [{ action: 'Deny', from: anyNs }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'multiple Baseline CNPs are ordered by priority',
    policies: [
      cnp('z-accept', 'Baseline', 1, nsB, { ingress: [{ action: 'Accept', from: fromA }] }),
      cnp('a-deny', 'Baseline', 2, nsB, { ingress: [{ action: 'Deny', from: anyNs }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'protocols: tcp destinationPort number',
    policies: [
      cnp('d', 'Admin', 1, nsB, {
        ingress: [
          { action: 'Deny', from: anyNs, protocols: [{ tcp: { destinationPort: { number: 5432 } } }] },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'protocols: tcp destinationPort number does not match another port',
    policies: [
      cnp('d', 'Admin', 1, nsB, {
        ingress: [
          { action: 'Deny', from: anyNs, protocols: [{ tcp: { destinationPort: { number: 5432 } } }] },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5433,
    expect: 'allowed',
  },
  {
    name: 'protocols: destinationPort range is inclusive',
    policies: [
      cnp('d', 'Admin', 1, nsB, {
        ingress: [
          {
            action: 'Deny',
            from: anyNs,
            protocols: [{ tcp: { destinationPort: { range: { start: 5000, end: 5432 } } } }],
          },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'protocols: udp without destinationPort = all UDP ports',
    policies: [
      cnp('d', 'Admin', 1, nsB, { ingress: [{ action: 'Deny', from: anyNs, protocols: [{ udp: {} }] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 12345,
    protocol: 'UDP',
    expect: 'denied',
  },
  {
    name: 'protocols: udp entry does not match TCP',
    policies: [
      cnp('d', 'Admin', 1, nsB, { ingress: [{ action: 'Deny', from: anyNs, protocols: [{ udp: {} }] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 12345,
    expect: 'allowed',
  },
  {
    name: 'protocols: destinationNamedPort resolves on the destination',
    policies: [
      cnp('d', 'Admin', 1, nsB, {
        ingress: [{ action: 'Deny', from: anyNs, protocols: [{ destinationNamedPort: 'pg' }] }],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'egress Accept stops egress processing (NetworkPolicy egress deny-all ignored)',
    policies: [denyEg('c'), cnp('acc', 'Admin', 1, nsC, { egress: [{ action: 'Accept', to: anyNs }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'egress Accept: ingress rules at the destination still apply',
    policies: [denyIn('b'), cnp('acc', 'Admin', 1, nsC, { egress: [{ action: 'Accept', to: anyNs }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'hairpin: a pod connecting to its own pod IP is not subject to CNP',
    policies: [cnp('d', 'Admin', 1, podsDb, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'b/db',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'hairpin exemption is only for the pod itself',
    policies: [cnp('d', 'Admin', 1, podsDb, { ingress: [{ action: 'Deny', from: anyNs }] })],
    from: 'b/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
];

describe('AdminNetworkPolicy / BANP / ClusterNetworkPolicy (policy-semantics.md section 2)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(traceCase(c).verdict).toBe(c.expect);
  });
});

describe('admin tier attribution', () => {
  it('same priority: reports AMBIGUOUS with both candidates and chooses by name', () => {
    const t = traceCase({
      name: '',
      policies: [
        anp('b-deny', 5, nsB, { ingress: [{ action: 'Deny', from: fromA }] }),
        anp('a-allow', 5, nsB, { ingress: [{ action: 'Allow', from: fromA }] }),
      ],
      from: 'a/web',
      to: 'b/db',
      port: 5432,
      expect: 'allowed',
    });
    expect(t.verdict).toBe('allowed');
    expect(t.ingress.ambiguity?.priority).toBe(5);
    expect(t.ingress.ambiguity?.chosen.policy.name).toBe('a-allow');
    expect(t.ingress.ambiguity?.candidates.map((c) => `${c.policy.name}:${c.action}`).sort()).toEqual([
      'a-allow:Allow',
      'b-deny:Deny',
    ]);
    expect(t.explanation.join(' ')).toMatch(/ambiguous/);
  });

  it('same priority with the same action is not ambiguous', () => {
    const t = traceCase({
      name: '',
      policies: [
        anp('b-deny', 5, nsB, { ingress: [{ action: 'Deny', from: fromA }] }),
        anp('a-deny', 5, nsB, { ingress: [{ action: 'Deny', from: fromA }] }),
      ],
      from: 'a/web',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    expect(t.ingress.ambiguity).toBeUndefined();
  });

  it('names the deciding admin rule, its tier and action', () => {
    const t = traceCase({
      name: '',
      policies: [
        denyIn('b'),
        anp('allow-a', 10, nsB, { ingress: [{ name: 'from-a', action: 'Allow', from: fromA }] }),
      ],
      from: 'a/web',
      to: 'b/db',
      port: 5432,
      expect: 'allowed',
    });
    expect(t.ingress.tier).toBe('admin');
    expect(t.ingress.decidedBy).toEqual([
      {
        policy: { kind: 'AdminNetworkPolicy', name: 'allow-a' },
        direction: 'ingress',
        index: 0,
        name: 'from-a',
        action: 'Allow',
      },
    ]);
    expect(t.decidedBy).toEqual([{ kind: 'AdminNetworkPolicy', name: 'allow-a' }]);
    // the NetworkPolicy isolation is still reported
    expect(t.ingress.isolatedBy.map((p) => p.name)).toEqual(['deny-in']);
  });

  it('a Pass followed by a NetworkPolicy deny lists both', () => {
    const t = traceCase({
      name: '',
      policies: [denyIn('b'), anp('pass', 10, nsB, { ingress: [{ action: 'Pass', from: fromA }] })],
      from: 'a/web',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    expect(t.ingress.tier).toBe('networkpolicy');
    expect(t.ingress.decidedBy.map((r) => r.action)).toEqual(['Pass']);
    expect(t.decidedBy.map((p) => p.name).sort()).toEqual(['deny-in', 'pass']);
  });

  it('baseline decisions are attributed to the baseline tier', () => {
    const t = traceCase({
      name: '',
      policies: [banp(nsB, { ingress: [{ action: 'Deny', from: anyNs }] })],
      from: 'a/web',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    expect(t.ingress).toMatchObject({ tier: 'baseline', decision: 'deny', isolated: false });
    expect(t.decidedBy).toEqual([{ kind: 'BaselineAdminNetworkPolicy', name: 'default' }]);
  });

  it('fail-closed rules say why', () => {
    const t = traceCase({
      name: '',
      policies: [anp('p', 1, nsB, { ingress: [{ action: 'Deny', from: [{}] }] })],
      from: 'c/client',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    expect(t.ingress.reason).toMatch(/fails closed/);
  });
});
