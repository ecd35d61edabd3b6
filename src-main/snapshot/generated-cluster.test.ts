import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCluster, writeClusterJson } from '../../bench/generate-cluster';
import { loadSnapshotFiles } from './load-files';

const dir = mkdtempSync(join(tmpdir(), 'npd-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/generate-cluster', () => {
  it('writes a kubectl List JSON that loads without validation errors', async () => {
    const file = join(dir, 'c.json');
    const counts = await writeClusterJson(file, { pods: 300, policies: 60 });
    expect(counts).toMatchObject({ pods: 300, policies: 60 });
    const s = await loadSnapshotFiles([file]);
    expect(s.pods).toHaveLength(300);
    expect(s.loadFindings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(
      s.networkPolicies.length + s.adminNetworkPolicies.length + s.baselineAdminNetworkPolicies.length,
    ).toBe(60);
    expect(s.adminNetworkPolicies.length).toBeGreaterThan(0);
    // realistic: most pods have IPs and named ports, some namespaces are selected by team labels
    expect(s.pods.filter((p) => p.status?.podIP).length).toBeGreaterThan(290);
    expect(s.pods.every((p) => p.spec.containers[0].ports?.some((x) => x.name))).toBe(true);
  });

  it('is deterministic: same options, same bytes; another seed, another cluster', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await writeClusterJson(a, { pods: 120, policies: 20 });
    await writeClusterJson(b, { pods: 120, policies: 20 });
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(JSON.parse(readFileSync(a, 'utf8'))).toEqual(generateCluster({ pods: 120, policies: 20 }));
    expect(generateCluster({ pods: 120, policies: 20, seed: 7 })).not.toEqual(
      generateCluster({ pods: 120, policies: 20 }),
    );
  });
});
