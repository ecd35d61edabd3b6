/**
 * Kubernetes NetworkPolicy semantics, one case per rule of policy-semantics.md section 1.
 * Expected verdicts come from the rules, not from the engine.
 */
import { describe, expect, it } from 'vitest';
import { baseSnapshot, traceCase, type Case } from './testing/base-cluster';
import { np } from './testing/build';
import { createEngine } from './index';

const denyIn = (n: string) => np(n, 'deny-in', { podSelector: {}, policyTypes: ['Ingress'] });
const denyEg = (n: string) => np(n, 'deny-eg', { podSelector: {}, policyTypes: ['Egress'] });
const app = (v: string) => ({ matchLabels: { app: v } });

const cases: Case[] = [
  // ---- 1.1 isolation and defaulting
  {
    name: 'no policy: not isolated, allowed',
    policies: [],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'podSelector {} isolates every pod of its own namespace',
    policies: [denyIn('b')],
    from: 'c/client',
    to: 'b/web',
    port: 8080,
    expect: 'denied',
  },
  {
    name: 'a policy never selects pods in another namespace',
    policies: [denyIn('b')],
    from: 'c/client',
    to: 'a/web',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'policyTypes omitted: Ingress always included (empty policy isolates ingress)',
    policies: [np('b', 'p', { podSelector: {} })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'policyTypes omitted, no egress field: egress NOT isolated',
    policies: [np('c', 'p', { podSelector: {} })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'policyTypes omitted with egress rules: Egress included, so other egress is denied',
    policies: [np('c', 'p', { podSelector: {}, egress: [{ to: [{ podSelector: app('x') }] }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'policyTypes omitted with egress rules: Ingress included too (isolated for ingress)',
    policies: [np('b', 'p', { podSelector: {}, egress: [{}] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'policyTypes [Egress] with no rules: deny all egress',
    policies: [denyEg('c')],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'policyTypes [Egress]: ingress stays open (directions are independent)',
    policies: [denyEg('b')],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'union: a second policy allowing the flow wins over a deny-all',
    policies: [
      denyIn('b'),
      np('b', 'allow', { podSelector: app('db'), ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    ],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'union: policies selecting other pods do not help',
    policies: [denyIn('b'), np('b', 'allow', { podSelector: app('web'), ingress: [{}] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'ingress: [] only isolates (deny all)',
    policies: [np('b', 'p', { podSelector: {}, ingress: [] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'ingress: [{}] allows everything',
    policies: [denyIn('b'), np('b', 'p', { podSelector: {}, ingress: [{}] })],
    from: '203.0.113.5',
    to: 'b/db',
    port: 1234,
    protocol: 'UDP',
    expect: 'allowed',
  },
  {
    name: 'egress: [{}] allows everything',
    policies: [np('c', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })],
    from: 'c/client',
    to: '8.8.8.8',
    port: 53,
    protocol: 'UDP',
    expect: 'allowed',
  },
  {
    name: 'explicit policyTypes omitting Egress: egress rules are ignored (no egress isolation)',
    policies: [
      np('c', 'p', {
        podSelector: {},
        policyTypes: ['Ingress'],
        egress: [{ to: [{ podSelector: app('x') }] }],
      }),
    ],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'explicit policyTypes omitting Ingress: ingress rules are ignored',
    policies: [denyIn('b'), np('b', 'p', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },

  // ---- 1.2 rule matching
  {
    name: 'from missing: any peer, including external addresses',
    policies: [np('b', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 5432 }] }] })],
    from: '203.0.113.5',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'from: [] is any peer too',
    policies: [np('b', 'p', { podSelector: {}, ingress: [{ from: [], ports: [{ port: 5432 }] }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'ports missing: any port and protocol (UDP)',
    policies: [np('b', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    from: 'a/web',
    to: 'b/db',
    port: 9999,
    protocol: 'UDP',
    expect: 'allowed',
  },
  {
    name: 'ports: [] is any port too',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 1,
    protocol: 'SCTP',
    expect: 'allowed',
  },
  {
    name: 'peers are ORed: the second peer matches',
    policies: [
      np('b', 'p', {
        podSelector: {},
        ingress: [
          { from: [{ podSelector: app('nope') }, { namespaceSelector: { matchLabels: { team: 'a' } } }] },
        ],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'podSelector only: pods in the policy namespace only (same labels elsewhere do not match)',
    policies: [np('b', 'p', { podSelector: app('db'), ingress: [{ from: [{ podSelector: app('web') }] }] })],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'podSelector only: a matching pod in the policy namespace is allowed',
    policies: [np('b', 'p', { podSelector: app('db'), ingress: [{ from: [{ podSelector: app('web') }] }] })],
    from: 'b/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'namespaceSelector only: all pods of matching namespaces',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }],
      }),
    ],
    from: 'a/api',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'namespaceSelector only: other namespaces are not matched',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }],
      }),
    ],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'namespaceSelector {}: every namespace',
    policies: [np('b', 'p', { podSelector: app('db'), ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'both selectors in one item (AND): right namespace, wrong pod is denied',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: app('web') }] }],
      }),
    ],
    from: 'a/api',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'both selectors in one item (AND): right namespace and pod is allowed',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: app('web') }] }],
      }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'two items (OR): right namespace alone is enough',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }, { podSelector: app('web') }] },
        ],
      }),
    ],
    from: 'a/api',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'matchExpressions NotIn matches pods without the key',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [
          {
            from: [
              {
                namespaceSelector: {},
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] },
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
    name: 'matchExpressions NotIn excludes a listed value',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [
          {
            from: [
              {
                namespaceSelector: {},
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] },
              },
            ],
          },
        ],
      }),
    ],
    from: 'a/api',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'matchExpressions Exists / In on namespace labels',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [
                    { key: 'env', operator: 'In', values: ['prod', 'qa'] },
                    { key: 'team', operator: 'Exists' },
                  ],
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
    name: 'matchExpressions DoesNotExist on a present key fails',
    policies: [
      np('b', 'p', {
        podSelector: app('db'),
        ingress: [
          {
            from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }],
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
    name: 'ipBlock admits an external address in the CIDR',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] }),
    ],
    from: '203.0.113.5',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'ipBlock except removes addresses',
    policies: [
      np('b', 'p', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/29'] } }] }],
      }),
    ],
    from: '203.0.113.5',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'ipBlock: an address outside the CIDR is denied',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] }),
    ],
    from: '198.51.100.1',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'egress ipBlock 0.0.0.0/0 except 10/8 allows the internet',
    policies: [
      np('c', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
      }),
    ],
    from: 'c/client',
    to: '8.8.8.8',
    port: 443,
    expect: 'allowed',
  },
  {
    name: 'pod and namespace selectors never match external addresses',
    policies: [np('b', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    from: '203.0.113.5',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'pod and namespace selectors never match a node address (other node)',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    from: '192.168.1.11',
    to: 'a/web',
    port: 8080,
    expect: 'denied',
  },
  {
    name: 'ipBlock vs pod IPs, no CNI: ipBlock matches a pod IP',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'ipBlock vs pod IPs, Cilium: ipBlock does not match a pod IP',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    cni: { name: 'cilium', ipBlockMatchesPodIPs: false },
    expect: 'denied',
  },
  {
    name: 'ipBlock vs pod IPs: EngineOptions override the CNI facts',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }] }),
    ],
    from: 'a/web',
    to: 'b/db',
    port: 5432,
    cni: { name: 'cilium', ipBlockMatchesPodIPs: false },
    options: { ipBlockMatchesPodIPs: true },
    expect: 'allowed',
  },

  // ---- 1.3 ports
  {
    name: 'protocol defaults to TCP: port 53 does not admit 53/UDP',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 53 }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 53,
    protocol: 'UDP',
    expect: 'denied',
  },
  {
    name: 'ports: [{}] means all TCP ports',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{}] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 31337,
    expect: 'allowed',
  },
  {
    name: 'ports: [{}] does not admit UDP',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{}] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 53,
    protocol: 'UDP',
    expect: 'denied',
  },
  {
    name: 'protocol UDP without port: every UDP port',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 5353,
    protocol: 'UDP',
    expect: 'allowed',
  },
  {
    name: 'SCTP port',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ protocol: 'SCTP', port: 3868 }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 3868,
    protocol: 'SCTP',
    expect: 'allowed',
  },
  {
    name: 'SCTP rule does not admit TCP on the same port',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ protocol: 'SCTP', port: 3868 }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 3868,
    expect: 'denied',
  },
  {
    name: 'endPort: the range is inclusive (upper bound)',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] })],
    from: 'c/client',
    to: 'a/web',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'endPort: above the range is denied',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] })],
    from: 'c/client',
    to: 'a/web',
    port: 8081,
    expect: 'denied',
  },
  {
    name: 'named port on ingress resolves on the selected (destination) pod: a/api http=9090',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 9090,
    expect: 'allowed',
  },
  {
    name: 'named port on ingress: 8080 is http on a/web but not on a/api',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 8080,
    expect: 'denied',
  },
  {
    name: 'named port on egress resolves on the peer (destination) pod',
    policies: [
      np('c', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] }),
    ],
    from: 'c/client',
    to: 'b/db',
    port: 5432,
    expect: 'allowed',
  },
  {
    name: 'named port on egress: a destination without that name is denied',
    policies: [
      np('c', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] }),
    ],
    from: 'c/client',
    to: 'b/web',
    port: 5432,
    expect: 'denied',
  },
  {
    name: 'named port never matches an external peer',
    policies: [
      np('c', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 'https' }] }],
      }),
    ],
    from: 'c/client',
    to: '8.8.8.8',
    port: 443,
    expect: 'denied',
  },
  {
    name: 'named port needs a matching protocol (dns is UDP on a/api)',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'dns' }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 53,
    protocol: 'UDP',
    expect: 'denied',
  },
  {
    name: 'named port with protocol UDP matches the UDP container port',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'dns', protocol: 'UDP' }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 53,
    protocol: 'UDP',
    expect: 'allowed',
  },
  {
    name: 'query by port name resolves on the destination pod',
    policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 9090 }] }] })],
    from: 'c/client',
    to: 'a/api',
    port: 'http',
    expect: 'allowed',
  },

  // ---- 1.4 exemptions and implementation-defined areas
  {
    name: 'self traffic is evaluated by the policies (deny-all denies it)',
    policies: [denyIn('b')],
    from: 'b/db',
    to: 'b/db',
    port: 5432,
    expect: 'denied',
  },
  {
    name: "own node: ingress from the pod's node IP is always allowed",
    policies: [denyIn('a')],
    from: '192.168.1.10',
    to: 'a/web',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'own node: a host-network pod on the same node counts as the node',
    policies: [denyIn('a')],
    from: 'kube-system/agent-a',
    to: 'a/web',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'own node: a host-network pod on another node is not exempt',
    policies: [denyIn('b')],
    from: 'kube-system/agent-a',
    to: 'b/web',
    port: 8080,
    expect: 'denied',
  },
  {
    name: "own node: egress to the pod's own node is allowed",
    policies: [denyEg('a')],
    from: 'a/web',
    to: '192.168.1.10',
    port: 10250,
    expect: 'allowed',
  },
  {
    name: 'host-network pods are not selected by podSelector peers',
    policies: [
      np('b', 'p', {
        podSelector: {},
        ingress: [
          { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'agent' } } }] },
        ],
      }),
    ],
    from: 'kube-system/agent-a',
    to: 'b/web',
    port: 8080,
    expect: 'denied',
  },
  {
    name: 'host-network pods: ipBlock with the node IP targets them (no CNI)',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.1.10/32' } }] }] }),
    ],
    from: 'kube-system/agent-a',
    to: 'b/web',
    port: 8080,
    expect: 'allowed',
  },
  {
    name: 'host-network pods: ipBlock does not see node IPs under Cilium',
    policies: [
      np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.1.10/32' } }] }] }),
    ],
    from: 'kube-system/agent-a',
    to: 'b/web',
    port: 8080,
    cni: { name: 'cilium', ipBlockMatchesPodIPs: false },
    expect: 'denied',
  },
  {
    name: 'policies selecting a host-network pod have no effect on it',
    policies: [np('kube-system', 'p', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })],
    from: 'kube-system/agent-a',
    to: 'b/web',
    port: 8080,
    expect: 'allowed',
  },
];

