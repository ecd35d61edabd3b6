import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshotTexts } from '../snapshot/parse';
import { lintSnapshot } from './index';
import { createEngine } from '../engine/index';
import type { LintFinding } from '../engine/types';

const demo = readFileSync(new URL('../../assets/demo/cluster.yaml', import.meta.url), 'utf8');

/** A small cluster: namespaces a (team=a) and b (team=b), pods web (a) and api (b) with named ports, and DNS. */
const BASE = `
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: a, labels: {kubernetes.io/metadata.name: a, team: a}}}
- {apiVersion: v1, kind: Namespace, metadata: {name: b, labels: {kubernetes.io/metadata.name: b, team: b}}}
- {apiVersion: v1, kind: Namespace, metadata: {name: kube-system, labels: {kubernetes.io/metadata.name: kube-system}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: a, labels: {app: web}}
  spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
  status: {podIP: 10.0.1.10}
- apiVersion: v1
  kind: Pod
  metadata: {name: api, namespace: b, labels: {app: api}}
  spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]}
  status: {podIP: 10.0.2.20}
- apiVersion: v1
  kind: Pod
  metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
  spec: {containers: [{name: c, ports: [{name: dns, containerPort: 53, protocol: UDP}]}]}
  status: {podIP: 10.0.0.2}
`;

/** Default-deny ingress in every namespace so namespace-without-default-deny stays quiet unless tested. */
const DENY_ALL = ['a', 'b', 'kube-system']
  .map(
    (ns) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: ${ns}}
spec: {podSelector: {}, policyTypes: [Ingress]}`,
  )
  .join('\n');

function lint(policies: string, withDefaultDeny = true): LintFinding[] {
  const text = `${BASE}\n${withDefaultDeny ? DENY_ALL : ''}\n${policies ? `---\n${policies}` : ''}`;
  return lintSnapshot(parseSnapshotTexts([{ name: 'test.yaml', text }]));
}

function rules(findings: LintFinding[]): string[] {
  return [...new Set(findings.map((f) => f.rule))].sort();
}

const np = (ns: string, name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}\n---`;

