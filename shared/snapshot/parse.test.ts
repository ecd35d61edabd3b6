import { describe, expect, it } from 'vitest';
import { SnapshotParseError, parseSnapshotTexts } from './parse';
import type { LoadFinding } from './types';

const ns = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
});
const pod = (namespace: string, name: string, ip?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: name } },
  spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
  status: ip ? { podIP: ip } : {},
});

function parse(text: string, name = 'in.yaml') {
  return parseSnapshotTexts([{ name, text }]);
}

function invalid(findings: LoadFinding[]) {
  return findings.filter((f) => f.code === 'invalid-object');
}

function policyYaml(spec: string, extra = ''): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
  namespace: default${extra}
spec:
${spec}`;
}

describe('parseSnapshotTexts: input forms', () => {
  it('reads a kubectl List in JSON', () => {
    const s = parse(
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ns('a'), pod('a', 'web', '10.0.0.1')] }),
      'x.json',
    );
    expect(s.namespaces.map((n) => n.metadata.name)).toEqual(['a']);
    expect(s.pods[0].status?.podIP).toBe('10.0.0.1');
    expect(s.loadFindings).toEqual([]);
  });

  it('reads a typed *List whose items lack kind/apiVersion (raw API response)', () => {
    const raw = {
      apiVersion: 'v1',
      kind: 'PodList',
      items: [{ metadata: { name: 'x', namespace: 'a' }, spec: { containers: [{ name: 'c' }] } }],
    };
    const s = parse(JSON.stringify(raw), 'pods.json');
    expect(s.pods).toHaveLength(1);
    expect(s.pods[0].kind).toBe('Pod');
  });

  it('reads multi-document YAML with single objects and a List, skipping empty documents', () => {
    const s = parse(`---
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
# only a comment
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: b}
`);
    expect(s.namespaces.map((n) => n.metadata.name)).toEqual(['a', 'b']);
  });

  it('tells Calico NetworkPolicy apart from Kubernetes NetworkPolicy by apiVersion', () => {
    const s = parse(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: c, namespace: default}
spec: {selector: all()}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata: {name: g}
spec: {selector: all()}
---
${policyYaml('  podSelector: {}')}`);
    expect(s.calicoNetworkPolicies.map((p) => p.metadata.name)).toEqual(['c']);
    expect(s.calicoGlobalNetworkPolicies.map((p) => p.metadata.name)).toEqual(['g']);
    expect(s.networkPolicies.map((p) => p.metadata.name)).toEqual(['p']);
  });

  it('loads the cluster-scoped and Cilium policy kinds into their own lists', () => {
    const s = parse(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: a}
spec: {priority: 10, subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec: {subject: {namespaces: {}}}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: c}
spec: {tier: Admin, priority: 5, subject: {namespaces: {}}, egress: [{action: Accept, to: [{networks: [10.0.0.0/8]}], protocols: [{tcp: {destinationPort: {number: 53}}}]}]}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cnp, namespace: default}
spec: {endpointSelector: {}}
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: ccnp}
specs: [{endpointSelector: {}}]
`);
    expect(s.adminNetworkPolicies).toHaveLength(1);
    expect(s.baselineAdminNetworkPolicies).toHaveLength(1);
    expect(s.clusterNetworkPolicies).toHaveLength(1);
    expect(s.ciliumNetworkPolicies).toHaveLength(1);
    expect(s.ciliumClusterwideNetworkPolicies).toHaveLength(1);
    expect(invalid(s.loadFindings)).toEqual([]);
  });

  it('counts unknown kinds without failing', () => {
    const s = parse(`apiVersion: v1
kind: List
items:
- {apiVersion: batch/v1, kind: Job, metadata: {name: j, namespace: a}}
- {apiVersion: batch/v1, kind: Job, metadata: {name: k, namespace: a}}
- {apiVersion: v1, kind: Namespace, metadata: {name: a}}
`);
    expect(s.unknownKinds).toEqual({ Job: 2 });
    expect(s.loadFindings.find((f) => f.code === 'unknown-kind')?.message).toMatch(
      /2 objects of kind Job \(batch\/v1\)/,
    );
    expect(s.namespaces).toHaveLength(1);
  });

  it('never loads Secrets and keeps ConfigMap data only for CNI configuration', () => {
    const s = parse(`apiVersion: v1