describe('Kubernetes NetworkPolicy (policy-semantics.md section 1)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const t = traceCase(c);
    expect(t.verdict).toBe(c.expect);
  });
});

describe('NetworkPolicy explanations and attribution (1.5)', () => {
  it('names every isolating policy when a flow is denied', () => {
    const t = traceCase({
      name: '',
      policies: [
        denyIn('b'),
        np('b', 'only-web', { podSelector: {}, ingress: [{ from: [{ podSelector: app('web') }] }] }),
      ],
      from: 'c/client',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    expect(t.ingress.isolated).toBe(true);
    expect(t.ingress.isolatedBy.map((p) => p.name).sort()).toEqual(['deny-in', 'only-web']);
    expect(t.ingress.decision).toBe('deny');
    expect(t.ingress.decidedBy).toEqual([]);
    expect(t.decidedBy.map((p) => p.name).sort()).toEqual(['deny-in', 'only-web']);
    expect(t.egress).toMatchObject({ isolated: false, decision: 'allow', tier: 'default' });
  });

  it('reports every matching rule of every policy when allowed', () => {
    const t = traceCase({
      name: '',
      policies: [
        np('b', 'p1', {
          podSelector: {},
          ingress: [{ ports: [{ port: 1 }] }, { from: [{ namespaceSelector: {} }] }],
        }),
        np('b', 'p2', { podSelector: app('db'), ingress: [{}] }),
      ],
      from: 'c/client',
      to: 'b/db',
      port: 5432,
      expect: 'allowed',
    });
    expect(t.ingress.decidedBy.map((r) => `${r.policy.name}[${r.index}]`)).toEqual(['p1[1]', 'p2[0]']);
  });

  it('says why a peer did not match: namespace label value differs, pod label missing', () => {
    const t = traceCase({
      name: '',
      policies: [
        np('b', 'p', {
          podSelector: {},
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { team: 'b' } },
                  podSelector: { matchLabels: { role: 'x' } },
                },
              ],
            },
          ],
        }),
      ],
      from: 'a/web',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    const peer = t.ingress.policies[0].rules[0].peers[0];
    expect(peer.matched).toBe(false);
    const codes = peer.mismatches.map((m) => [m.code, m.key, m.expected, m.actual]);
    expect(codes).toContainEqual(['namespace-label-differs', 'team', 'b', 'a']);
    expect(codes).toContainEqual(['label-missing', 'role', 'x', undefined]);
  });

  it('says an address is in an except block', () => {
    const t = traceCase({
      name: '',
      policies: [
        np('b', 'p', {
          podSelector: {},
          ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/29'] } }] }],
        }),
      ],
      from: '203.0.113.5',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    const m = t.ingress.policies[0].rules[0].peers[0].mismatches[0];
    expect(m).toMatchObject({ code: 'ip-in-except', expected: '203.0.113.0/29' });
  });

  it('says an ipBlock skips pods under Cilium, and states the assumption', () => {
    const c: Case = {
      name: '',
      policies: [
        np('b', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
      ],
      from: 'a/web',
      to: 'b/db',
      port: 5432,
      cni: { name: 'cilium', ipBlockMatchesPodIPs: false },
      expect: 'denied',
    };
    const t = traceCase(c);
    expect(t.ingress.policies[0].rules[0].peers[0].mismatches[0].code).toBe('ipblock-skips-pods');
    expect(t.assumptions.join(' ')).toMatch(/NOT to match pod/);
    const t2 = traceCase({ ...c, cni: undefined });
    expect(t2.assumptions.join(' ')).toMatch(/assumed to match pod IPs/);
  });

  it('says a port or protocol differs', () => {
    const t = traceCase({
      name: '',
      policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 53 }] }] })],
      from: 'c/client',
      to: 'a/api',
      port: 53,
      protocol: 'UDP',
      expect: 'denied',
    });
    expect(t.ingress.policies[0].rules[0].ports[0].mismatch?.code).toBe('protocol-differs');
    const t2 = traceCase({
      name: '',
      policies: [np('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })],
      from: 'c/client',
      to: 'a/api',
      port: 81,
      expect: 'denied',
    });
    expect(t2.ingress.policies[0].rules[0].ports[0].mismatch?.code).toBe('port-differs');
  });

  it('notes self traffic and hairpin exemption', () => {
    const t = traceCase({ name: '', policies: [], from: 'b/db', to: 'b/db', port: 5432, expect: 'allowed' });
    expect(t.assumptions.join(' ')).toMatch(/hairpin/);
  });

  it('explains the own-node exemption', () => {
    const t = traceCase({
      name: '',
      policies: [denyIn('a')],
      from: '192.168.1.10',
      to: 'a/web',
      port: 8080,
      expect: 'allowed',
    });
    expect(t.source).toEqual({ kind: 'external', ip: '192.168.1.10', node: 'node-a' });
    expect(t.ingress.reason).toMatch(/own node/);
  });

  it('a named query port the destination does not expose is denied with the reason', () => {
    const t = traceCase({
      name: '',
      policies: [],
      from: 'c/client',
      to: 'b/db',
      port: 'http',
      expect: 'denied',
    });
    expect(t.verdict).toBe('denied');
    expect(t.query).toMatchObject({ portName: 'http', protocol: 'TCP' });
    expect(t.explanation[0]).toMatch(/exposes no TCP port named http/);
  });

  it('echoes the resolved number for a named query port', () => {
    const t = traceCase({
      name: '',
      policies: [],
      from: 'c/client',
      to: 'a/api',
      port: 'http',
      expect: 'allowed',
    });
    expect(t.query).toMatchObject({ port: 9090, portName: 'http', protocol: 'TCP' });
  });

  it('flags rules switched off by policyTypes that would have allowed the flow', () => {
    const t = traceCase({
      name: '',
      policies: [
        denyEg('c'),
        np('c', 'dns', {
          podSelector: {},
          policyTypes: ['Ingress'],
          egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
        }),
      ],
      from: 'c/client',
      to: 'a/api',
      port: 53,
      protocol: 'UDP',
      expect: 'denied',
    });
    const nm = t.nearMisses.find((n) => n.code === 'policy-types-disables-rules');
    expect(nm?.policy.name).toBe('dns');
    expect(nm?.fix?.patch?.after).toMatch(/- Egress/);
  });

  it('flags a policy in another namespace whose podSelector names the pod', () => {
    const t = traceCase({
      name: '',
      policies: [
        denyIn('b'),
        np('a', 'allow-db', { podSelector: app('db'), ingress: [{ from: [{ namespaceSelector: {} }] }] }),
      ],
      from: 'c/client',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    const nm = t.nearMisses.find((n) => n.code === 'policy-in-other-namespace');
    expect(nm?.policy).toMatchObject({ namespace: 'a', name: 'allow-db' });
    expect(nm?.fix?.patch?.after).toMatch(/namespace: b/);
  });

  it('flags a peer pod label one edit away and a peer selector that selects no pod', () => {
    const t = traceCase({
      name: '',
      policies: [
        np('b', 'p', {
          podSelector: app('web'),
          ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'datta' } } }] }],
        }),
      ],
      from: 'b/db',
      to: 'b/web',
      port: 8080,
      expect: 'denied',
    });
    const typo = t.nearMisses.find((n) => n.code === 'label-one-edit-away');
    expect(typo?.fix?.patch?.before).toMatch(/tier: datta/);
    expect(typo?.fix?.patch?.after).toMatch(/tier: data\n/);
    expect(t.nearMisses.some((n) => n.code === 'selector-matches-no-pod')).toBe(true);
  });

  it('does not call names that differ only in digits a typo (app1 vs app2)', () => {
    const t = traceCase({
      name: '',
      policies: [
        np('b', 'p', {
          podSelector: app('web'),
          ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'data2' } } }] }],
        }),
      ],
      from: 'b/db',
      to: 'b/web',
      port: 8080,
      expect: 'denied',
    });
    expect(t.nearMisses.some((n) => n.code === 'label-one-edit-away')).toBe(false);
  });

  it('does not call a far-away label value a near miss', () => {
    const t = traceCase({
      name: '',
      policies: [
        np('b', 'p', {
          podSelector: {},
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }],
        }),
      ],
      from: 'b/web',
      to: 'b/db',
      port: 5432,
      expect: 'denied',
    });
    expect(t.nearMisses.some((n) => n.code === 'label-one-edit-away')).toBe(false);
  });
});

