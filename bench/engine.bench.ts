/**
 * Benchmark: snapshot loading, engine build, whole-cluster matrix and single traces on generated
 * clusters (bench/generate-cluster.ts) of 1k pods/200 policies, 10k/2k and 50k/5k. Each size runs in
 * its own child process so peak memory (maxRSS) is that size's alone.
 *
 *   npx tsx bench/engine.bench.ts [--sizes 1k,10k,50k]      (or BENCH_SIZES=1k,10k)
 *
 * Targets (issue 3, on a 2-core machine): the 10k/2k matrix within 3x the time it takes just to parse
 * the snapshot file, under 1 GiB; a single trace under 5 ms after load. Prints numbers; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeClusterJson } from './generate-cluster';

const SIZES: Record<string, { pods: number; policies: number }> = {
  '1k': { pods: 1_000, policies: 200 },
  '10k': { pods: 10_000, policies: 2_000 },
  '50k': { pods: 50_000, policies: 5_000 },
};
/** bump when the generator's output changes, so cached files are regenerated */
const GENERATOR_VERSION = 2;
const TRACES = 200;

interface ChildResult {
  size: string;
  pods: number;
  policies: number;
  fileMiB: number;
  parseMs: number;
  loadMs: number;
  engineMs: number;
  matrixMs: number;
  matrixWarmMs: number;
  classes: number;
  traceMedianMs: number;
  traceP95Ms: number;
  maxRssMiB: number;
}

function ms(t0: number): number {
  return performance.now() - t0;
}

async function child(size: string, file: string): Promise<void> {
  const { parseSnapshotTexts } = await import('../shared/snapshot/parse');
  const { createEngine } = await import('../shared/engine/index');
  const text = readFileSync(file, 'utf8');
  // best of 3: on a busy machine a single JSON.parse can be several times slower than the file needs
  let parseMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    JSON.parse(text);
    parseMs = Math.min(parseMs, ms(t));
  }
  let t0: number;
  t0 = performance.now();
  const snapshot = parseSnapshotTexts([{ name: file, text }], { type: 'files', paths: [file] });
  const loadMs = ms(t0);
  t0 = performance.now();
  const engine = createEngine(snapshot);
  const engineMs = ms(t0);
  t0 = performance.now();
  const m = engine.matrix({ port: 8080, protocol: 'TCP' });
  const matrixMs = ms(t0);
  // a second run with the code warmed up: compared with the (warm, best of 3) JSON.parse
  t0 = performance.now();
  engine.matrix({ port: 8080, protocol: 'TCP' });
  const matrixWarmMs = ms(t0);
  // single traces between deterministic pod pairs, after load (the engine's indexes are built)
  const pods = m.pods;
  const times: number[] = [];
  let x = 12345;
  for (let i = 0; i < TRACES; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const from = pods[x % pods.length];
    x = (x * 1103515245 + 12345) >>> 0;
    const to = pods[x % pods.length];
    const t = performance.now();
    engine.trace({ from, to, port: 8080, protocol: 'TCP' });
    times.push(ms(t));
  }
  times.sort((a, b) => a - b);
  const result: ChildResult = {
    size,
    pods: snapshot.pods.length,
    policies:
      snapshot.networkPolicies.length +
      snapshot.adminNetworkPolicies.length +
      snapshot.baselineAdminNetworkPolicies.length,
    fileMiB: statSync(file).size / 2 ** 20,
    parseMs,
    loadMs,
    engineMs,
    matrixMs,
    matrixWarmMs,
    classes: m.classCount,
    traceMedianMs: times[Math.floor(times.length / 2)],
    traceP95Ms: times[Math.floor(times.length * 0.95)],
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

async function ensureFile(size: string): Promise<string> {
  const dir = join(tmpdir(), 'netpol-doctor-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `cluster-${size}-v${GENERATOR_VERSION}.json`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${size} cluster → ${file}\n`);
    await writeClusterJson(`${file}.tmp`, SIZES[size]);
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

function runChild(size: string, file: string): Promise<ChildResult | { size: string; error: string }> {
  return new Promise((resolve) => {
    const self = fileURLToPath(import.meta.url);
    const tsxCli = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const proc = spawn(
      process.execPath,
      ['--max-old-space-size=12288', tsxCli, self, '--child', size, file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) resolve(JSON.parse(line.slice(7)) as ChildResult);
      else resolve({ size, error: `exit ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}` });
    });
  });
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  return [
    line(rows[0]),
    `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1], args[2]);
    return;
  }
  const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : process.env.BENCH_SIZES;
  const sizes = (sizesArg ?? '1k,10k,50k').split(',').filter((s) => s in SIZES);
  const f = (n: number, d = 0) => n.toFixed(d);
  const rows: string[][] = [
    [
      'cluster',
      'file MiB',
      'JSON.parse ms (best of 3)',
      'load ms',
      'engine ms',
      'matrix ms (1st)',
      'matrix ms (2nd)',
      'matrix/parse',
      'classes',
      'trace median ms',
      'trace p95 ms',
      'peak RSS MiB',
    ],
  ];
  for (const size of sizes) {
    const file = await ensureFile(size);
    const r = await runChild(size, file);
    if ('error' in r) {
      rows.push([`${size}: ${r.error}`, ...Array<string>(rows[0].length - 1).fill('')]);
      continue;
    }
    rows.push([
      `${r.pods} pods / ${r.policies} policies`,
      f(r.fileMiB, 1),
      f(r.parseMs),
      f(r.loadMs),
      f(r.engineMs),
      f(r.matrixMs),
      f(r.matrixWarmMs),
      `${f(r.matrixMs / r.parseMs, 2)}x / ${f(r.matrixWarmMs / r.parseMs, 2)}x`,
      String(r.classes),
      f(r.traceMedianMs, 2),
      f(r.traceP95Ms, 2),
      f(r.maxRssMiB),
    ]);
  }
  process.stdout.write(
    `Engine: load, matrix (8080/TCP, every pod pair) and single trace (median of ${TRACES}) — Node ${process.versions.node}\n${table(rows)}\n` +
      'matrix/parse: 1st (cold) and 2nd (warm) matrix over JSON.parse. Peak RSS includes the file text and 4 parses of it.\n' +
      'Targets: 10k/2k matrix ≤ 3x JSON.parse and < 1 GiB peak; single trace < 5 ms after load.\n',
  );
}

await main();
