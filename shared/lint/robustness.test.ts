import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSnapshotTexts } from '../snapshot/parse';
import { lintSnapshot } from './index';

const demo = parse(readFileSync(new URL('../../assets/demo/cluster.yaml', import.meta.url), 'utf8')) as {
  items: Record<string, unknown>[];
};
const extra = [
  {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: 'a' },
    spec: {
      priority: 5,
      subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } },
      ingress: [
        {
          action: 'Deny',
          from: [{ namespaces: { matchLabels: { team: 'web' } } }],
          ports: [{ portNumber: { port: 80 } }],
        },
      ],
    },
  },
];
const items = [...demo.items, ...extra];
const mutable = items
  .map((it, i) => ({ it, i }))
  .filter(({ it }) => /NetworkPolicy|Pod|Namespace/.test(String(it.kind)));

/** Every path to a node inside `v` (objects and arrays), as key lists. */
function paths(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

describe('loader and lint on malformed objects', () => {
  it('never throw: any field replaced by any JSON value is reported, not a crash', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 3 }), (objPick, pathPick, value) => {
        const copy = JSON.parse(JSON.stringify(items)) as Record<string, unknown>[];
        const target = copy[mutable[objPick % mutable.length].i];
        const spots = paths(target).filter((p) => p.length >= 2 && p[0] !== 'apiVersion' && p[0] !== 'kind');
        setAt(target, spots[pathPick % spots.length], value);
        const snapshot = parseSnapshotTexts([
          { name: 'fuzz.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: copy }) },
        ]);
        const findings = lintSnapshot(snapshot);
        expect(Array.isArray(findings)).toBe(true);
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});
