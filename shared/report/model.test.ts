import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSnapshotTexts } from '../snapshot/parse';
import { Anonymizer } from './anonymize';
import { policyCoverage, serverHost } from './model';

const demo = parseSnapshotTexts([
  {
    name: 'cluster.yaml',
    text: readFileSync(fileURLToPath(new URL('../../assets/demo/cluster.yaml', import.meta.url)), 'utf8'),
  },
]);

describe('report model helpers', () => {
  it('keeps only host[:port] of the API server, never credentials, paths or queries', () => {
    expect(serverHost('https://admin:s3cret@api.example.com:6443/k8s/clusters/c-1?token=abc')).toBe(
      'api.example.com:6443',
    );
    expect(serverHost('https://[fd00::1]:6443')).toBe('[fd00::1]:6443');
    expect(serverHost('10.0.0.1')).toBe('10.0.0.1');
    expect(serverHost(undefined)).toBeUndefined();
  });

  it('counts pods isolated per direction and namespace', () => {
    const rows = Object.fromEntries(policyCoverage(demo).map((r) => [r.namespace, r]));
    expect(rows.data).toMatchObject({ pods: 1, isolatedIngress: 1, isolatedEgress: 0, policies: 3 });
    expect(rows.frontend).toMatchObject({ pods: 2, isolatedIngress: 0, isolatedEgress: 0, policies: 0 });
  });
});

describe('Anonymizer', () => {
  it('maps names and IPs the same way wherever they appear, whole words only', () => {
    const a = new Anonymizer(demo, { context: 'prod-eu', server: 'api.prod.example.com:6443' });
    const ns = a.text('frontend');
    expect(ns).toMatch(/^ns-\d+$/);
    expect(a.text('namespace frontend, frontend/web-7d9f8b6c5-x2k4p')).toBe(
      `namespace ${ns}, ${ns}/${a.text('web-7d9f8b6c5-x2k4p')}`,
    );
    expect(a.text('kubernetes.io/metadata.name: frontend')).toBe(`kubernetes.io/metadata.name: ${ns}`);
    expect(a.text('frontend-extra')).toBe('frontend-extra');
    expect(a.text('cidr 10.0.1.11/32 and 10.0.1.11')).toBe(
      `cidr ${a.text('10.0.1.11')}/32 and ${a.text('10.0.1.11')}`,
    );
    expect(a.text('10.0.1.11')).not.toBe('10.0.1.11');
    expect(a.text('0.0.0.0/0')).toBe('0.0.0.0/0');
    expect(a.text('kube-system/coredns-5d78c9869d-7xk2m')).toContain('kube-system/');
    expect(a.text('context prod-eu on api.prod.example.com:6443')).not.toMatch(/prod-eu|prod\.example/);
    // object keys are anonymized too, values deeply
    expect(a.apply({ frontend: ['backend'] })).toEqual({ [ns]: [a.text('backend')] });
  });
});