kind: Secret
metadata: {name: token, namespace: a}
data: {password: c2VjcmV0}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings
  namespace: a
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"dbPassword":"hunter2"}}'
data: {dbPassword: hunter2}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {enable-policy: default, enable-hubble: "true"}
`);
    expect(JSON.stringify(s)).not.toContain('hunter2');
    expect(JSON.stringify(s)).not.toContain('c2VjcmV0');
    expect(s.configMaps.find((c) => c.metadata.name === 'app-settings')?.data).toBeUndefined();
    expect(s.configMaps.find((c) => c.metadata.name === 'cilium-config')?.data).toEqual({
      'enable-policy': 'default',
      'enable-hubble': 'true',
    });
    expect(s.loadFindings.find((f) => f.code === 'secret-dropped')?.severity).toBe('info');
  });

  it('reports duplicates and keeps one copy', () => {
    const a = policyYaml('  podSelector: {}');
    const b = policyYaml('  podSelector: {matchLabels: {app: x}}');
    const s = parseSnapshotTexts([
      { name: 'one.yaml', text: a },
      { name: 'two.yaml', text: `${a}\n---\n${b}` },
    ]);
    expect(s.networkPolicies).toHaveLength(1);
    expect(s.networkPolicies[0].spec.podSelector).toEqual({ matchLabels: { app: 'x' } });
    const dups = s.loadFindings.filter((f) => f.code === 'duplicate-object');
    expect(dups.map((d) => d.severity)).toEqual(['info', 'warning']);
    expect(dups[1].message).toContain('two.yaml:9 replaces two.yaml:1');
  });

  it('uses the SnapshotInfo source and time when present, the given source otherwise', () => {
    const s = parseSnapshotTexts(
      [{ name: 'x.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' }],
      { type: 'demo', paths: ['x.yaml'] },
    );
    expect(s.source).toEqual({ type: 'demo', paths: ['x.yaml'] });
    const t = parse(`apiVersion: netpol-doctor.dev/v1alpha1
