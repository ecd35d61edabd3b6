/** The bundled Calico and flannel scenarios: the API groups they serve, and their objects through the API. */
import { CustomObjectsApi, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startK8sSim } from './index.js';

const scenario = (name: string) => fileURLToPath(new URL(`./scenarios/${name}.yaml`, import.meta.url));

async function withSim<T>(name: string, fn: (kc: KubeConfig, groups: string[]) => Promise<T>): Promise<T> {
  const sim = await startK8sSim({ scenario: scenario(name) });
  try {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml());
    const apis = await new Promise<string[]>((resolve, reject) => {
      https
        .get(
          `${sim.url}/apis`,
          { ca: sim.caPem, headers: { authorization: `Bearer ${sim.users[0]!.token}` } },
          (res) => {
            let b = '';
            res.on('data', (c: Buffer) => (b += c.toString()));
            res.on('end', () =>
              resolve((JSON.parse(b) as { groups: { name: string }[] }).groups.map((g) => g.name)),
            );
          },
        )
        .on('error', reject);
    });
    return await fn(kc, apis);
  } finally {
    await sim.close();
  }
}

describe('bundled scenarios', () => {
  it('calico: serves only the crd.projectcalico.org CRDs (KDD, no Calico API server) with its policies', async () => {
    await withSim('calico', async (kc, groups) => {
      expect(groups).toContain('crd.projectcalico.org');
      expect(groups).toContain('operator.tigera.io');
      expect(groups).not.toContain('projectcalico.org');
      expect(groups).not.toContain('cilium.io');
      const custom = kc.makeApiClient(CustomObjectsApi);
      const gnps = (await custom.listClusterCustomObject({
        group: 'crd.projectcalico.org',
        version: 'v1',
        plural: 'globalnetworkpolicies',
      })) as { items: { metadata: { name: string } }[] };
      expect(gnps.items.map((p) => p.metadata.name)).toEqual(['default.allow-dns']);
      const nps = (await custom.listNamespacedCustomObject({
        group: 'crd.projectcalico.org',
        version: 'v1',
        namespace: 'shop',
        plural: 'networkpolicies',
      })) as { items: unknown[] };
      expect(nps.items).toHaveLength(1);
    });
  });

  it('flannel: serves no policy CRD group, only Kubernetes NetworkPolicies', async () => {
    await withSim('flannel', async (kc, groups) => {
      expect(groups.filter((g) => /cilium|calico|policy\.networking/.test(g))).toEqual([]);
      const nps = await kc.makeApiClient(NetworkingV1Api).listNetworkPolicyForAllNamespaces();
      expect(nps.items.map((p) => p.metadata!.name)).toEqual(['default-deny']);
    });
  });
});
