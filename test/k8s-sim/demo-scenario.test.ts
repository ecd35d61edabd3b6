/** The demo scenario serves exactly the demo cluster file, plus planted canaries and the documented users. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CANARY_SECRET,
  DEMO_CANARY_TOKENS,
  DEMO_SCENARIO_PATH,
  startK8sSim,
  type K8sSim,
} from './index.js';

const demoFile = fileURLToPath(new URL('../../assets/demo/cluster.yaml', import.meta.url));
let sim: K8sSim;

function kc(context: string): KubeConfig {
  const k = new KubeConfig();
  k.loadFromString(sim.kubeconfigYaml());
  k.setCurrentContext(context);
  return k;
}

beforeAll(async () => {
  sim = await startK8sSim({ scenario: DEMO_SCENARIO_PATH });
});
afterAll(async () => {
  await sim?.close();
});

describe('demo scenario', () => {
  it('serves every object of assets/demo/cluster.yaml', () => {
    const file = parse(readFileSync(demoFile, 'utf8')) as {
      items: { kind: string; metadata: { name: string; namespace?: string } }[];
    };
    const served = new Set(
      sim.getObjects().map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    );
    for (const o of file.items)
      expect(served).toContain(`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  });

  it('plants the canary secret and uses canary tokens', async () => {
    const secret = await kc('sim-admin')
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ namespace: 'backend', name: 'api-credentials' });
    expect(Buffer.from(secret.data!.password!, 'base64').toString()).toBe(DEMO_CANARY_SECRET);
    const cm = sim.getObjects('ConfigMap').find((c) => c.metadata.name === 'api-settings')!;
    expect(JSON.stringify(cm)).toContain(DEMO_CANARY_SECRET);
    expect(DEMO_CANARY_TOKENS.every((t) => t.startsWith('CANARY-TOKEN-'))).toBe(true);
    expect(sim.users.filter((u) => u.token).map((u) => u.token)).toEqual([...DEMO_CANARY_TOKENS]);
  });

  it('lets restricted read the cluster but not backend policies, Cilium policies or secrets', async () => {
    const core = kc('sim-restricted').makeApiClient(CoreV1Api);
    expect((await core.listPodForAllNamespaces()).items.length).toBe(sim.getObjects('Pod').length);
    await expect(core.listNamespacedSecret({ namespace: 'backend' })).rejects.toMatchObject({ code: 403 });
    const custom = kc('sim-restricted').makeApiClient(CustomObjectsApi);
    await expect(
      custom.listClusterCustomObject({ group: 'cilium.io', version: 'v2', plural: 'ciliumnetworkpolicies' }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      custom.listClusterCustomObject({
        group: 'cilium.io',
        version: 'v2',
        plural: 'ciliumclusterwidenetworkpolicies',
      }),
    ).resolves.toMatchObject({ kind: 'CiliumClusterwideNetworkPolicyList' });
  });
});
