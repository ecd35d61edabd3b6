/**
 * Benchmark: `netpol-doctor check` on 5,000 expanded expectations, after the snapshot is loaded and the
 * engine built (issue 7: thousands of entries well under a second). Two shapes on a generated cluster
 * (bench/generate-cluster.ts, 1k pods / 200 policies):
 *   - 5,000 explicit `ns/pod → ns/pod` entries over 4 ports (half of them expected wrongly, so the
 *     failure path — exact traces for reasons — is exercised);
 *   - a few selector/matrix entries expanding to ~5,000 pairs.
 * The parse column also covers YAML shapes (block maps, flow maps, one entry in ten with a folded scalar or
 * an alias, a %YAML directive), all read with js-yaml's event API (values and entry lines in one parse).
 *
 *   npx tsx bench/check.bench.ts            Prints numbers (and the load average: the machine is shared); asserts nothing.
 */
import { stringify } from 'yaml';
import { createEngine } from '../shared/engine/index';
import { parseExpectations, runCheck } from '../shared/check/index';
import { parseSnapshotTexts } from '../shared/snapshot/parse';
import { generateCluster } from './generate-cluster';

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

const cluster = generateCluster({ pods: 1000, policies: 200 });
let t0 = performance.now();
const snapshot = parseSnapshotTexts([{ name: 'cluster.json', text: JSON.stringify(cluster) }]);
const loadMs = ms(t0);
t0 = performance.now();
const engine = createEngine(snapshot);
const engineMs = ms(t0);

const pods = snapshot.pods
  .filter((p) => p.status?.podIP && !p.spec.hostNetwork)
  .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
const ports = [80, 443, 8080, '53/UDP'];
let seed = 7;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const explicit = Array.from({ length: 5000 }, (_, i) => ({
  from: pods[rnd(pods.length)],
  to: pods[rnd(pods.length)],
  port: ports[i % ports.length],
  expect: i % 2 ? 'allowed' : 'denied',
}));
const namespaces = [...new Set(pods.map((p) => p.split('/')[0]))];
const matrix = [
  {
    from: `${namespaces[0]}/*`,
    to: [`${namespaces[1]}/*`, `${namespaces[2]}/*`],
    ports: [80, 8080],
    expect: 'denied',
  },
  {
    from: `${namespaces[3]}/*`,
    to: `*/*`.replace('*/*', `${namespaces[4]}/*`),
    ports: [443, 8080],
    expect: 'allowed',
  },
];

// the same pairs with the expectations that hold (the usual CI case: nothing to explain)
const actual = runCheck(engine, parseExpectations(JSON.stringify(explicit), 'probe.json'));
const holding = explicit.map((e, i) => ({ ...e, expect: actual.results[i].actual }));

// YAML shapes for the parse column: block maps (as `yaml` writes them), one flow map per line, one entry
// in ten with a folded `name: >` or an alias to the first entry, and a `%YAML` directive
const flowYaml = `expectations:\n${explicit
  .map((e) => `  - {from: ${e.from}, to: ${e.to}, port: ${e.port}, expect: ${e.expect}}  # entry`)
  .join('\n')}\n`;
const foldedYaml = `expectations:\n${explicit
  .map(
    (e, i) =>
      `  - ${i % 10 ? '' : 'name: >\n      a folded\n      name\n    '}from: ${e.from}\n    to: ${e.to}\n    port: ${e.port}\n    expect: ${e.expect}`,
  )
  .join('\n')}\n`;
const aliasedYaml = `expectations:\n${explicit
  .map(
    (e, i) =>
      `  - {from: ${i ? (i % 10 ? e.from : '*src') : `&src ${e.from}`}, to: ${e.to}, port: ${e.port}, expect: ${e.expect}}`,
  )
  .join('\n')}\n`;

const rows: string[][] = [
  ['scenario', 'entries', 'pairs', 'parse ms', 'check ms (cold)', 'check ms (warm)', 'failed'],
];
for (const [name, text] of [
  ['5,000 explicit entries (YAML)', stringify({ expectations: explicit })],
  ['5,000 explicit entries (JSON)', JSON.stringify({ expectations: explicit })],
  ['5,000 entries that hold (JSON)', JSON.stringify({ expectations: holding })],
  ['matrix shorthand', stringify({ expectations: matrix })],
  ['5,000 entries, flow maps (YAML)', flowYaml],
  ['5,000 entries, 1 in 10 folded (YAML)', foldedYaml],
  ['5,000 entries, 1 in 10 an alias (YAML)', aliasedYaml],
  ['5,000 entries, %YAML directive', `%YAML 1.2\n---\n${flowYaml}`],
] as const) {
  t0 = performance.now();
  const exp = parseExpectations(text, 'bench.yaml');
  const parseMs = ms(t0);
  t0 = performance.now();
  const cold = runCheck(engine, exp);
  const coldMs = ms(t0);
  t0 = performance.now();
  runCheck(engine, exp);
  const warmMs = ms(t0);
  if (name.startsWith('5,000 explicit entries (JSON)')) {
    t0 = performance.now();
    runCheck(engine, exp, { details: 'all' });
    process.stdout.write(`  (--json mode, reasons for every line: ${ms(t0)} ms)\n`);
  }
  rows.push([
    name,
    String(exp.entries.length),
    String(cold.results.length),
    String(parseMs),
    String(coldMs),
    String(warmMs),
    String(cold.failed),
  ]);
}
process.stdout.write(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}\n`,
);
process.stdout.write(
  `check bench — cluster ${pods.length} pods, ${snapshot.networkPolicies.length + snapshot.adminNetworkPolicies.length} policies (load ${loadMs} ms, engine ${engineMs} ms)\n`,
);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) process.stdout.write(`${r.map((x, c) => x.padEnd(widths[c])).join('  ')}\n`);
