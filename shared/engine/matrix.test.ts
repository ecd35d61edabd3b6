/**
 * The matrix (bitsets over equivalence classes) must agree with the per-pair trace (direct evaluation)
 * on random clusters: two independent evaluation paths over the same compiled model.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type {
  AdminNetworkPolicyPeer,
  AdminNetworkPolicyPort,
  KubeObject,
  LabelSelector,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Pod,
  Protocol,
} from '../k8s/types';
import { parseIp } from '../snapshot/ip';
import { createEngine, type Engine } from './index';
import { ipv4Number } from './cluster';
import { anp, banp, cnp, node, np, ns, pod, snapshotFromObjects, snapshotFromYaml } from './testing/build';

const LABEL_KEYS = ['app', 'tier'];
const LABEL_VALUES = ['x', 'y', 'z'];

const labelsArb = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), {
  maxKeys: 2,
});

const selectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  labelsArb.map((l) => ({ matchLabels: l })),
  fc
    .record({
      key: fc.constantFrom(...LABEL_KEYS, 'team'),
      operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
      values: fc.subarray(LABEL_VALUES, { minLength: 1 }),
    })
    .map((e) => ({
      matchExpressions: [
        e.operator === 'Exists' || e.operator === 'DoesNotExist' ? { key: e.key, operator: e.operator } : e,
      ],
    })),
);

const nsSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('n1', 'n2', 'n3').map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
  fc.constantFrom('x', 'y').map((t) => ({ matchLabels: { team: t } })),
);

const cidrArb = fc.constantFrom(
  '10.0.0.0/8',
  '10.0.1.0/24',
  '10.0.2.0/25',
  '10.0.1.4/30',
  '192.168.1.10/32',
  '0.0.0.0/0',
  '203.0.113.0/24',
);
const exceptArb = fc.subarray(['10.0.1.0/28', '10.0.2.0/26', '192.168.1.0/24'], { maxLength: 2 });

const npPeerArb: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selectorArb.map((s) => ({ podSelector: s })),
  nsSelectorArb.map((s) => ({ namespaceSelector: s })),
  fc.record({ namespaceSelector: nsSelectorArb, podSelector: selectorArb }),
  fc.record({ cidr: cidrArb, except: exceptArb }).map(({ cidr, except }) => ({
    ipBlock: { cidr, except: except.filter((e) => e.startsWith(cidr.split('.')[0])) },
  })),
);

const protoArb = fc.constantFrom<Protocol>('TCP', 'UDP');
const npPortArb: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.constant({}),
  fc.record({ protocol: protoArb, port: fc.constantFrom<number | string>(80, 8080, 'http', 'metrics') }),
  fc.record({ port: fc.constant(79), endPort: fc.constantFrom(80, 8081) }),
  fc.record({ protocol: protoArb }),
);

const npRuleArb = fc.record(
  {
    peers: fc.option(fc.array(npPeerArb, { maxLength: 3 }), { nil: undefined }),
    ports: fc.option(fc.array(npPortArb, { maxLength: 2 }), { nil: undefined }),
  },
  { requiredKeys: [] },
);

const npArb = fc.record({
  ns: fc.constantFrom('n1', 'n2', 'n3'),
  podSelector: selectorArb,
  types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.option(fc.array(npRuleArb, { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(npRuleArb, { maxLength: 2 }), { nil: undefined }),
});

const anpPeerArb: fc.Arbitrary<AdminNetworkPolicyPeer> = fc.oneof(
  nsSelectorArb.map((s) => ({ namespaces: s })),
  fc.record({ namespaceSelector: nsSelectorArb, podSelector: selectorArb }).map((p) => ({ pods: p })),
  cidrArb.map((c) => ({ networks: [c] })),
  fc.constantFrom('z1', 'z2').map((z) => ({ nodes: { matchLabels: { zone: z } } })),
  fc.constant({}),
);
const anpPortArb: fc.Arbitrary<AdminNetworkPolicyPort> = fc.oneof(
  fc.record({ portNumber: fc.record({ protocol: protoArb, port: fc.constantFrom(80, 8080) }) }),
  fc.record({
    portRange: fc.record({ protocol: protoArb, start: fc.constant(79), end: fc.constantFrom(80, 9000) }),
  }),
  fc.record({ namedPort: fc.constantFrom('http', 'metrics') }),
);
const anpRuleArb = fc.record({
  action: fc.constantFrom<'Allow' | 'Deny' | 'Pass'>('Allow', 'Deny', 'Pass'),
  peers: fc.array(anpPeerArb, { minLength: 1, maxLength: 2 }),
  ports: fc.option(fc.array(anpPortArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
});
const subjectArb = fc.oneof(
  nsSelectorArb.map((s) => ({ namespaces: s })),
  fc.record({ namespaceSelector: nsSelectorArb, podSelector: selectorArb }).map((p) => ({ pods: p })),
);
const adminArb = fc.record({
  kind: fc.constantFrom('ANP', 'BANP', 'CNP-Admin', 'CNP-Baseline'),
  priority: fc.constantFrom(1, 2),
  subject: subjectArb,
  ingress: fc.array(anpRuleArb, { maxLength: 2 }),
  egress: fc.array(anpRuleArb, { maxLength: 2 }),
});

const podArb = fc.record({
  ns: fc.constantFrom('n1', 'n2', 'n3'),
  labels: labelsArb,
  // a label no selector looks at: must not change any verdict
  hash: fc.constantFrom('h1', 'h2', 'h3'),
  node: fc.constantFrom('node-a', 'node-b'),
  hostNetwork: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
  ports: fc.subarray([
    { name: 'http', port: 80 },
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 8080 },
    { name: 'metrics', port: 80, protocol: 'UDP' as const },
  ]),
});

const clusterArb = fc.record({
  nsTeams: fc.tuple(fc.constantFrom('x', 'y'), fc.constantFrom('x', 'y'), fc.constantFrom('x', 'y')),
  pods: fc.array(podArb, { minLength: 1, maxLength: 7 }),
  nps: fc.array(npArb, { maxLength: 4 }),
  admin: fc.array(adminArb, { maxLength: 3 }),
  port: fc.constantFrom<number | string>(80, 8080, 'http', 'metrics'),
  protocol: protoArb,
  ipBlockMatchesPodIPs: fc.boolean(),
});

type ClusterSpec = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: ClusterSpec): KubeObject[] {
  const objs: KubeObject[] = [
    ns('n1', { team: spec.nsTeams[0] }),
    ns('n2', { team: spec.nsTeams[1] }),
    ns('n3', { team: spec.nsTeams[2] }),
    node('node-a', '192.168.1.10', { zone: 'z1' }),
    node('node-b', '192.168.1.11', { zone: 'z2' }),
  ];
  spec.pods.forEach((p, i) => {
    // pod IPs: node-a pods in 10.0.1.0/24, node-b pods in 10.0.2.0/24; host-network pods take the node IP
    const ip = p.hostNetwork
      ? p.node === 'node-a'
        ? '192.168.1.10'
        : '192.168.1.11'
      : p.node === 'node-a'
        ? `10.0.1.${i + 1}`
        : `10.0.2.${i + 1}`;
    const ports = p.ports.filter(
      (x, k, a) =>
        a.findIndex((y) => y.name === x.name && (y.protocol ?? 'TCP') === (x.protocol ?? 'TCP')) === k,
    );
    objs.push(
      pod(p.ns, `p${i}`, {
        labels: { ...p.labels, 'pod-template-hash': p.hash },
        ip,
        node: p.node,
        hostNetwork: p.hostNetwork,
        ports,
      }),
    );
  });
  spec.nps.forEach((n, i) => {
    objs.push(
      np(n.ns, `np${i}`, {
        podSelector: n.podSelector,
        ...(n.types ? { policyTypes: [...n.types] } : {}),
        ...(n.ingress
          ? {
              ingress: n.ingress.map((r) => ({
                ...(r.peers ? { from: r.peers } : {}),
                ...(r.ports ? { ports: r.ports } : {}),
              })),
            }
          : {}),
        ...(n.egress
          ? {
              egress: n.egress.map((r) => ({
                ...(r.peers ? { to: r.peers } : {}),
                ...(r.ports ? { ports: r.ports } : {}),
              })),
            }
          : {}),
      }),
    );
  });
  spec.admin.forEach((a, i) => {
    const anpRules = (rules: typeof a.ingress, dir: 'from' | 'to', banpMode: boolean) =>
      rules.map((r) => ({
        action: banpMode && r.action === 'Pass' ? ('Deny' as const) : r.action,
        [dir]:
          dir === 'from'
            ? r.peers.map((p) => ({
                ...(p.namespaces ? { namespaces: p.namespaces } : {}),
                ...(p.pods ? { pods: p.pods } : {}),
              }))
            : r.peers,
        ...(r.ports ? { ports: r.ports } : {}),
      }));
    if (a.kind === 'ANP')
      objs.push(
        anp(`anp${i}`, a.priority, a.subject, {
          ingress: anpRules(a.ingress, 'from', false),
          egress: anpRules(a.egress, 'to', false),
        }),
      );
    else if (a.kind === 'BANP') {
      if (!objs.some((o) => o.kind === 'BaselineAdminNetworkPolicy'))
        objs.push(
          banp(a.subject, {
            ingress: anpRules(a.ingress, 'from', true),
            egress: anpRules(a.egress, 'to', true),
          }),
        );
    } else {
      const cnpRules = (rules: typeof a.ingress, dir: 'from' | 'to') =>
        anpRules(rules, dir, false).map((r) => {
          const { ports, ...rest } = r as { ports?: AdminNetworkPolicyPort[] } & Record<string, unknown>;
          return {
            ...rest,
            action: r.action === 'Allow' ? 'Accept' : r.action,
            ...(ports
              ? {
                  protocols: ports.map((p) =>
                    p.namedPort
                      ? { destinationNamedPort: p.namedPort }
                      : p.portNumber
                        ? {
                            [p.portNumber.protocol === 'UDP' ? 'udp' : 'tcp']: {
                              destinationPort: { number: p.portNumber.port },
                            },
                          }
                        : {
                            [p.portRange!.protocol === 'UDP' ? 'udp' : 'tcp']: {
                              destinationPort: {
                                range: { start: p.portRange!.start, end: p.portRange!.end },
                              },
                            },
                          },
                  ),
                }
              : {}),
          };
        });
      objs.push(
        cnp(`cnp${i}`, a.kind === 'CNP-Admin' ? 'Admin' : 'Baseline', a.priority, a.subject, {
          ingress: cnpRules(a.ingress, 'from') as never,
          egress: cnpRules(a.egress, 'to') as never,
        }),
      );
    }
  });
  return objs;
}

/** Every pod pair of the matrix against the trace of the same pair; class pairs against pod pairs. */
function expectMatrixAgreesWithTrace(engine: Engine, spec: ClusterSpec, context: unknown): void {
  const m = engine.matrix({ port: spec.port, protocol: spec.protocol });
  for (let i = 0; i < m.pods.length; i++) {
    for (let j = 0; j < m.pods.length; j++) {
      // a pod listed twice: a trace names both entries the same way (and takes them as one pod)
      if (i !== j && m.pods[i] === m.pods[j]) continue;
      const t = engine.trace({
        from: m.pods[i],
        to: m.pods[j],
        port: spec.port,
        protocol: spec.protocol,
      });
      if ((t.verdict === 'allowed') !== m.allowed(i, j)) {
        throw new Error(
          `${m.pods[i]} -> ${m.pods[j]}: trace ${t.verdict}, matrix ${m.allowed(i, j)}\n${JSON.stringify(context)}`,
        );
      }
    }
  }
  // class pairs and the per-pod view agree for distinct pods
  const pairs = new Set(m.allowedClassPairs().map(([a, b]) => `${a},${b}`));
  for (let i = 0; i < m.pods.length; i++)
    for (let j = 0; j < m.pods.length; j++)
      if (i !== j) expect(pairs.has(`${m.classOf[i]},${m.classOf[j]}`)).toBe(m.allowed(i, j));
}

