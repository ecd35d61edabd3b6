/**
 * A Calico cluster through the simulator: discovery decides which Calico API carries the policies
 * (projectcalico.org/v3 when served, else crd.projectcalico.org/v1), AdminNetworkPolicies are listed
 * when served, and absent CRDs are "not installed", not errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startK8sSim, type K8sSim } from '../../test/k8s-sim/index';
import type { KubeObjectLike } from '../../test/k8s-sim/index';
import { loadLiveSnapshot } from './live-snapshot';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npd-calico-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function calicoObjects(policyApiVersion: string, withAnp: boolean): KubeObjectLike[] {
  const labels = { 'k8s-app': 'calico-node' };
  const objects: KubeObjectLike[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'calico-system', labels: { 'kubernetes.io/metadata.name': 'calico-system' } },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tigera-operator' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'calico-node', namespace: 'calico-system' },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'calico-node', image: 'quay.io/calico/node:v3.30.0' }] },
        },
      },
      status: { desiredNumberScheduled: 2, numberReady: 1 },
    },
    ...['n1', 'n2'].map((n, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `calico-node-${n}`,
        namespace: 'calico-system',
        labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'calico-node' }],
      },
      spec: { nodeName: n, hostNetwork: true, containers: [{ name: 'calico-node' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: i === 0 ? 'True' : 'False' }] },
    })),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'tigera-operator', namespace: 'tigera-operator' },
      spec: {
        replicas: 1,
        template: {
          spec: { containers: [{ name: 'tigera-operator', image: 'quay.io/tigera/operator:v1.38.0' }] },
        },
      },
      status: { replicas: 1, readyReplicas: 1 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'calico-typha', namespace: 'calico-system' },
      spec: {
        replicas: 1,
        template: { spec: { containers: [{ name: 'calico-typha', image: 'quay.io/calico/typha:v3.30.0' }] } },
      },
      status: { replicas: 1, readyReplicas: 1 },
    },
    {
      apiVersion: policyApiVersion,
      kind: 'NetworkPolicy',
      metadata: { name: 'default.deny-shop', namespace: 'shop' },
      spec: { tier: 'default', selector: 'all()', types: ['Ingress'] },
    },
    {
      apiVersion: policyApiVersion,
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'default.allow-dns' },
      spec: { selector: 'all()', types: ['Egress'] },
    },
  ];
  if (withAnp)
    objects.push({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'guard' },
      spec: {
        priority: 10,
        subject: { namespaces: {} },
        ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { x: 'y' } } }] }],
      },
    });
  return objects;
}

async function simWith(policyApiVersion: string, crds: string[]): Promise<{ sim: K8sSim; kc: string }> {
  const sim = await startK8sSim({
    scenario: {
      objects: calicoObjects(policyApiVersion, crds.includes('policy.networking.k8s.io/v1alpha1')),
      crds,
      users: [{ name: 'admin', token: 'calico-admin', groups: ['system:masters'] }],
    },
  });
  const kc = path.join(dir, `${crds.join('_').replace(/\W/g, '-')}.yaml`);
  sim.writeKubeconfig(kc, { contextNames: ['calico'] });
  return { sim, kc };
}

describe('Calico cluster', () => {
  let sims: K8sSim[] = [];
  beforeAll(() => {
    sims = [];
  });
  afterAll(async () => {
    for (const s of sims) await s.close();
  });

  it('only crd.projectcalico.org/v1 served: reads the v1 CRDs, v3 API not served', async () => {
    const { sim, kc } = await simWith('crd.projectcalico.org/v1', [
      'crd.projectcalico.org/v1',
      'policy.networking.k8s.io/v1alpha1',
    ]);
    sims.push(sim);
    const s = await loadLiveSnapshot('calico', { kubeconfig: kc });
    expect(s.calicoNetworkPolicies.map((p) => [p.apiVersion, p.metadata.name])).toEqual([
      ['crd.projectcalico.org/v1', 'default.deny-shop'],
    ]);
    expect(s.calicoGlobalNetworkPolicies.map((p) => p.metadata.name)).toEqual(['default.allow-dns']);
    expect(s.adminNetworkPolicies.map((p) => p.metadata.name)).toEqual(['guard']);
    expect(s.ciliumNetworkPolicies).toEqual([]);
    expect(s.partial).toBeUndefined();
    expect(s.cni).toMatchObject({
      name: 'calico',
      version: '3.30.0',
      enforcesNetworkPolicy: true,
      ipBlockMatchesPodIPs: true,
      calico: { install: 'operator', namespace: 'calico-system', v3ApiServed: false, typha: true },
    });
    expect(s.cni?.nodes).toEqual([
      { node: 'n1', pod: 'calico-node-n1', ready: true },
      { node: 'n2', pod: 'calico-node-n2', ready: false, reason: 'pod calico-node-n2 is not Ready' },
    ]);
    expect(s.cni?.warnings.join('\n')).toMatch(/calico-node \(Felix\) is not ready on node n2/);
  });

  it('projectcalico.org/v3 served (API server on top of the CRDs): prefers v3', async () => {
    const { sim, kc } = await simWith('projectcalico.org/v3', [
      'crd.projectcalico.org/v1',
      'projectcalico.org/v3',
    ]);
    sims.push(sim);
    const s = await loadLiveSnapshot('calico', { kubeconfig: kc });
    expect(s.calicoNetworkPolicies.map((p) => p.apiVersion)).toEqual(['projectcalico.org/v3']);
    expect(s.cni?.calico?.v3ApiServed).toBe(true);
    // AdminNetworkPolicy and Cilium not served here: not installed, not an error
    expect(s.adminNetworkPolicies).toEqual([]);
    expect(
      sim.requests.some((r) => r.path.includes('adminnetworkpolicies') || r.path.includes('cilium.io')),
    ).toBe(false);
    expect(s.partial).toBeUndefined();
  });
});
