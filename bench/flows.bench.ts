/**
 * Benchmark: Hubble flows per second from the Relay simulator (its own process, flows pre-encoded)
 * through the gRPC client and FlowStreamManager into the ring buffer and the stream's view, as the app
 * reads a stream (flows kept raw, decoded when shown),
 * and the ring buffer's memory at 100k flows (live: raw protobuf bytes; imported: decoded flows).
 *
 *   npx tsx --tsconfig tsconfig.node.json bench/flows.bench.ts [--flows N] [--runs R] [--no-memory]
 *
 * Target: >= 20k flows/s. Prints numbers; asserts nothing.
 */
import { spawnTsx, stopTsx } from './spawn-tsx';
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
import { flowToProto } from '../src-main/hubble/convert';
import { loadObserverProto } from '../src-main/hubble/proto-load';
import { scanFlowsResponse } from '../src-main/hubble/raw-flow';

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
  const child = spawnTsx(ROOT, 'test/hubble-sim/serve.ts', ['--flows', String(flows)]);
  const rl = createInterface({ input: child.stdout! });
  const [line] = (await once(rl, 'line')) as [string];
  const { address } = JSON.parse(line) as { address: string };
  return { address, stop: () => stopTsx(child) };
}

async function streamAll(
  address: string,
  flows: number,
): Promise<{ ms: number; views: number; held: number; cpuMs: number }> {
  const m = new FlowStreamManager({ bufferSize: 100_000 });
  // as the app reads a stream: through its view (counts by verdict, updates at most every 100 ms)
  let views = 0;
  m.on('view', () => views++);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { streamId } = m.start({ source: { kind: 'server', address }, filter: { last: flows } });
  m.setView(streamId, {});
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
  return { ms, views, held, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** heap + ArrayBuffer bytes (raw flows keep their protobuf bytes outside the JS heap) */
function usedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** bytes the store holds once filled (its inputs are built before the first reading, so they do not count) */
function measureStore(fill: (store: FlowStore) => void): { bytes: number; perFlow: number } {
  gc();
  gc();
  const before = usedBytes();
  const store = new FlowStore(100_000);
  fill(store);
  gc();
  gc();
  const after = usedBytes();
  if (store.size !== 100_000) throw new Error('store not full');
  return { bytes: after - before, perFlow: (after - before) / store.size };
}

/** The ring buffer at 100k flows: as a live stream fills it (raw from gRPC), and from an imported file. */
function memoryAt100k(): {
  live: { bytes: number; perFlow: number };
  imported: { bytes: number; perFlow: number };
} {
  const flows = syntheticFlows(100_000);
  const { observerService } = loadObserverProto();
  // what arrives on the wire: GetFlowsResponse messages
  let wire: Buffer[] | undefined = flows.map((f) =>
    observerService.GetFlows.responseSerialize({ flow: flowToProto(f) }),
  );
  const live = measureStore((store) => {
    for (const b of wire!) {
      const scanned = scanFlowsResponse(b);
      if ('flow' in scanned) store.push(scanned.flow);
    }
  });
  wire = undefined;
  const text = exportFlowLines(flows);
  const imported = measureStore((store) => store.pushMany(parseFlowLines(text).flows));
  return { live, imported };
}

const load = os.loadavg()[0];
console.log(`machine: ${os.cpus().length} cores, load average ${load.toFixed(1)}; node ${process.version}`);
console.log(`starting the Hubble Relay simulator with ${N} flows (pre-encoded, own process)...`);
const sim = await startSimProcess(N);
try {
  const rows: string[] = [];
  for (let r = 1; r <= RUNS; r++) {
    const { ms, views, held, cpuMs } = await streamAll(sim.address, N);
    rows.push(
      `run ${r}: ${held} flows in ${(ms / 1000).toFixed(2)} s = ${Math.round((held / ms) * 1000).toLocaleString('en')} flows/s wall clock; client CPU ${((cpuMs * 1000) / held).toFixed(1)} µs/flow = ${Math.round((held / cpuMs) * 1000).toLocaleString('en')} flows per CPU-second (${views} view updates)`,
    );
    console.log(rows.at(-1));
  }
} finally {
  sim.stop();
}
if (argv.includes('--no-memory')) process.exit(0);
const mem = memoryAt100k();
const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
console.log(
  `ring buffer at 100k flows: live (raw protobuf, decoded when shown) ${mib(mem.live.bytes)} MiB (${Math.round(mem.live.perFlow)} bytes/flow); imported from a file (decoded) ${mib(mem.imported.bytes)} MiB (${Math.round(mem.imported.perFlow)} bytes/flow); heap + ArrayBuffers`,
);
console.log(`target: >= 20,000 flows/s from the simulator through the client into the store`);