// ipBlocks whose cidr and except entries mix address families (or cannot be read)
const mixedBlockArb = fc.constantFrom<{ cidr: string; except: string[] }>(
  { cidr: '10.0.0.0/8', except: ['fd00::/120'] },
  { cidr: '10.0.0.0/8', except: ['fd00::/120', '10.0.2.0/24'] },
  { cidr: 'fd00::/64', except: ['10.0.1.0/24'] },
  { cidr: 'fd00::/64', except: ['fd00::2/127'] },
  { cidr: '0.0.0.0/0', except: ['010.0.0.0/8'] },
);

describe('matrix agrees with per-pair trace', () => {
  it('on random clusters (NetworkPolicy, ANP, BANP, CNP; named ports; ipBlocks; host-network pods)', () => {
    fc.assert(
      fc.property(clusterArb, (spec) => {
        const engine = createEngine(snapshotFromObjects(build(spec)), {
          ipBlockMatchesPodIPs: spec.ipBlockMatchesPodIPs,
        });
        expectMatrixAgreesWithTrace(engine, spec, spec);
      }),
      { numRuns: 300 },
    );
  });

  it('on pods with IPv6, unreadable or shared addresses, pods listed twice, and ipBlocks mixing families', () => {
    fc.assert(
      fc.property(
        clusterArb,
        fc.array(fc.constantFrom('v4', 'v6', 'unreadable', 'twice'), { minLength: 7, maxLength: 7 }),
        mixedBlockArb,
        (spec, addressing, block) => {
          const objs = build(spec);
          const pods = objs.filter((o): o is Pod => o.kind === 'Pod');
          pods.forEach((p, i) => {
            if (p.spec?.hostNetwork) return;
            const how = addressing[i];
            if (how === 'v6') p.status = { ...p.status, podIP: `fd00::${i + 1}` };
            else if (how === 'unreadable') p.status = { ...p.status, podIP: `010.0.1.${i + 1}` };
            else if (how === 'twice')
              // the same ns/name again, with other labels and address (two files listing one pod)
              objs.push({
                ...p,
                metadata: { ...p.metadata, labels: { app: 'z' } },
                status: { ...p.status, podIP: `10.0.3.${i + 1}` },
              } as Pod);
          });
          objs.push(
            np('n1', 'mixed-families', {
              podSelector: {},
              policyTypes: ['Ingress', 'Egress'],
              ingress: [{ from: [{ ipBlock: block }] }],
              egress: [{ to: [{ ipBlock: block }] }],
            }),
          );
          const engine = createEngine(snapshotFromObjects(objs), {
            ipBlockMatchesPodIPs: spec.ipBlockMatchesPodIPs,
          });
          expectMatrixAgreesWithTrace(engine, spec, { spec, addressing, block });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps an IPv4 ipBlock working when its except lists an IPv6 range', () => {
    const objs = [ns('n1'), node('node-a', '192.168.1.10')];
    objs.push(pod('n1', 'inside', { labels: { app: 'web' }, ip: '10.0.1.1' }));
    objs.push(pod('n1', 'outside', { labels: { app: 'web' }, ip: '172.16.0.1' }));
    objs.push(
      np('n1', 'p', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['fd00::/8'] } }] }],
      }),
    );
    const m = createEngine(snapshotFromObjects(objs)).matrix({ port: 80 });
    expect(m.pods).toEqual(['n1/inside', 'n1/outside']);
    expect(m.allowed(0, 1)).toBe(true);
    expect(m.allowed(1, 0)).toBe(false);
  });

  it('groups identical pods into one class', () => {
    const objs = [ns('n1'), node('node-a', '192.168.1.10')];
    for (let i = 0; i < 20; i++)
      objs.push(pod('n1', `web-${i}`, { labels: { app: 'web' }, ip: `10.0.1.${i + 1}` }));
    objs.push(pod('n1', 'db', { labels: { app: 'db' }, ip: '10.0.1.100' }));
    objs.push(
      np('n1', 'p', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      }),
    );
    const m = createEngine(snapshotFromObjects(objs)).matrix({ port: 5432 });
    expect(m.classCount).toBe(2);
    expect(m.pods.length).toBe(21);
  });

  it('splits classes by ipBlock membership when an ipBlock can match pod IPs', () => {
    const objs = [ns('n1'), node('node-a', '192.168.1.10')];
    for (let i = 0; i < 4; i++)
      objs.push(pod('n1', `web-${i}`, { labels: { app: 'web' }, ip: `10.0.1.${i + 1}` }));
    objs.push(
      np('n1', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.0/31' } }] }] }),
    );
    const snap = snapshotFromObjects(objs);
    const m = createEngine(snap).matrix({ port: 80 });
    expect(m.classCount).toBe(2);
    // 10.0.1.1 (web-0) is in 10.0.1.0/31, 10.0.1.2 (web-1) is not
    expect(m.allowed(0, 1)).toBe(true);
    expect(m.allowed(1, 0)).toBe(false);
    const cilium = createEngine(snap, { ipBlockMatchesPodIPs: false }).matrix({ port: 80 });
    expect(cilium.classCount).toBe(1);
    expect(cilium.allowed(0, 1)).toBe(false);
  });

  it('lists pods without an IP as skipped', () => {
    const objs = [ns('n1'), pod('n1', 'pending', {}), pod('n1', 'running', { ip: '10.0.1.1' })];
    const m = createEngine(snapshotFromObjects(objs)).matrix({ port: 80 });
    expect(m.pods).toEqual(['n1/running']);
    expect(m.skipped).toEqual(['n1/pending']);
  });
});

