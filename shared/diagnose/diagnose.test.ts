import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createEngine } from '../engine';
import { parseSnapshotTexts } from '../snapshot/parse';
import type { Snapshot } from '../snapshot/types';
import {
  applyFix,
  diagnose,
  diagnoseToJson,
  diagnosisToText,
  FixApplyError,
  type Diagnosis,
  type Question,
} from './index';

const demoText = readFileSync(
  fileURLToPath(new URL('../../assets/demo/cluster.yaml', import.meta.url)),
  'utf8',
);
const demo = (): Snapshot => parseSnapshotTexts([{ name: 'cluster.yaml', text: demoText }]);

function verdictAfter(snapshot: Snapshot, q: Question): string {
  return createEngine(snapshot).trace(q).verdict;
}

function step(d: Diagnosis, id: string) {
  const s = d.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
}

describe('diagnose on the demo snapshot: the four classic failures', () => {
  const snapshot = demo();
  const engine = createEngine(snapshot);

  it('(a) name: vs kubernetes.io/metadata.name — namespace step fails, labelling the namespace fixes it', () => {
    const q: Question = {
      from: 'frontend/web-7d9f8b6c5-x2k4p',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 8080,
    };
    const d = diagnose(engine, q);
    expect(d.verdict).toBe('denied');
    expect(d.cause).toBe('namespace');
    expect(step(d, 'labels').status).toBe('pass');
    const ns = step(d, 'namespace');
    expect(ns.status).toBe('fail');
    // evidence: the namespace's actual labels against the selector, with the missing key highlighted
    const ev = ns.evidence.find((e) => e.comparison?.selector === 'name=frontend');
    expect(ev?.state).toBe('bad');
    expect(ev?.highlight).toBe('name');
    expect(ev?.comparison?.labels['kubernetes.io/metadata.name']).toBe('frontend');
    const label = ns.findings.find((f) => f.fix?.kind === 'command');
    expect(label?.fix?.command).toBe('kubectl label namespace frontend name=frontend');
    expect(verdictAfter(applyFix(snapshot, label!.fix!), q)).toBe('allowed');
    // the alternative: a patch of the policy, shown as a diff
    const patch = ns.findings.find((f) => f.fix?.kind === 'patch')!.fix!;
    expect(patch.patch?.before).toContain('name: frontend');
    expect(patch.patch?.after).toContain('kubernetes.io/metadata.name: frontend');
    expect(patch.diff).toMatch(/^-\s+name: frontend$/m);
    expect(patch.diff).toMatch(/^\+\s+kubernetes\.io\/metadata\.name: frontend$/m);
    expect(verdictAfter(applyFix(snapshot, patch), q)).toBe('allowed');
    // the original snapshot is untouched
    expect(verdictAfter(snapshot, q)).toBe('denied');
  });

  it('(b) default-deny egress without DNS — syntax step fails, the allow-DNS policy fixes it', () => {
    const q: Question = {
      from: 'payments/payments-6b7c8d9e5-klmno',
      to: 'kube-system/coredns-5d78c9869d-7xk2m',
      port: 53,
      protocol: 'UDP',
    };
    const d = diagnose(engine, q);
    expect(d.verdict).toBe('denied');
    expect(d.cause).toBe('syntax');
    const f = step(d, 'syntax').findings.find((x) => x.code === 'missing-dns-egress')!;
    expect(f.severity).toBe('error');
    expect(f.fix?.kind).toBe('new-object');
    const policy = parseYaml(f.fix!.yaml!) as {
      kind: string;
      metadata: { namespace: string };
      spec: { policyTypes: string[] };
    };
    expect(policy.kind).toBe('NetworkPolicy');
    expect(policy.metadata.namespace).toBe('payments');
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    const fixed = applyFix(snapshot, f.fix!);
    expect(verdictAfter(fixed, q)).toBe('allowed');
    expect(verdictAfter(fixed, { ...q, port: 53, protocol: 'TCP' })).toBe('allowed');
    // the fix allows DNS only: payments still cannot reach postgres
    expect(verdictAfter(fixed, { from: q.from, to: 'data/postgres-0', port: 5432 })).toBe('denied');
  });

  it('(c) OR instead of AND peers — allowed, syntax step fails, the AND rewrite denies grafana but keeps prometheus', () => {
    const q: Question = { from: 'monitoring/grafana-6f7d8c9b4-rstuv', to: 'data/postgres-0', port: 9187 };
    const d = diagnose(engine, q);
    expect(d.verdict).toBe('allowed');
    expect(d.cause).toBe('syntax');
    const f = step(d, 'syntax').findings.find((x) => x.code === 'or-peers')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('data/allow-monitoring-scrape');
    expect(f.fix?.kind).toBe('patch');
    const after = parseYaml(f.fix!.patch!.after) as { spec: { ingress: { from: object[] }[] } };
    expect(after.spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { purpose: 'monitoring' } },
        podSelector: { matchLabels: { app: 'prometheus' } },
      },
    ]);
    const fixed = applyFix(snapshot, f.fix!);
    expect(verdictAfter(fixed, q)).toBe('denied');
    expect(verdictAfter(fixed, { from: 'monitoring/prometheus-0', to: 'data/postgres-0', port: 9187 })).toBe(
      'allowed',
    );
  });

  it('(d) typo in the podSelector — labels step fails with the differing value highlighted, the fixed selector allows', () => {
    const q: Question = { from: 'backend/api-5c6d7f8b9-abcde', to: 'backend/redis-cache-0', port: 6379 };
    const d = diagnose(engine, q);
    expect(d.verdict).toBe('denied');
    expect(d.cause).toBe('labels');
    const labels = step(d, 'labels');
    expect(labels.status).toBe('fail');
    const ev = labels.evidence.find((e) => e.comparison?.selector === 'app=redis-cahce');
    expect(ev?.state).toBe('bad');
    expect(ev?.highlight).toBe('app=redis-cache');
    expect(ev?.comparison?.differences[0]).toMatchObject({
      key: 'app',
      expected: 'redis-cahce',
      actual: 'redis-cache',
    });
    const fix = labels.findings.find((f) => f.code === 'selector-typo')!.fix!;
    expect(fix.diff).toMatch(/^-\s+app: redis-cahce$/m);
    expect(fix.diff).toMatch(/^\+\s+app: redis-cache$/m);
    expect(verdictAfter(applyFix(snapshot, fix), q)).toBe('allowed');
  });

  it('working paths pass every step, and the CNI step reports Cilium and the agents on both nodes', () => {
    const d = diagnose(engine, { from: 'backend/api-5c6d7f8b9-abcde', to: 'data/postgres-0', port: 5432 });
    expect(d.verdict).toBe('allowed');
    expect(d.cause).toBeUndefined();
    for (const id of ['labels', 'namespace', 'syntax', 'cni']) expect(step(d, id).status).toBe('pass');
    const cni = step(d, 'cni');
    expect(cni.evidence.find((e) => e.label === 'CNI')?.value).toMatch(/^cilium/);
    expect(cni.evidence.filter((e) => e.label.startsWith('Agent on')).map((e) => e.label)).toEqual([
      'Agent on node-a (backend/api-5c6d7f8b9-abcde)',
      'Agent on node-b (data/postgres-0)',
    ]);
  });

  it("a not-ready agent on a pod's node fails the CNI step", () => {
    const s = demo();
    const d0 = diagnose(createEngine(s), {
      from: 'backend/api-5c6d7f8b9-abcde',
      to: 'data/postgres-0',
      port: 5432,
    });
    const cni = structuredClone(d0.cni!);
    cni.nodes = cni.nodes.map((n) =>
      n.node === 'node-b' ? { ...n, ready: false, reason: 'CrashLoopBackOff' } : n,
    );
    const d = diagnose(
      createEngine(s),
      { from: 'backend/api-5c6d7f8b9-abcde', to: 'data/postgres-0', port: 5432 },
      { cni },
    );
    expect(step(d, 'cni').status).toBe('fail');
    expect(step(d, 'cni').summary).toContain('node-b');
  });

  it('JSON output has the documented shape and the text output shows every step and the verdict', () => {
    const d = diagnose(engine, {
      from: 'frontend/web-7d9f8b6c5-x2k4p',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 8080,
    });
    const j = JSON.parse(JSON.stringify(diagnoseToJson(d))) as ReturnType<typeof diagnoseToJson>;
    expect(j.verdict).toBe('denied');
    expect(j.steps.map((s) => s.id)).toEqual(['labels', 'namespace', 'syntax', 'cni']);
    expect(j.steps[1].findings[0].fix?.command).toBe('kubectl label namespace frontend name=frontend');
    expect(j.trace.verdict).toBe('denied');
    const text = diagnosisToText(d);
    expect(text).toMatch(/^✘ Namespace/m);
    expect(text).toMatch(/^✔ Labels/m);
    expect(text).toContain('Verdict: DENIED');
  });
});