describe('lintSnapshot', () => {
  it('a clean cluster has no findings', () => {
    const clean = np(
      'b',
      'allow-web',
      `  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}
      podSelector: {matchLabels: {app: web}}
    ports: [{port: http}]`,
    );
    expect(lint(clean)).toEqual([]);
  });

  it('policy-selects-no-pod: a typo in podSelector, with the fix', () => {
    const f = lint(np('b', 'p', '  podSelector: {matchLabels: {app: apii}}\n  ingress: [{}]'));
    const hit = f.find((x) => x.rule === 'policy-selects-no-pod');
    expect(hit?.object).toEqual({ kind: 'NetworkPolicy', namespace: 'b', name: 'p' });
    expect(hit?.message).toContain('app=api');
    expect(hit?.fix?.command).toContain('"value":"api"');
    expect(hit?.fix?.patch?.after).toContain('app: api');
  });

  it('policy-selects-no-pod: points at pods in another namespace', () => {
    const hit = lint(np('b', 'p', '  podSelector: {matchLabels: {app: web}}\n  ingress: [{}]')).find(
      (x) => x.rule === 'policy-selects-no-pod',
    );
    expect(hit?.message).toContain('a/web');
  });

  it('policy-selects-no-pod: says when only hostNetwork pods match', () => {
    const hostPod = `apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: b, labels: {app: agent}}
spec: {hostNetwork: true, containers: [{name: c}]}
status: {podIP: 192.168.1.10}
---`;
    const hit = lint(
      `${hostPod}\n${np('b', 'p', '  podSelector: {matchLabels: {app: agent}}\n  ingress: [{}]')}`,
    ).find((x) => x.rule === 'policy-selects-no-pod');
    expect(hit?.message).toContain('hostNetwork pods (b/agent)');
  });

  it('policy-selects-no-pod: also for AdminNetworkPolicy subjects', () => {
    const f = lint(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: x}
spec: {priority: 1, subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: nothing}}}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}`);
    expect(f.find((x) => x.rule === 'policy-selects-no-pod')?.object).toEqual({
      kind: 'AdminNetworkPolicy',
      name: 'x',
    });
  });

  it('namespace-selector-matches-nothing: suggests kubernetes.io/metadata.name for `name`', () => {
    const f = lint(
      np(
        'b',
        'p',
        '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {name: a}}',
      ),
    );
    const hit = f.find((x) => x.rule === 'namespace-selector-matches-nothing');
    expect(hit?.message).toContain('kubernetes.io/metadata.name');
    expect(hit?.fix?.command).toBe('kubectl label namespace a name=a');
    expect(hit?.fix?.patch?.after).toContain('kubernetes.io/metadata.name: a');
    expect(hit?.fix?.patch?.after).not.toMatch(/^\s+name: a$/m);
  });

  it('namespace-selector-matches-nothing: a value one edit away', () => {
    const hit = lint(
      np(
        'b',
        'p',
        '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: aa}}',
      ),
    ).find((x) => x.rule === 'namespace-selector-matches-nothing');
    expect(hit?.message).toContain('team=a');
  });

  it('peer-matches-no-pod: a podSelector peer looking only in its own namespace', () => {
    const hit = lint(
      np('b', 'p', '  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: web}}'),
    ).find((x) => x.rule === 'peer-matches-no-pod');
    expect(hit?.message).toMatch(/other namespaces \(a\/web\)/);
  });

  it('peers-look-like-and: a namespaceSelector-only and a podSelector-only peer in one rule', () => {
    const f = lint(
      np(
        'b',
        'p',
        '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n    - podSelector: {matchLabels: {app: web}}',
      ),
    );
    const hit = f.find((x) => x.rule === 'peers-look-like-and');
    expect(hit?.severity).toBe('warning');
    expect(hit?.message).toContain('ORed');
    // the fix merges them into one peer
    expect(hit?.fix?.patch?.after).toMatch(
      /- namespaceSelector:\n\s+matchLabels:\n\s+team: a\n\s+podSelector:/,
    );
    // the same selectors in ONE peer are fine
    const ok = lint(
      np(
        'b',
        'p',
        '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n      podSelector: {matchLabels: {app: web}}',
      ),
    );
    expect(rules(ok)).not.toContain('peers-look-like-and');
  });

  it('egress-without-dns: egress isolation with no DNS rule; quiet once DNS is allowed', () => {
    const deny = np('a', 'deny-egress', '  podSelector: {}\n  policyTypes: [Egress]');
    const hit = lint(deny).find((x) => x.rule === 'egress-without-dns');
    expect(hit?.object).toEqual({ kind: 'NetworkPolicy', namespace: 'a', name: 'deny-egress' });
    expect(hit?.fix?.yaml).toContain('k8s-app: kube-dns');
    const dns = np(
      'a',
      'allow-dns',
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n    ports: [{port: 53, protocol: UDP}]',
    );
    expect(rules(lint(`${deny}\n${dns}`))).not.toContain('egress-without-dns');
    // a TCP-only DNS rule does not count
    const tcpOnly = dns.replace('protocol: UDP', 'protocol: TCP');
    expect(rules(lint(`${deny}\n${tcpOnly}`))).toContain('egress-without-dns');
  });

  it('policy-types-disables-rules: ingress rules with policyTypes [Egress]', () => {
    const hit = lint(
      np('b', 'p', '  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n  egress: [{}]'),
    ).find((x) => x.rule === 'policy-types-disables-rules');
    expect(hit?.message).toContain('ingress rules are ignored');
    expect(hit?.fix?.command).toContain('/spec/policyTypes/-');
    expect(
      rules(
        lint(
          np(
            'b',
            'p',
            '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{}]\n  egress: [{}]',
          ),
        ),
      ),
    ).not.toContain('policy-types-disables-rules');
  });

  it('named-port-not-exposed: a port name no selected pod has', () => {
    const hit = lint(np('a', 'p', '  podSelector: {}\n  ingress:\n  - ports: [{port: htp}]')).find(
      (x) => x.rule === 'named-port-not-exposed',
    );
    expect(hit?.message).toContain('"htp"');
    expect(hit?.message).toContain('"http"');
    // egress: the name is resolved on the destination pods
    expect(
      rules(
        lint(
          np(
            'a',
            'p',
            '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}]\n    ports: [{port: metrics}]',
          ),
        ),
      ),
    ).not.toContain('named-port-not-exposed');
    const egressHit = lint(
      np(
        'a',
        'p',
        '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]\n    ports: [{port: metrics}]',
      ),
    ).find((x) => x.rule === 'named-port-not-exposed');
    expect(egressHit?.message).toContain('"metrics"');
  });

  it('named-port-not-exposed: AdminNetworkPolicy namedPort and ClusterNetworkPolicy destinationNamedPort', () => {
    const f = lint(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: x}
spec: {priority: 1, subject: {namespaces: {matchLabels: {team: b}}}, ingress: [{action: Allow, from: [{namespaces: {}}], ports: [{namedPort: grpc}, {namedPort: metrics}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: y}
spec: {tier: Admin, priority: 2, subject: {namespaces: {}}, egress: [{action: Accept, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}], protocols: [{destinationNamedPort: http}]}]}`);
    const hits = f.filter((x) => x.rule === 'named-port-not-exposed');
    expect(hits.map((h) => `${h.object.kind} ${h.message.match(/"(\w+)"/)?.[1]}`)).toEqual([
      'AdminNetworkPolicy grpc',
    ]);
  });

  it('ipblock-covers-pod-ips: says which behaviour it assumes', () => {
    const pol = np('b', 'p', '  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.1.0/24}}]');
    const hit = lint(pol).find((x) => x.rule === 'ipblock-covers-pod-ips');
    expect(hit?.message).toContain('a/web');
    expect(hit?.message).toMatch(/ipBlock matches pod IPs/);
    // excluded by except: no finding
    expect(
      rules(
        lint(
          np(
            'b',
            'p',
            '  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/16]}}]',
          ),
        ),
      ),
    ).not.toContain('ipblock-covers-pod-ips');
  });

  it('ipblock-covers-pod-ips: under Cilium the rule does not admit pods', () => {
    const text = `${BASE}\n${DENY_ALL}\n---\n${np('b', 'p', '  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.1.0/24}}]')}
apiVersion: netpol-doctor.dev/v1alpha1
kind: CniFacts
metadata: {name: cni}
facts: {name: cilium, enforcesNetworkPolicy: true, evidence: [], warnings: [], components: [], nodes: [], ipBlockMatchesPodIPs: false, observability: {hubble: true, calico: false}}`;
    const hit = lintSnapshot(parseSnapshotTexts([{ name: 't.yaml', text }])).find(
      (x) => x.rule === 'ipblock-covers-pod-ips',
    );
    expect(hit?.message).toMatch(/under cilium an ipBlock does not select pods/);
  });

  it('duplicate-policy: same spec written differently (defaults, key order)', () => {
    const a = np(
      'b',
      'one',
      '  podSelector: {matchLabels: {app: api}}\n  ingress: [{ports: [{port: 8080}]}]',
    );
    const b = np(
      'b',
      'two',
      '  ingress: [{ports: [{protocol: TCP, port: 8080}]}]\n  policyTypes: [Ingress]\n  podSelector: {matchLabels: {app: api}}',
    );
    const hit = lint(`${a}\n${b}`).filter((x) => x.rule === 'duplicate-policy');
    expect(hit).toHaveLength(1);
    expect(hit[0].object.name).toBe('two');
    expect(hit[0].fix?.command).toBe('kubectl -n b delete networkpolicy two');
    expect(rules(lint(`${a}\n${b.replace('8080', '8081')}`))).not.toContain('duplicate-policy');
  });

  it('shadowed-policy: a narrower policy fully covered by a broader one', () => {
    const narrow = np(
      'b',
      'narrow',
      '  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {team: a}}}]\n    ports: [{port: 8080}]',
    );
    const broad = np(
      'b',
      'broad',
      '  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {}}]\n    ports: [{port: 8000, endPort: 9000}]',
    );
    const hit = lint(`${narrow}\n${broad}`).filter((x) => x.rule === 'shadowed-policy');
    expect(hit.map((h) => h.object.name)).toEqual(['narrow']);
    expect(hit[0].message).toContain('broad');
    // not covered when the broad one misses the port
    const partial = broad.replace('endPort: 9000', 'endPort: 8079');
    expect(lint(`${narrow}\n${partial}`).filter((x) => x.rule === 'shadowed-policy')).toEqual([]);
  });

  it('admin-priority-tie: two ANPs with one priority over the same pods', () => {
    const anp = (name: string, action: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec: {priority: 5, subject: {namespaces: {matchLabels: {team: b}}}, ingress: [{action: ${action}, from: [{namespaces: {}}]}]}
---`;
    const hit = lint(`${anp('x', 'Allow')}\n${anp('y', 'Deny')}`).find(
      (x) => x.rule === 'admin-priority-tie',
    );
    expect(hit?.message).toContain('b/api');
    expect(
      rules(lint(`${anp('x', 'Allow')}\n${anp('y', 'Deny').replace('priority: 5', 'priority: 6')}`)),
    ).not.toContain('admin-priority-tie');
  });

  it('namespace-without-default-deny: info per namespace with pods', () => {
    const f = lint('', false).filter((x) => x.rule === 'namespace-without-default-deny');
    expect(f.map((x) => x.object.name).sort()).toEqual(['a', 'b', 'kube-system']);
    expect(f.every((x) => x.severity === 'info')).toBe(true);
    expect(f[0].fix?.yaml).toContain('podSelector: {}');
  });

  it('reports invalid objects from loading, with file and line, and pods without IPs as skipped', () => {
    const f = lint(`${np('b', 'bad', '  podSelector: {}\n  ingress:\n  - ports: [{port: 0}]')}
apiVersion: v1
kind: Pod
metadata: {name: pending, namespace: a}
spec: {containers: [{name: c}]}
status: {phase: Pending}`);
    const invalid = f.find((x) => x.rule === 'invalid-object');
    expect(invalid?.severity).toBe('error');
    expect(invalid?.message).toMatch(/^test\.yaml:\d+: .*spec\.ingress\[0\]\.ports\[0\]\.port/);
    const skipped = f.find((x) => x.rule === 'pod-without-ip');
    expect(skipped).toMatchObject({
      severity: 'info',
      object: { kind: 'Pod', namespace: 'a', name: 'pending' },
    });
    expect(f[0].severity).toBe('error'); // errors first
  });
});

describe('lintSnapshot on the demo snapshot', () => {
  const findings = lintSnapshot(parseSnapshotTexts([{ name: 'cluster.yaml', text: demo }]));
  const find = (rule: string, ns: string, name: string) =>
    findings.find((f) => f.rule === rule && f.object.namespace === ns && f.object.name === name);

  it('(a) finds the namespace selector on `name: frontend`', () => {
    const f = find('namespace-selector-matches-nothing', 'backend', 'allow-from-frontend');
    expect(f?.message).toContain('kubernetes.io/metadata.name');
    expect(f?.fix?.command).toBe('kubectl label namespace frontend name=frontend');
  });
  it('(b) finds the payments egress isolation without DNS', () => {
    const f = findings.find((x) => x.rule === 'egress-without-dns' && x.object.namespace === 'payments');
    expect(f?.message).toContain('payments/payments-');
  });
  it('(c) finds the OR-ed monitoring peers', () => {
    const f = find('peers-look-like-and', 'data', 'allow-monitoring-scrape');
    expect(f?.message).toContain('grafana');
  });
  it('(d) finds the redis-cahce typo', () => {
    const f = find('policy-selects-no-pod', 'backend', 'allow-api-to-cache');
    expect(f?.message).toContain('app=redis-cache');
  });
  it('with the engine (DNS checked by a real trace, ipBlock behaviour of the CNI) the four failures are still found', () => {
    const snapshot = parseSnapshotTexts([{ name: 'cluster.yaml', text: demo }]);
    const withEngine = lintSnapshot(snapshot, createEngine(snapshot));
    const keys = (fs: LintFinding[]) =>
      fs.map((f) => `${f.rule} ${f.object.namespace}/${f.object.name}`).sort();
    expect(keys(withEngine)).toEqual(keys(findings));
  });

  it('every finding has rule, severity, object and message', () => {
    for (const f of findings) {
      expect(f.rule).toMatch(/^[a-z-]+$/);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(typeof f.object.kind).toBe('string');
      expect(f.message.length).toBeGreaterThan(10);
    }
  });
});