describe('endpoints', () => {
  const engine = createEngine(baseSnapshot([]));
  it('resolves ns/pod, pod IPs and external IPs', () => {
    expect(engine.resolveEndpoint('b/db')).toMatchObject({
      kind: 'pod',
      namespace: 'b',
      name: 'db',
      ip: '10.0.2.11',
    });
    expect(engine.resolveEndpoint('10.0.2.11')).toMatchObject({ kind: 'pod', name: 'db' });
    expect(engine.resolveEndpoint('8.8.8.8')).toEqual({ kind: 'external', ip: '8.8.8.8' });
    expect(engine.resolveEndpoint('192.168.1.11')).toEqual({
      kind: 'external',
      ip: '192.168.1.11',
      node: 'node-b',
    });
  });
  it('rejects an unknown pod with close-name suggestions', () => {
    expect(() => engine.resolveEndpoint('b/dbb')).toThrowError(/not in the snapshot/);
    try {
      engine.resolveEndpoint('b/dbb');
    } catch (e) {
      expect((e as { suggestions: string[] }).suggestions).toContain('b/db');
    }
  });
  it('rejects a bad port or protocol', () => {
    expect(() => engine.trace({ from: 'a/web', to: 'b/db', port: 70000 })).toThrowError(/out of range/);
    expect(() =>
      engine.trace({ from: 'a/web', to: 'b/db', port: 80, protocol: 'ICMP' as never }),
    ).toThrowError(/Unknown protocol/);
  });
});
