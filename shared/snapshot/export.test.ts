import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportSnapshotYaml } from './export';
import { parseSnapshotTexts } from './parse';
import type { CniFacts, Snapshot } from './types';

const demoText = readFileSync(new URL('../../assets/demo/cluster.yaml', import.meta.url), 'utf8');

function withoutFindings(s: Snapshot): Omit<Snapshot, 'loadFindings'> {
  const { loadFindings, ...rest } = s;
  void loadFindings;
  return rest;
}

describe('exportSnapshotYaml', () => {
  it('round-trips the demo snapshot to an equivalent snapshot', () => {
    const original = parseSnapshotTexts([{ name: 'cluster.yaml', text: demoText }], {
      type: 'demo',
      paths: ['cluster.yaml'],
    });
    const yaml = exportSnapshotYaml(original);
    const back = parseSnapshotTexts([{ name: 'exported.yaml', text: yaml }]);
    expect(withoutFindings(back)).toEqual(withoutFindings(original));
    expect(back.pods.length).toBeGreaterThan(5);
  });

  it('prints a kubectl List whose items carry apiVersion and kind', () => {
    const s = parseSnapshotTexts([{ name: 'cluster.yaml', text: demoText }]);
    const list = parseYaml(exportSnapshotYaml(s)) as {
      apiVersion: string;
      kind: string;
      items: { apiVersion: string; kind: string }[];
    };
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    for (const item of list.items) {
      expect(typeof item.apiVersion).toBe('string');
      expect(typeof item.kind).toBe('string');
    }
  });

  it('carries source, time, partial gaps, CNI facts, Calico kinds, unknown-kind counts and tricky label values', () => {
    const cni: CniFacts = {
      name: 'calico',
      enforcesNetworkPolicy: true,
      evidence: ['DaemonSet calico-node'],
      warnings: [],
      components: [],
      nodes: [],
      ipBlockMatchesPodIPs: true,
      observability: { hubble: false, calico: true },
    };
    const s = parseSnapshotTexts([
      {
        name: 'in.yaml',
        text: `apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {pci: "true", version: "1.10", empty: ""}}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: c, namespace: a}
spec: {selector: "app == 'x'", order: 100}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: x, namespace: a}
`,
      },
    ]);
    s.source = { type: 'context', context: 'prod', server: 'https://1.2.3.4' };
    s.takenAt = '2026-05-06T07:08:09.000Z';
    s.partial = {
      gaps: [{ verb: 'list', resource: 'pods', namespace: 'a', message: 'cannot list pods in namespace a' }],
    };
    s.cni = cni;
    const back = parseSnapshotTexts([{ name: 'out.yaml', text: exportSnapshotYaml(s) }], {
      type: 'files',
      paths: ['out.yaml'],
    });
    expect(back.source).toEqual(s.source);
    expect(back.takenAt).toBe(s.takenAt);
    expect(back.partial).toEqual(s.partial);
    expect(back.cni).toEqual(cni);
    expect(back.namespaces[0].metadata.labels).toEqual({ pci: 'true', version: '1.10', empty: '' });
    expect(back.calicoNetworkPolicies).toEqual(s.calicoNetworkPolicies);
    expect(back.networkPolicies).toEqual([]);
    expect(back.unknownKinds).toEqual({ CronJob: 1 });
  });
});
