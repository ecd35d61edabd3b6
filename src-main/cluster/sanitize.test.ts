import { describe, expect, it } from 'vitest';
import { acceptObject } from './live-snapshot';
import { resourceSpecs, type SnapshotListKey } from './resources';

const spec = (key: SnapshotListKey) => resourceSpecs(undefined).find((s) => s.key === key)!;

describe('what a live snapshot keeps of an object', () => {
  it('pods: no env values, no managedFields, no last-applied-configuration; ports, labels, IPs kept', () => {
    const pod = acceptObject(spec('pods'), {
      metadata: {
        name: 'api-1',
        namespace: 'backend',
        labels: { app: 'api' },
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":"SECRET"}', team: 'core' },
      },
      spec: {
        nodeName: 'node-a',
        containers: [
          {
            name: 'api',
            image: 'api:1',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'DB_PASSWORD', value: 'SECRET' }],
          },
        ],
        volumes: [{ name: 'creds', secret: { secretName: 'x' } }],
      },
      status: {
        phase: 'Running',
        podIP: '10.0.0.5',
        startTime: '2026-01-01T00:00:00Z',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'x' }],
      },
    })!;
    const text = JSON.stringify(pod);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('managedFields');
    expect(pod).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'api-1',
        namespace: 'backend',
        labels: { app: 'api' },
        annotations: { team: 'core' },
      },
      spec: {
        nodeName: 'node-a',
        containers: [{ name: 'api', image: 'api:1', ports: [{ name: 'http', containerPort: 8080 }] }],
      },
      status: { phase: 'Running', podIP: '10.0.0.5', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect((pod.status as Record<string, unknown>).startTime).toBeUndefined();
  });

  it('CNI DaemonSets in kube-system keep args and switch-like env vars, never secret ones', () => {
    const ds = acceptObject(spec('daemonSets'), {
      metadata: { name: 'aws-node', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'aws-node' } },
        template: {
          metadata: { labels: { 'k8s-app': 'aws-node' } },
          spec: {
            containers: [
              {
                name: 'aws-node',
                env: [
                  { name: 'ENABLE_NETWORK_POLICY', value: 'true' },
                  { name: 'AWS_SECRET_ACCESS_KEY', value: 'SECRET' },
                  { name: 'ENABLE_TOKEN_X', value: 'SECRET' },
                ],
              },
              { name: 'aws-eks-nodeagent', args: ['--enable-network-policy=true'] },
            ],
          },
        },
      },
      status: { desiredNumberScheduled: 3, numberReady: 3 },
    })!;
    expect(JSON.stringify(ds)).not.toContain('SECRET');
    const containers = (
      ds.spec as { template: { spec: { containers: { name: string; env?: unknown; args?: string[] }[] } } }
    ).template.spec.containers;
    expect(containers[0].env).toEqual([{ name: 'ENABLE_NETWORK_POLICY', value: 'true' }]);
    expect(containers[1].args).toEqual(['--enable-network-policy=true']);
    expect(ds.status).toEqual({ desiredNumberScheduled: 3, numberReady: 3 });
  });

  it('ConfigMaps: only the CNI ones, only their known keys, no annotations', () => {
    const cm = spec('configMaps');
    expect(
      acceptObject(cm, {
        metadata: { name: 'api-settings', namespace: 'kube-system' },
        data: { DATABASE_URL: 'postgres://u:SECRET@db' },
      }),
    ).toBeUndefined();
    const cilium = acceptObject(cm, {
      metadata: {
        name: 'cilium-config',
        namespace: 'kube-system',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'SECRET', note: 'x' },
      },
      data: { 'enable-policy': 'always', 'enable-hubble': 'true', 'clustermesh-etcd-password': 'SECRET' },
    })!;
    expect(cilium.data).toEqual({ 'enable-policy': 'always', 'enable-hubble': 'true' });
    expect(JSON.stringify(cilium)).not.toContain('SECRET');
    expect((cilium.metadata as Record<string, unknown>).annotations).toBeUndefined();
  });

  it('ordinary workloads outside the CNI namespaces keep no args or env at all', () => {
    const dep = acceptObject(spec('deployments'), {
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'web', args: ['--token=SECRET'], env: [{ name: 'ENABLE_X', value: 'SECRET' }] },
            ],
          },
        },
      },
    })!;
    expect(JSON.stringify(dep)).not.toContain('SECRET');
  });
});