describe('diagnose on other mistakes', () => {
  const base = `
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}}
- {apiVersion: v1, kind: Namespace, metadata: {name: tools, labels: {kubernetes.io/metadata.name: tools}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: shop, labels: {app: web}}
  spec: {nodeName: n1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
  status: {podIP: 10.1.0.5}
- apiVersion: v1
  kind: Pod
  metadata: {name: client, namespace: tools, labels: {app: client}}
  spec: {nodeName: n1, containers: [{name: c}]}
  status: {podIP: 10.1.0.9}
`;
  const snap = (extra: string) => parseSnapshotTexts([{ name: 'x.yaml', text: base + extra }]);
  const q: Question = { from: 'tools/client', to: 'shop/web', port: 8080 };

  it('a podSelector-only peer for a pod in another namespace → namespace step fails, adding a namespaceSelector fixes it', () => {
    const s = snap(`
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: allow-client, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: web}}
    ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
`);
    const d = diagnose(createEngine(s), q);
    expect(d.verdict).toBe('denied');
    expect(d.cause).toBe('namespace');
    const f = step(d, 'namespace').findings.find((x) => x.code === 'pod-selector-own-namespace')!;
    expect(verdictAfter(applyFix(s, f.fix!), q)).toBe('allowed');
  });

  it("a policy created in the wrong namespace → namespace step fails, creating it in the pod's namespace fixes it", () => {
    const s = snap(`
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny-all, namespace: shop}
  spec: {podSelector: {}, policyTypes: [Ingress]}
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: allow-web, namespace: tools}
  spec:
    podSelector: {matchLabels: {app: web}}
    ingress: [{from: [{namespaceSelector: {}}]}]
`);
    const d = diagnose(createEngine(s), q);
    expect(d.verdict).toBe('denied');
    const f = step(d, 'namespace').findings.find((x) => x.code === 'policy-in-other-namespace')!;
    expect(f.severity).toBe('error');
    expect(verdictAfter(applyFix(s, f.fix!), q)).toBe('allowed');
  });

  it('a named port the destination does not expose → syntax step fails, the numeric port fixes it', () => {
    const s = snap(`
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: allow-client, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: web}}
    ingress: [{from: [{namespaceSelector: {}}], ports: [{port: web-http}]}]
`);
    const d = diagnose(createEngine(s), q);
    expect(d.verdict).toBe('denied');
    const f = step(d, 'syntax').findings.find((x) => x.code === 'named-port')!;
    expect(f.severity).toBe('error');
    expect(verdictAfter(applyFix(s, f.fix!), q)).toBe('allowed');
  });

  it('egress rules ignored because policyTypes lacks Egress → syntax step flags it', () => {
    const s = snap(`
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: client-egress, namespace: tools}
  spec:
    podSelector: {matchLabels: {app: client}}
    policyTypes: [Ingress]
    egress: [{to: [{namespaceSelector: {}}]}]
`);
    const d = diagnose(createEngine(s), q);
    expect(step(d, 'syntax').findings.some((x) => x.code === 'policy-types')).toBe(true);
  });

  it('a denied connection with no mistake found gets an exact allow policy in the verdict step', () => {
    const s = snap(`
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny-all, namespace: shop}
  spec: {podSelector: {}, policyTypes: [Ingress]}
`);
    const d = diagnose(createEngine(s), q);
    expect(d.verdict).toBe('denied');
    expect(d.cause).toBeUndefined();
    const fix = step(d, 'verdict').findings.find((f) => f.code === 'allow-connection')!.fix!;
    expect(verdictAfter(applyFix(s, fix), q)).toBe('allowed');
    // and only that connection
    expect(verdictAfter(applyFix(s, fix), { ...q, port: 9090 })).toBe('denied');
  });

  it("an AdminNetworkPolicy Deny: the engine's selector checks are the evidence, and no NetworkPolicy fix is offered", () => {
    const s = snap(`
- apiVersion: policy.networking.k8s.io/v1alpha1
  kind: AdminNetworkPolicy
  metadata: {name: deny-tools}
  spec:
    priority: 10
    subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
    ingress:
    - name: no-tools
      action: Deny
      from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: tools}}}]
`);
    const d = diagnose(createEngine(s), q);
    expect(d.verdict).toBe('denied');
    const ev = step(d, 'namespace').evidence.find(
      (e) => e.policy?.kind === 'AdminNetworkPolicy' && e.label.includes('rule 1'),
    );
    expect(ev?.comparison).toMatchObject({ targetName: 'tools', matched: true });
    const verdict = step(d, 'verdict');
    expect(verdict.findings.some((f) => f.code === 'admin-deny')).toBe(true);
    expect(verdict.findings.some((f) => f.code === 'allow-connection')).toBe(false);
  });

  it('applyFix rejects what it cannot apply, with a clear message', () => {
    const s = snap('');
    expect(() => applyFix(s, { description: 'x', command: 'kubectl delete ns shop' })).toThrow(FixApplyError);
    expect(() => applyFix(s, { description: 'x', command: 'kubectl label namespace nope a=b' })).toThrow(
      /not in the snapshot/,
    );
    expect(() =>
      applyFix(s, { description: 'x', command: 'kubectl label pod web -n shop app=other' }),
    ).toThrow(/--overwrite/);
    const relabelled = applyFix(s, {
      description: 'x',
      command: 'kubectl label pod web -n shop app=other --overwrite',
    });
    expect(relabelled.pods.find((p) => p.metadata.name === 'web')?.metadata.labels?.app).toBe('other');
    expect(s.pods.find((p) => p.metadata.name === 'web')?.metadata.labels?.app).toBe('web');
  });
});