kind: SnapshotInfo
metadata: {name: snapshot}
source: {type: context, context: prod}
takenAt: "2026-01-02T03:04:05.000Z"
partial: {gaps: [{verb: list, resource: networkpolicies, namespace: b, message: cannot list networkpolicies in namespace b}]}
`);
    expect(t.source).toEqual({ type: 'context', context: 'prod' });
    expect(t.takenAt).toBe('2026-01-02T03:04:05.000Z');
    expect(t.partial?.gaps[0].namespace).toBe('b');
  });
});

describe('parseSnapshotTexts: malformed input', () => {
  it('fails on bad YAML with file, line and column', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {a: b\n';
    const err = (() => {
      try {
        parse(text, 'broken.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SnapshotParseError);
    const e = err as SnapshotParseError;
    expect(e.file).toBe('broken.yaml');
    expect(e.line).toBeGreaterThanOrEqual(5);
    expect(e.column).toBeGreaterThan(0);
    expect(e.message).toMatch(/^broken\.yaml:\d+:\d+: invalid YAML/);
  });

  it('fails on bad JSON with the line of the error', () => {
    const text =
      '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n    {"kind": "Namespace",, }\n  ]\n}\n';
    try {
      parse(text, 'broken.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SnapshotParseError);
      expect((e as SnapshotParseError).line).toBe(5);
      expect((e as SnapshotParseError).message).toContain('broken.json:5');
    }
  });

  it('reports an item without kind as an invalid object with its line, and loads the rest', () => {
    const s = parse(
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  metadata: {name: b}\n',
    );
    expect(s.namespaces).toHaveLength(1);
    expect(invalid(s.loadFindings)).toMatchObject([{ field: 'kind', line: 7, severity: 'error' }]);
  });
});

describe('parseSnapshotTexts: validation like the API server', () => {
  const cases: Array<{ name: string; spec: string; field: string; message: RegExp }> = [
    {
      name: 'ipBlock.cidr not a CIDR',
      spec: '  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {}\n    - ipBlock: {cidr: 10.0.0.0/33}',
      field: 'spec.ingress[0].from[1].ipBlock.cidr',
      message: /must be a valid CIDR/,
    },
    {
      name: 'except outside cidr',
      spec: '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}',
      field: 'spec.egress[0].to[0].ipBlock.except[0]',
      message: /strict subset/,
    },
    {
      name: 'port out of range',
      spec: '  podSelector: {}\n  ingress:\n  - ports: [{port: 70000}]',
      field: 'spec.ingress[0].ports[0].port',
      message: /between 1 and 65535/,
    },
    {
      name: 'port name not IANA_SVC_NAME',
      spec: '  podSelector: {}\n  ingress:\n  - ports: [{port: Http_Port}]',
      field: 'spec.ingress[0].ports[0].port',
      message: /IANA_SVC_NAME/,
    },
    {
      name: 'endPort with named port',
      spec: '  podSelector: {}\n  ingress:\n  - ports: [{port: http, endPort: 9000}]',
      field: 'spec.ingress[0].ports[0].endPort',
      message: /non-numeric/,
    },
    {
      name: 'endPort below port',
      spec: '  podSelector: {}\n  ingress:\n  - ports: [{port: 9000, endPort: 8000}]',
      field: 'spec.ingress[0].ports[0].endPort',
      message: /greater than or equal to port/,
    },
    {
      name: 'protocol not in enum',
      spec: '  podSelector: {}\n  ingress:\n  - ports: [{protocol: ICMP, port: 80}]',
      field: 'spec.ingress[0].ports[0].protocol',
      message: /Unsupported value: "ICMP"/,
    },
    {
      name: 'In without values',
      spec: '  podSelector:\n    matchExpressions: [{key: app, operator: In}]',
      field: 'spec.podSelector.matchExpressions[0].values',
      message: /Required value/,
    },
    {
      name: 'Exists with values',
      spec: '  podSelector:\n    matchExpressions: [{key: app, operator: Exists, values: [x]}]',
      field: 'spec.podSelector.matchExpressions[0].values',
      message: /may not be specified/,
    },
    {
      name: 'policyTypes value',
      spec: '  podSelector: {}\n  policyTypes: [Ingres]',
      field: 'spec.policyTypes[0]',
      message: /Unsupported value: "Ingres"/,
    },
    {
      name: 'empty peer',
      spec: '  podSelector: {}\n  ingress:\n  - from:\n    - {}',
      field: 'spec.ingress[0].from[0]',
      message: /must specify a peer/,
    },
    {
      name: 'ipBlock with another peer',
      spec: '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8}\n      podSelector: {}',
      field: 'spec.ingress[0].from[0]',
      message: /both ipBlock and another peer/,
    },
  ];
  for (const c of cases) {
    it(`NetworkPolicy: ${c.name} → ${c.field}`, () => {
      const s = parse(policyYaml(c.spec), 'np.yaml');
      expect(s.networkPolicies).toHaveLength(1); // kept, not dropped
      const f = invalid(s.loadFindings);
      expect(f).toHaveLength(1);
      expect(f[0].field).toBe(c.field);
      expect(f[0].message).toMatch(c.message);
      expect(f[0].object).toEqual({ kind: 'NetworkPolicy', namespace: 'default', name: 'p' });
      expect(f[0].file).toBe('np.yaml');
      // the line points into the spec, where the offending field is written
      expect(f[0].line).toBeGreaterThanOrEqual(6);
    });
  }

  it('accepts a valid NetworkPolicy with every field form', () => {
    const s = parse(
      policyYaml(`  podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [a]}, {key: x, operator: DoesNotExist}]}
  policyTypes: [Ingress, Egress]
  ingress:
  - {}
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}
      podSelector: {matchLabels: {app: web}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    - ipBlock: {cidr: "2001:db8::/32"}
    ports: [{port: http}, {port: 8000, endPort: 9000, protocol: UDP}, {protocol: SCTP}]
  egress: []`),
    );
    expect(s.loadFindings).toEqual([]);
  });

  it('points at the exact line of the bad field in the file', () => {
    const text = policyYaml(
      '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: not-a-cidr',
    );
    const s = parse(text);
    const f = invalid(s.loadFindings)[0];
    expect(text.split('\n')[f.line! - 1]).toContain('cidr: not-a-cidr');
  });

  it('finds lines in JSON files too', () => {
    const np = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'a' },
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] },
    };
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [np] }, null, 2);
    const f = invalid(parse(text, 'x.json').loadFindings)[0];
    expect(f.field).toBe('spec.ingress[0].ports[0].port');
    expect(text.split('\n')[f.line! - 1]).toContain('"port": 0');
  });

  it('keeps an unquoted boolean label, as a string, and reports it', () => {
    const s = parse(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  labels:\n    pci: true\n',
    );
    expect(s.namespaces[0].metadata.labels).toEqual({ pci: 'true' });
    expect(invalid(s.loadFindings)[0]).toMatchObject({ field: 'metadata.labels.pci', line: 6 });
  });

  it('defaults a missing namespace to "default" with a warning', () => {
    const s = parse(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}}\n',
    );
    expect(s.networkPolicies[0].metadata.namespace).toBe('default');
    expect(s.loadFindings[0]).toMatchObject({ code: 'namespace-defaulted', severity: 'warning' });
  });

  it('validates pods: container port range, port names, pod IP', () => {
    const s = parse(`apiVersion: v1
kind: Pod
metadata: {name: x, namespace: a}
spec:
  containers:
  - name: c
    ports: [{containerPort: 0}, {name: way-too-long-port-name, containerPort: 80}]
status: {podIP: 10.0.0.300}
`);
    expect(invalid(s.loadFindings).map((f) => f.field)).toEqual([
      'spec.containers[0].ports[0].containerPort',
      'spec.containers[0].ports[1].name',
      'status.podIP',
    ]);
    expect(s.pods).toHaveLength(1);
  });

  const anp = (spec: string, name = 'a', kind = 'AdminNetworkPolicy', version = 'v1alpha1') =>
    `apiVersion: policy.networking.k8s.io/${version}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n${spec}`;
  const anpCases: Array<{ name: string; text: string; field: string; message: RegExp }> = [
    {
      name: 'ANP priority above 1000',
      text: anp('  priority: 1001\n  subject: {namespaces: {}}'),
      field: 'spec.priority',
      message: /between 0 and 1000/,
    },
    {
      name: 'ANP priority missing',
      text: anp('  subject: {namespaces: {}}'),
      field: 'spec.priority',
      message: /Required/,
    },
    {
      name: 'ANP subject with both namespaces and pods',
      text: anp('  priority: 1\n  subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}'),
      field: 'spec.subject',
      message: /exactly one of/,
    },
    {
      name: 'ANP action not in enum',
      text: anp(
        '  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Reject, from: [{namespaces: {}}]}]',
      ),
      field: 'spec.ingress[0].action',
      message: /Unsupported value: "Reject"/,
    },
    {
      name: 'ANP rule without peers',
      text: anp('  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny}]'),
      field: 'spec.egress[0].to',
      message: /Required/,
    },
    {
      name: 'ANP port range start >= end',
      text: anp(
        '  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}], ports: [{portRange: {start: 90, end: 80}}]}]',
      ),
      field: 'spec.egress[0].ports[0].portRange.end',
      message: /greater than start/,
    },
    {
      name: 'BANP name must be default',
      text: anp('  subject: {namespaces: {}}', 'mine', 'BaselineAdminNetworkPolicy'),
      field: 'metadata.name',
      message: /must be "default"/,
    },
    {
      name: 'BANP has no Pass',
      text: anp(
        '  subject: {namespaces: {}}\n  ingress: [{action: Pass, from: [{namespaces: {}}]}]',
        'default',
        'BaselineAdminNetworkPolicy',
      ),
      field: 'spec.ingress[0].action',
      message: /Unsupported value: "Pass"/,
    },
    {
      name: 'CNP tier enum',
      text: anp(
        '  tier: Platform\n  priority: 1\n  subject: {namespaces: {}}',
        'c',
        'ClusterNetworkPolicy',
        'v1alpha2',
      ),
      field: 'spec.tier',
      message: /Unsupported value: "Platform"/,
    },
    {
      name: 'CNP uses Accept, not Allow',
      text: anp(
        '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Allow, from: [{namespaces: {}}]}]',
        'c',
        'ClusterNetworkPolicy',
        'v1alpha2',
      ),
      field: 'spec.ingress[0].action',
      message: /Unsupported value: "Allow"/,
    },
  ];
  for (const c of anpCases) {
    it(`${c.name} → ${c.field}`, () => {
      const s = parse(c.text);
      const f = invalid(s.loadFindings);
      expect(f.map((x) => x.field)).toContain(c.field);
      expect(f.find((x) => x.field === c.field)!.message).toMatch(c.message);
    });
  }
});

describe('parseSnapshotTexts: API server decoding', () => {
  it('a bare `-` rule (null) is stored as an empty rule, as the API server decodes it', () => {
    const s = parseSnapshotTexts([
      {
        name: 'np.yaml',
        text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  podSelector: {}\n  ingress:\n  -\n  - ports:\n    -\n',
      },
    ]);
    expect(s.networkPolicies[0].spec.ingress).toEqual([{}, { ports: [{}] }]);
    expect(s.loadFindings).toEqual([]);
  });
});
