/**
 * Deterministic generator of realistic clusters for benchmarks and tests: namespaces with team/env
 * labels, Deployments' pods with named ports spread over nodes, Services, and a mix of policies the
 * way teams write them (default-deny, allow-from-namespace, AND and OR peers, matchExpressions, ipBlocks
 * with except, port ranges, DNS egress) plus AdminNetworkPolicies and a BaselineAdminNetworkPolicy.
 *
 *   import { generateCluster, writeClusterJson } from './generate-cluster';
 *   generateCluster({ pods: 1000, policies: 200 })        // a kubectl List object
 *   await writeClusterJson(file, { pods: 10000, policies: 2000 })  // the same, streamed to a JSON file
 *
 * Same options → same output, byte for byte (seeded PRNG, no clock, no Math.random).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ClusterOptions {
  pods: number;
  /** total policy objects (NetworkPolicies + ANPs + BANP); default pods / 5 */
  policies?: number;
  seed?: number;
  /** pods per namespace (default 50) */
  podsPerNamespace?: number;
}

type Obj = Record<string, unknown>;

/** mulberry32: small, fast, good enough for picking labels. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = [
  'web',
  'api',
  'payments',
  'data',
  'search',
  'identity',
  'ml',
  'ops',
  'growth',
  'mobile',
  'billing',
  'ads',
];
const ENVS = ['prod', 'staging', 'dev'];
const APP_KINDS: Array<{
  suffix: string;
  tier: string;
  ports: Array<{ name: string; containerPort: number; protocol?: string }>;
}> = [
  {
    suffix: 'frontend',
    tier: 'frontend',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ],
  },
  {
    suffix: 'api',
    tier: 'backend',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'grpc', containerPort: 9000 },
      { name: 'metrics', containerPort: 9090 },
    ],
  },
  { suffix: 'worker', tier: 'backend', ports: [{ name: 'metrics', containerPort: 9090 }] },
  { suffix: 'cache', tier: 'cache', ports: [{ name: 'redis', containerPort: 6379 }] },
  {
    suffix: 'db',
    tier: 'db',
    ports: [
      { name: 'postgres', containerPort: 5432 },
      { name: 'metrics', containerPort: 9187 },
    ],
  },
];
const NS_NAME = 'kubernetes.io/metadata.name';

function hash(r: () => number, n = 10): string {
  const chars = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(r() * chars.length)];
  return s;
}

interface NsPlan {
  name: string;
  team: string;
  env: string;
  apps: Array<{ name: string; tier: string; replicas: number; ports: (typeof APP_KINDS)[number]['ports'] }>;
}

/** Every object of the cluster, in kubectl List order, generated lazily. */
export function* clusterItems(opts: ClusterOptions): Generator<Obj> {
  const r = prng(opts.seed ?? 42);
  const totalPods = opts.pods;
  const perNs = opts.podsPerNamespace ?? 50;
  const nsCount = Math.max(1, Math.ceil(totalPods / perNs));
  const policyBudget = opts.policies ?? Math.round(totalPods / 5);
  const nodeCount = Math.max(1, Math.ceil(totalPods / 100));

  // nodes: pod CIDR 10.A.B.0/24 per node
  const nodeCidr = (i: number) => `10.${1 + Math.floor(i / 256)}.${i % 256}`;
  for (let i = 0; i < nodeCount; i++) {
    yield {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `node-${i}`,
        labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` },
      },
      spec: { podCIDR: `${nodeCidr(i)}.0/24`, podCIDRs: [`${nodeCidr(i)}.0/24`] },
      status: {
        addresses: [
          { type: 'InternalIP', address: `192.168.${Math.floor(i / 250)}.${(i % 250) + 2}` },
          { type: 'Hostname', address: `node-${i}` },
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    };
  }

  // namespace plans: kube-system and monitoring first, then team namespaces
  const plans: NsPlan[] = [];
  plans.push({
    name: 'kube-system',
    team: 'platform',
    env: 'prod',
    apps: [
      {
        name: 'coredns',
        tier: 'dns',
        replicas: 2,
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53 },
        ],
      },
    ],
  });
  plans.push({
    name: 'monitoring',
    team: 'ops',
    env: 'prod',
    apps: [
      { name: 'prometheus', tier: 'monitoring', replicas: 2, ports: [{ name: 'web', containerPort: 9090 }] },
    ],
  });
  let remaining = totalPods - 4;
  for (let n = 0; n < nsCount && remaining > 0; n++) {
    const team = TEAMS[n % TEAMS.length];
    const env = ENVS[Math.floor(r() * ENVS.length)];
    const plan: NsPlan = { name: `${team}-${env}-${n}`, team, env, apps: [] };
    let budget = Math.min(perNs, remaining);
    remaining -= budget;
    let a = 0;
    while (budget > 0) {
      const kind = APP_KINDS[a % APP_KINDS.length];
      const replicas = Math.min(budget, 1 + Math.floor(r() * 12));
      plan.apps.push({
        name: `${team}-${kind.suffix}${a >= APP_KINDS.length ? `-${Math.floor(a / APP_KINDS.length)}` : ''}`,
        tier: kind.tier,
        replicas,
        ports: kind.ports,
      });
      budget -= replicas;
      a++;
    }
    plans.push(plan);
  }

  for (const p of plans)
    yield {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: p.name, labels: { [NS_NAME]: p.name, team: p.team, env: p.env } },
      status: { phase: 'Active' },
    };

  // pods, services and deployments
  let podIndex = 0;
  const workloads: Obj[] = [];
  for (const p of plans) {
    for (const app of p.apps) {
      const tmplHash = hash(r);
      const labels = { app: app.name, tier: app.tier, team: p.team, version: `v${1 + Math.floor(r() * 3)}` };
      const containers = [
        {
          name: app.name,
          image: `registry.example.com/${app.name}:1.${Math.floor(r() * 20)}`,
          ports: app.ports.map((x) => ({ ...x, protocol: x.protocol ?? 'TCP' })),
        },
      ];
      for (let k = 0; k < app.replicas; k++) {
        const node = podIndex % nodeCount;
        const slot = Math.floor(podIndex / nodeCount) + 2;
        podIndex++;
        const ip = `${nodeCidr(node)}.${slot}`;
        const running = r() > 0.003; // a few pending pods without an IP
        yield {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${app.name}-${tmplHash}-${hash(r, 5)}`,
            namespace: p.name,
            labels: { ...labels, 'pod-template-hash': tmplHash },
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: `${app.name}-${tmplHash}`,
                controller: true,
              },
            ],
          },
          spec: { nodeName: `node-${node}`, containers, serviceAccountName: app.name },
          status: running
            ? {
                phase: 'Running',
                podIP: ip,
                podIPs: [{ ip }],
                hostIP: `192.168.${Math.floor(node / 250)}.${(node % 250) + 2}`,
              }
            : { phase: 'Pending' },
        };
      }
      workloads.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: app.name, namespace: p.name, labels: { app: app.name } },
        spec: {
          selector: { app: app.name },
          clusterIP: `10.96.${Math.floor(workloads.length / 250) % 256}.${(workloads.length % 250) + 1}`,
          ports: app.ports.map((x) => ({
            name: x.name,
            port: x.containerPort === 8080 ? 80 : x.containerPort,
            targetPort: x.name,
            protocol: x.protocol ?? 'TCP',
          })),
        },
      });
      workloads.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app.name, namespace: p.name },
        spec: {
          replicas: app.replicas,
          selector: { matchLabels: { app: app.name } },
          template: { metadata: { labels }, spec: { containers } },
        },
        status: { replicas: app.replicas, readyReplicas: app.replicas },
      });
    }
  }
  yield* workloads;

  // ---------------------------------------------------------------- policies
  const anpCount = Math.max(1, Math.round(policyBudget / 100));
  let npBudget = policyBudget - anpCount - 1; // one BANP
  const teamPlans = plans.slice(2);
  const np = (ns: string, name: string, spec: Obj): Obj => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  });
  const policyMakers: Array<(p: NsPlan, i: number) => Obj> = [
    (p) => np(p.name, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
    (p, i) => {
      const app = p.apps[i % p.apps.length];
      const other = TEAMS[(TEAMS.indexOf(p.team) + 1 + i) % TEAMS.length];
      return np(p.name, `allow-${other}-to-${app.name}-${i}`, {
        podSelector: { matchLabels: { app: app.name } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { team: other } } }],
            ports: [{ protocol: 'TCP', port: 'http' }],
          },
        ],
      });
    },
    (p, i) => {
      const app = p.apps[i % p.apps.length];
      return np(p.name, `allow-frontend-and-${i}`, {
        podSelector: { matchLabels: { app: app.name } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { env: p.env } },
                podSelector: {
                  matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'backend'] }],
                },
              },
            ],
            ports: [
              { protocol: 'TCP', port: 8080 },
              { protocol: 'TCP', port: 9000, endPort: 9010 },
            ],
          },
        ],
      });
    },
    (p, i) =>
      np(p.name, `allow-monitoring-or-${i}`, {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cache'] }] },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { [NS_NAME]: 'monitoring' } } },
              { podSelector: { matchLabels: { tier: 'frontend' } } },
            ],
            ports: [{ port: 'metrics' }],
          },
        ],
      }),
    (p, i) =>
      np(p.name, `egress-lockdown-${i}`, {
        podSelector: { matchLabels: { tier: i % 2 ? 'backend' : 'db' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NS_NAME]: 'kube-system' } },
                podSelector: { matchLabels: { app: 'coredns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
          { to: [{ podSelector: {} }] },
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } }],
            ports: [{ protocol: 'TCP', port: 443 }],
          },
        ],
      }),
    (p, i) =>
      np(p.name, `allow-office-${i}`, {
        podSelector: { matchLabels: { tier: 'frontend' } },
        ingress: [
          {
            from: [
              { ipBlock: { cidr: `172.${16 + (i % 16)}.0.0/16`, except: [`172.${16 + (i % 16)}.13.0/24`] } },
            ],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      }),
    (p, i) => {
      const app = p.apps[(i + 1) % p.apps.length];
      return np(p.name, `allow-same-team-${i}`, {
        podSelector: { matchLabels: { app: app.name } },
        ingress: [{ from: [{ podSelector: { matchLabels: { team: p.team } } }] }],
      });
    },
  ];
  let round = 0;
  outer: while (npBudget > 0 && teamPlans.length) {
    for (const p of teamPlans) {
      if (npBudget <= 0) break outer;
      // round 0: a default deny in every namespace; later rounds: the other kinds, rotated per namespace
      const maker =
        policyMakers[round === 0 ? 0 : 1 + ((round + plans.indexOf(p)) % (policyMakers.length - 1))];
      yield maker(p, round);
      npBudget--;
    }
    round++;
  }
  for (let i = 0; i < anpCount; i++) {
    const env = ENVS[i % ENVS.length];
    const other = ENVS[(i + 1) % ENVS.length];
    const rules: Obj[] =
      i % 3 === 0
        ? [
            {
              name: 'monitoring-pass',
              action: 'Pass',
              from: [{ namespaces: { matchLabels: { [NS_NAME]: 'monitoring' } } }],
            },
            {
              name: `deny-from-${other}`,
              action: 'Deny',
              from: [{ namespaces: { matchLabels: { env: other } } }],
            },
          ]
        : i % 3 === 1
          ? [
              {
                name: 'allow-kube-system',
                action: 'Allow',
                from: [{ namespaces: { matchLabels: { [NS_NAME]: 'kube-system' } } }],
                ports: [{ portNumber: { protocol: 'TCP', port: 8080 } }],
              },
            ]
          : [
              {
                name: 'deny-db-from-frontends',
                action: 'Deny',
                from: [
                  { pods: { namespaceSelector: {}, podSelector: { matchLabels: { tier: 'frontend' } } } },
                ],
                ports: [{ portRange: { protocol: 'TCP', start: 5432, end: 5433 } }],
              },
            ];
    yield {
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: `cluster-guard-${i}` },
      spec: {
        priority: 10 + i * 5,
        subject:
          i % 2
            ? { namespaces: { matchLabels: { env } } }
            : {
                pods: {
                  namespaceSelector: { matchLabels: { env } },
                  podSelector: { matchLabels: { tier: 'db' } },
                },
              },
        ingress: rules,
      },
    };
  }
  yield {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: {
      subject: { namespaces: { matchLabels: { env: 'prod' } } },
      ingress: [
        {
          name: 'baseline-deny-dev',
          action: 'Deny',
          from: [{ namespaces: { matchLabels: { env: 'dev' } } }],
        },
      ],
    },
  };
}

/** The whole cluster as one kubectl `List` (what `kubectl get ... -o json` prints). */
export function generateCluster(opts: ClusterOptions): {
  apiVersion: 'v1';
  kind: 'List';
  metadata: { resourceVersion: string };
  items: Obj[];
} {
  return {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: '' },
    items: [...clusterItems(opts)],
  };
}

/** Streams the List as JSON (2-space indented like kubectl) to `path`; returns the number of objects. */
export async function writeClusterJson(
  path: string,
  opts: ClusterOptions,
): Promise<{ objects: number; pods: number; policies: number }> {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(
    '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "metadata": {\n    "resourceVersion": ""\n  },\n  "items": [\n',
  );
  let objects = 0;
  let pods = 0;
  let policies = 0;
  for (const item of clusterItems(opts)) {
    const kind = item.kind as string;
    if (kind === 'Pod') pods++;
    if (kind.endsWith('NetworkPolicy')) policies++;
    const text = JSON.stringify(item, null, 2).replace(/^/gm, '    ');
    await write(`${objects ? ',\n' : ''}${text}`);
    objects++;
  }
  await write('\n  ]\n}\n');
  out.end();
  await once(out, 'finish');
  return { objects, pods, policies };
}
