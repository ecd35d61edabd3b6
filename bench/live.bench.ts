/**
 * Benchmark: a live snapshot of a simulated 10k-pod cluster through the Kubernetes API simulator
 * (HTTPS on loopback, its own process), time and peak memory, next to `kubectl get pods -A -o json`
 * against the same simulator when kubectl is installed.
 *
 *   npx tsx --tsconfig tsconfig.node.json bench/live.bench.ts [--pods N]
 *
 * Prints numbers; asserts nothing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { stringify } from 'yaml';
import { loadLiveSnapshot } from '../src-main/cluster/live-snapshot';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** bench/generate-cluster.ts when it exists (shared with the engine benchmarks), else the simulator's generator. */
async function generate(pods: number): Promise<{ objects?: Obj[]; generator: string }> {
  const shared = path.join(ROOT, 'bench', 'generate-cluster.ts');
  if (fs.existsSync(shared)) {
    try {
      const mod = (await import(shared)) as Record<string, unknown>;
      const fn = (mod.generateCluster ?? mod.default) as ((o: { pods: number }) => unknown) | undefined;
      if (typeof fn === 'function') {
        const out = fn({ pods });
        const objects = Array.isArray(out)
          ? out
          : ((out as { items?: Obj[]; objects?: Obj[] }).items ?? (out as { objects?: Obj[] }).objects);
        if (Array.isArray(objects))
          return { objects: objects as Obj[], generator: 'bench/generate-cluster.ts' };
      }
    } catch (err) {
      process.stderr.write(
        `bench/generate-cluster.ts not usable (${(err as Error).message}); using the simulator's generator\n`,
      );
    }
  }
  // the simulator generates it itself (--generate-pods): no objects in this process
  return { generator: 'test/k8s-sim/generate.ts' };
}

async function startSimProcess(
  dir: string,
  objects: Obj[] | undefined,
  pods: number,
): Promise<{ child: ChildProcess; kubeconfig: string; url: string }> {
  const extra: string[] = [];
  const objectFiles: string[] = [];
  if (objects) {
    const objectsFile = path.join(dir, 'objects.json');
    fs.writeFileSync(objectsFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    objectFiles.push(objectsFile);
  } else extra.push('--generate-pods', String(pods));
  const scenario = path.join(dir, 'scenario.yaml');
  fs.writeFileSync(
    scenario,
    stringify({
      objects: objectFiles,
      crds: ['cilium.io/v2', 'policy.networking.k8s.io/v1alpha1'],
      users: [{ name: 'admin', token: 'bench-admin-token', groups: ['system:masters'] }],
    }),
  );
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(
    tsx,
    [
      '--tsconfig',
      path.join(ROOT, 'tsconfig.node.json'),
      path.join(ROOT, 'test/k8s-sim/cli.ts'),
      scenario,
      '--kubeconfig',
      kubeconfig,
      ...extra,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 120 s')), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m && out.includes('kubeconfig:')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
  return { child, kubeconfig, url };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

async function measureLiveSnapshot(kubeconfig: string): Promise<{
  seconds: number;
  peakRss: number;
  peakHeap: number;
  baseRss: number;
  baseHeap: number;
  retainedHeap: number;
  pods: number;
  objects: number;
}> {
  const baseRss = process.memoryUsage().rss;
  const baseHeap = process.memoryUsage().heapUsed;
  let peakRss = baseRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const t0 = performance.now();
  let objects = 0;
  const snap = await loadLiveSnapshot('sim-admin', { kubeconfig, onProgress: (p) => (objects = p.objects) });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  collectGarbage();
  const retainedHeap = process.memoryUsage().heapUsed - baseHeap;
  return { seconds, peakRss, peakHeap, baseRss, baseHeap, retainedHeap, pods: snap.pods.length, objects };
}

function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

function measureKubectl(
  kubeconfig: string,
): { seconds: number; maxRssKb?: number; bytes: number } | { error: string } {
  const hasTime = fs.existsSync('/usr/bin/time');
  const t0 = performance.now();
  const args = ['get', 'pods', '-A', '-o', 'json', '--kubeconfig', kubeconfig, '--context', 'sim-admin'];
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', 'kubectl', ...args], { maxBuffer: 1024 * 1024 * 1024 })
    : spawnSync('kubectl', args, { maxBuffer: 1024 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) return { error: (r.stderr?.toString() ?? '').trim().split('\n').slice(-2).join(' ') };
  const maxRssKb = hasTime ? Number(r.stderr.toString().trim().split('\n').at(-1)) : undefined;
  return { seconds, bytes: r.stdout.length, ...(maxRssKb && Number.isFinite(maxRssKb) ? { maxRssKb } : {}) };
}

export async function runLiveBench(pods = 10_000): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npd-bench-live-'));
  const generated = await generate(pods);
  const sim = await startSimProcess(dir, generated.objects, pods);
  generated.objects = undefined; // measure this process without the generator's objects
  collectGarbage();
  try {
    // warm-up: TLS, discovery, module loading
    const warm = await measureLiveSnapshot(sim.kubeconfig);
    collectGarbage();
    const run = await measureLiveSnapshot(sim.kubeconfig);
    process.stdout.write(
      `live snapshot benchmark: ${run.pods} pods, ${run.objects} objects (generator: ${generated.generator})\n`,
    );
    process.stdout.write(
      `  netpol-doctor live snapshot: ${run.seconds.toFixed(2)} s (first run ${warm.seconds.toFixed(2)} s), ${run.pods} pods / ${run.objects} objects listed, ` +
        `peak RSS ${mb(run.peakRss)} (${mb(run.baseRss)} before), peak heap ${mb(run.peakHeap)} (${mb(run.baseHeap)} before), snapshot kept ${mb(run.retainedHeap)} of heap\n`,
    );
    if (!kubectlAvailable()) {
      process.stdout.write('  kubectl get pods -A -o json: kubectl not installed\n');
    } else {
      measureKubectl(sim.kubeconfig); // warm-up (discovery cache)
      const k = measureKubectl(sim.kubeconfig);
      if ('error' in k) process.stdout.write(`  kubectl get pods -A -o json: failed (${k.error})\n`);
      else
        process.stdout.write(
          `  kubectl get pods -A -o json: ${k.seconds.toFixed(2)} s, ${mb(k.bytes)} of JSON${k.maxRssKb ? `, max RSS ${mb(k.maxRssKb * 1024)}` : ''} (pods only; netpol-doctor also lists ${run.objects - run.pods} other objects)\n`,
        );
    }
  } finally {
    sim.child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--pods');
  const pods = i > 0 ? Number(process.argv[i + 1]) : 10_000;
  runLiveBench(pods).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`live benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
