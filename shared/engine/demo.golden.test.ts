/**
 * Golden tests on the demo snapshot (assets/demo/cluster.yaml): the four classic failures must be
 * explained the way a user can act on — verdict, deciding policies, key mismatch, near miss and fix.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSnapshotTexts } from '../snapshot/parse';
import { createEngine, renderTraceText } from './index';

const path = fileURLToPath(new URL('../../assets/demo/cluster.yaml', import.meta.url));
const snapshot = parseSnapshotTexts([{ name: 'cluster.yaml', text: readFileSync(path, 'utf8') }]);
const engine = createEngine(snapshot);
/** the demo snapshot with one more document (a patched or new object replaces/joins the originals) */
const withPatch = (yamlText: string) =>
  createEngine(
    parseSnapshotTexts([
      { name: 'cluster.yaml', text: readFileSync(path, 'utf8') },
      { name: 'fix.yaml', text: yamlText },
    ]),
  );
const names = (refs: { namespace?: string; name: string }[]) =>
  refs.map((r) => `${r.namespace}/${r.name}`).sort();

describe('demo snapshot: the four classic failures', () => {
  it('states the Cilium ipBlock assumption', () => {
    const t = engine.trace({
      from: 'frontend/web-7d9f8b6c5-x2k4p',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 8080,
    });
    expect(t.assumptions[0]).toMatch(/NOT to match pod/);
    expect(t.assumptions[0]).toMatch(/cilium/);
  });

  it('(a) frontend/web → backend/api :8080 is denied: namespace selected by `name`, which frontend lacks', () => {
    const t = engine.trace({
      from: 'frontend/web-7d9f8b6c5-x2k4p',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 8080,
      protocol: 'TCP',
    });
    expect(t.verdict).toBe('denied');
    expect(t.egress.decision).toBe('allow');
    expect(t.ingress).toMatchObject({ decision: 'deny', isolated: true, tier: 'networkpolicy' });
    expect(names(t.ingress.isolatedBy)).toContain('backend/allow-from-frontend');
    expect(names(t.ingress.isolatedBy)).toContain('backend/default-deny-ingress');
    expect(names(t.decidedBy)).toContain('backend/allow-from-frontend');
    // key mismatch
    const pol = t.ingress.policies.find((p) => p.policy.name === 'allow-from-frontend')!;
    const mm = pol.rules[0].peers[0].mismatches[0];
    expect(mm).toMatchObject({
      code: 'namespace-label-missing',
      key: 'name',
      expected: 'frontend',
      targetName: 'frontend',
    });
    expect(pol.rules[0].portMatched).toBe(true);
    expect(t.explanation).toContain(
      'Ingress to backend/api-5c6d7f8b9-abcde is denied: it is isolated by backend/allow-from-frontend, backend/allow-payments-to-api, backend/allow-prometheus-scrape, backend/default-deny-ingress, and no rule admits frontend/web-7d9f8b6c5-x2k4p on 8080/TCP.',
    );
    expect(t.explanation).toContain(
      "backend/allow-from-frontend's peer 1 needs namespace label name=frontend; namespace frontend has no label `name` (it has kubernetes.io/metadata.name=frontend).",
    );
    // near miss + fix
    const nm = t.nearMisses.find((n) => n.code === 'namespace-name-label')!;
    expect(nm.policy).toMatchObject({ namespace: 'backend', name: 'allow-from-frontend' });
    expect(nm.fix?.command).toBe('kubectl label namespace frontend name=frontend');
    expect(nm.fix?.patch?.before).toMatch(/name: frontend/);
    expect(nm.fix?.patch?.after).toMatch(/kubernetes\.io\/metadata\.name: frontend/);
    expect(nm.fix?.patch?.after).not.toMatch(/^\s+name: frontend$/m);
    expect(renderTraceText(t)).toMatch(/kubectl label namespace frontend name=frontend/);
    // applying the patch makes the flow pass
    expect(
      withPatch(nm.fix!.patch!.after).trace({
        from: 'frontend/web-7d9f8b6c5-x2k4p',
        to: 'backend/api-5c6d7f8b9-abcde',
        port: 8080,
      }).verdict,
    ).toBe('allowed');
  });

  it('(b) payments → coredns :53/UDP is denied by egress isolation with no DNS allowance', () => {
    const t = engine.trace({
      from: 'payments/payments-6b7c8d9e5-klmno',
      to: 'kube-system/coredns-5d78c9869d-7xk2m',
      port: 53,
      protocol: 'UDP',
    });
    expect(t.verdict).toBe('denied');
    expect(t.egress).toMatchObject({ decision: 'deny', isolated: true, tier: 'networkpolicy' });
    expect(t.ingress.decision).toBe('allow');
    expect(names(t.decidedBy)).toEqual(['payments/allow-egress-to-api', 'payments/default-deny-egress']);
    // the only rule allows TCP 8080 to backend/api
    const rule = t.egress.policies.find((p) => p.policy.name === 'allow-egress-to-api')!.rules[0];
    expect(rule.ports[0].mismatch?.code).toBe('protocol-differs');
    expect(t.explanation.join(' ')).toMatch(/payments\/default-deny-egress has no egress rules/);
    expect(t.explanation.join(' ')).toMatch(/DNS is blocked/);
    // fix: an egress policy that allows DNS to kube-dns on 53/UDP and 53/TCP
    const fix = t.suggestedFixes?.[0];
    expect(fix?.yaml).toMatch(/k8s-app: kube-dns/);
    expect(fix?.yaml).toMatch(/protocol: UDP\n\s+port: 53/);
    expect(fix?.yaml).toMatch(/namespace: payments/);
    expect(
      withPatch(fix!.yaml!).trace({
        from: 'payments/payments-6b7c8d9e5-klmno',
        to: 'kube-system/coredns-5d78c9869d-7xk2m',
        port: 53,
        protocol: 'UDP',
      }).verdict,
    ).toBe('allowed');
  });

  it('(c) grafana → postgres :9187 is allowed (unintended): two peers are ORed', () => {
    const t = engine.trace({ from: 'monitoring/grafana-6f7d8c9b4-rstuv', to: 'data/postgres-0', port: 9187 });
    expect(t.verdict).toBe('allowed');
    expect(t.ingress.decidedBy.map((r) => `${r.policy.namespace}/${r.policy.name}[${r.index}]`)).toEqual([
      'data/allow-monitoring-scrape[0]',
    ]);
    expect(names(t.decidedBy)).toEqual(['data/allow-monitoring-scrape']);
    const peers = t.ingress.policies.find((p) => p.policy.name === 'allow-monitoring-scrape')!.rules[0].peers;
    expect(peers.map((p) => p.matched)).toEqual([true, false]);
    const nm = t.nearMisses.find((n) => n.code === 'separate-peers-or')!;
    expect(nm.message).toMatch(/ORed, not ANDed/);
    // the fixed policy has ONE peer with both selectors
    expect(nm.fix?.patch?.after).toMatch(
      /- namespaceSelector:\n\s+matchLabels:\n\s+purpose: monitoring\n\s+podSelector:\n\s+matchLabels:\n\s+app: prometheus/,
    );
    // with the fix applied, grafana would be denied and prometheus still allowed
    const fixed = parseSnapshotTexts([
      { name: 'cluster.yaml', text: readFileSync(path, 'utf8') },
      { name: 'fix.yaml', text: nm.fix!.patch!.after },
    ]);
    const e2 = createEngine(fixed);
    expect(
      e2.trace({ from: 'monitoring/grafana-6f7d8c9b4-rstuv', to: 'data/postgres-0', port: 9187 }).verdict,
    ).toBe('denied');
  });

  it('(d) api → redis :6379 is denied: podSelector typo redis-cahce selects no pod', () => {
    const t = engine.trace({ from: 'backend/api-5c6d7f8b9-abcde', to: 'backend/redis-cache-0', port: 6379 });
    expect(t.verdict).toBe('denied');
    expect(t.ingress).toMatchObject({ decision: 'deny', isolated: true });
    expect(names(t.ingress.isolatedBy)).toEqual(['backend/default-deny-ingress']);
    expect(names(t.decidedBy)).toEqual(['backend/default-deny-ingress']);
    const near = t.ingress.policies.find((p) => p.policy.name === 'allow-api-to-cache')!;
    expect(near.selectsSubject).toBe(false);
    expect(near.subject.find((s) => s.target === 'pod')?.mismatches[0]).toMatchObject({
      code: 'label-value-differs',
      key: 'app',
      expected: 'redis-cahce',
      actual: 'redis-cache',
    });
    const nm = t.nearMisses.find((n) => n.code === 'label-one-edit-away')!;
    expect(nm.policy).toMatchObject({ namespace: 'backend', name: 'allow-api-to-cache' });
    expect(nm.message).toMatch(/selects no pod/);
    expect(nm.message).toMatch(/would allow this flow/);
    expect(nm.fix?.patch?.before).toMatch(/app: redis-cahce/);
    expect(nm.fix?.patch?.after).toMatch(/app: redis-cache/);
    expect(
      withPatch(nm.fix!.patch!.after).trace({
        from: 'backend/api-5c6d7f8b9-abcde',
        to: 'backend/redis-cache-0',
        port: 6379,
      }).verdict,
    ).toBe('allowed');
    // and the suggested new policy works too
    const fix = t.suggestedFixes?.[0];
    expect(
      withPatch(fix!.yaml!).trace({
        from: 'backend/api-5c6d7f8b9-abcde',
        to: 'backend/redis-cache-0',
        port: 6379,
      }).verdict,
    ).toBe('allowed');
  });

  it('working paths are allowed and attributed', () => {
    const t1 = engine.trace({
      from: 'payments/payments-6b7c8d9e5-klmno',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 8080,
    });
    expect(t1.verdict).toBe('allowed');
    expect(names(t1.decidedBy)).toEqual(['backend/allow-payments-to-api', 'payments/allow-egress-to-api']);
    const t2 = engine.trace({ from: 'backend/api-5c6d7f8b9-abcde', to: 'data/postgres-0', port: 5432 });
    expect(t2.verdict).toBe('allowed');
    const t3 = engine.trace({
      from: 'monitoring/prometheus-0',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 'metrics',
    });
    expect(t3).toMatchObject({ verdict: 'allowed', query: { port: 9090, portName: 'metrics' } });
    expect(engine.trace({ from: 'monitoring/prometheus-0', to: 'data/postgres-0', port: 9187 }).verdict).toBe(
      'allowed',
    );
  });

  it('unknown pods get suggestions', () => {
    expect(() => engine.resolveEndpoint('backend/api')).toThrowError(/backend\/api-5c6d7f8b9-abcde/);
  });
});