describe('matrix on the demo snapshot', () => {
  const text = readFileSync(
    fileURLToPath(new URL('../../assets/demo/cluster.yaml', import.meta.url)),
    'utf8',
  );
  const engine = createEngine(snapshotFromYaml(text));
  it('matches the four classic failures', () => {
    const idx = (k: string, m: { pods: string[] }) => {
      const i = m.pods.indexOf(k);
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    const m8080 = engine.matrix({ port: 8080 });
    expect(
      m8080.allowed(idx('frontend/web-7d9f8b6c5-x2k4p', m8080), idx('backend/api-5c6d7f8b9-abcde', m8080)),
    ).toBe(false);
    expect(
      m8080.allowed(
        idx('payments/payments-6b7c8d9e5-klmno', m8080),
        idx('backend/api-5c6d7f8b9-abcde', m8080),
      ),
    ).toBe(true);
    const m53 = engine.matrix({ port: 53, protocol: 'UDP' });
    expect(
      m53.allowed(
        idx('payments/payments-6b7c8d9e5-klmno', m53),
        idx('kube-system/coredns-5d78c9869d-7xk2m', m53),
      ),
    ).toBe(false);
    const m9187 = engine.matrix({ port: 9187 });
    expect(
      m9187.allowed(idx('monitoring/grafana-6f7d8c9b4-rstuv', m9187), idx('data/postgres-0', m9187)),
    ).toBe(true);
    const m6379 = engine.matrix({ port: 6379 });
    expect(
      m6379.allowed(idx('backend/api-5c6d7f8b9-abcde', m6379), idx('backend/redis-cache-0', m6379)),
    ).toBe(false);
  });
});

describe('ipv4Number', () => {
  const octet = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map(String),
    fc.constantFrom('256', '999', '00', '01', '007', '0', '1000', ''),
  );
  const textArb = fc.oneof(
    fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.')),
    fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', ':', 'a', ' ', '/'), maxLength: 18 }),
  );
  it('reads exactly the IPv4 addresses parseIp reads, to the same value', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const ip = parseIp(text);
        expect(ipv4Number(text)).toBe(ip?.family === 4 ? Number(ip.value) : undefined);
      }),
      { numRuns: 2000 },
    );
    expect(ipv4Number('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(ipv4Number('10.0.1.07')).toBeUndefined();
  });
});
