/**
 * Benchmark: Hubble flows per second from the Relay simulator (its own process, flows pre-encoded)
 * through the gRPC client and FlowStreamManager into the ring buffer (batched delivery included),
 * and the ring buffer's memory at 100k flows.
 *
 *   npx tsx --tsconfig tsconfig.node.json bench/flows.bench.ts [--flows N] [--runs R] [--no-memory]
 *
 * Target: >= 20k flows/s. Prints numbers; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseFlowLines } from '../shared/flows/jsonl';
import { FlowStore } from '../src-main/hubble/flow-store';
import { FlowStreamManager } from '../src-main/hubble/stream-manager';
import { syntheticFlows } from '../test/hubble-sim/demo-flows';
import { exportFlowLines } from '../shared/flows/jsonl';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const N = opt('--flows', 100_000);
const RUNS = opt('--runs', 3);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

async function startSimProcess(flows: number): Promise<{ address: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      '--tsconfig',
      path.join(ROOT, 'tsconfig.node.json'),
      path.join(ROOT, 'test', 'hubble-sim', 'serve.ts'),
      '--flows',
      String(flows),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const rl = createInterface({ input: child.stdout! });
  const [line] = (await once(rl, 'line')) as [string];
  const { address } = JSON.parse(line) as { address: string };
  return { address, stop: () => child.kill('SIGTERM') };
}

async function streamAll(
  address: string,
  flows: number,
): Promise<{ ms: number; batches: number; held: number; cpuMs: number }> {
  const m = new FlowStreamManager({ bufferSize: 100_000 });
  let batches = 0;
  m.on('batch', () => batches++);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { streamId } = m.start({ source: { kind: 'server', address }, filter: { last: flows } });
  await new Promise<void>((resolve, reject) =>
    m.on('state', (s) => {
      if (s.streamId !== streamId) return;
      if (s.state === 'done') resolve();
      if (s.state === 'failed') reject(new Error(s.message));
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const held = m.stats(streamId).held;
  await m.stopAll();
  return { ms, batches, held, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function memoryAt100k(): { bytes: number; perFlow: number } {
  // realistic objects: parsed from hubble JSON, as the store holds them after import or gRPC decode
  const text = exportFlowLines(syntheticFlows(100_000));
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = new FlowStore(100_000);
  store.pushMany(parseFlowLines(text).flows);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (store.size !== 100_000) throw new Error('store not full');
  return { bytes: after - before, perFlow: (after - before) / store.size };
}

const load = os.loadavg()[0];
console.log(`machine: ${os.cpus().length} cores, load average ${load.toFixed(1)}; node ${process.version}`);
console.log(`starting the Hubble Relay simulator with ${N} flows (pre-encoded, own process)...`);
const sim = await startSimProcess(N);
try {
  const rows: string[] = [];
  for (let r = 1; r <= RUNS; r++) {
    const { ms, batches, held, cpuMs } = await streamAll(sim.address, N);
    rows.push(
      `run ${r}: ${held} flows in ${(ms / 1000).toFixed(2)} s = ${Math.round((held / ms) * 1000).toLocaleString('en')} flows/s wall clock; client CPU ${((cpuMs * 1000) / held).toFixed(1)} µs/flow = ${Math.round((held / cpuMs) * 1000).toLocaleString('en')} flows per CPU-second (${batches} batches, ${Math.round(held / batches)} flows/batch)`,
    );
    console.log(rows.at(-1));
  }
} finally {
  sim.stop();
}
if (argv.includes('--no-memory')) process.exit(0);
const mem = memoryAt100k();
console.log(
  `ring buffer at 100k flows: ${(mem.bytes / 1024 / 1024).toFixed(1)} MiB heap (${Math.round(mem.perFlow)} bytes/flow)`,
);
console.log(`target: >= 20,000 flows/s from the simulator through the client into the store`);
