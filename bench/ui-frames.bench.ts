/**
 * Benchmark: is the flow table still responsive while Hubble streams fast? The whole real path:
 * Hubble Relay simulator (its own process, a follow stream at --rate flows/s) → the Kubernetes API
 * simulator's port-forward (its own process; as `hubble --port-forward` reaches Relay) → the browser-mode
 * host (gRPC client, flow view, WebSocket API) → the renderer in headless Chromium, where a user opened the
 * context, went to Flows and clicked "Live from Hubble" (no shortcut: the UI's own button and API call).
 *
 * Two windows, each with a requestAnimationFrame loop in the page recording frame times and the Flows
 * toolbar's counts, while the bench scrolls the virtualized table with real wheel input (up 1.5 s, down
 * 1.5 s, ...): a baseline (4 s, a table of ~2,000 flows, no stream: what this machine's load alone costs)
 * and the stream (1 s warm-up, then --seconds). Flows reaching the app are counted from the view updates
 * the page receives (the host's buffer count; read from the WebSocket frames Chromium reports, no cost in
 * the page) and cross-checked with the toolbar's count; the simulator's own count says what it generated;
 * /proc says how much CPU each part used.
 *
 *   npx tsx --tsconfig tsconfig.node.json bench/ui-frames.bench.ts [--rate R] [--seconds S]
 *
 * Prints numbers; asserts nothing. Skips (exit 0) when Chromium is not installed. Stops by itself
 * (a watchdog ends it, cleaning up, if a step hangs).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHostProcess, type StartedHost } from '../e2e/host-process';
import { spawnTsx, stopTsx } from './spawn-tsx';
import {
  frameStats,
  parseTableCounts,
  startHubbleSimProcess,
  tableFillRate,
  treeCpuMs,
  windowDeltas,
  type SimProcess,
} from './ui-frames/support';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const RATE = opt('--rate', 20_000);
const SECONDS = opt('--seconds', 10);
const WARMUP_MS = 1000;
const BASELINE_SECONDS = 4;
/** the renderer's flow buffer (src-renderer/stores/flows.ts DEFAULT_BUFFER) */
const TABLE_BUFFER = 100_000;
/** the whole run (after a build, if one was needed) stops by itself within this */
const WATCHDOG_MS = 60_000 + (SECONDS + BASELINE_SECONDS) * 1000;

if (!existsSync(CHROMIUM)) {
  console.log(`skipped: Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`);
  process.exit(0);
}

if (
  !existsSync(path.join(ROOT, 'out', 'renderer', 'index.html')) ||
  !existsSync(path.join(ROOT, 'out', 'host', 'index.mjs'))
) {
  console.log('building the app first (out/ is missing)...');
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (b.status !== 0) {
    console.error('build failed');
    process.exit(1);
  }
}

let hubble: SimProcess | undefined;
let k8s: ChildProcess | undefined;
let host: StartedHost | undefined;
let browser: Browser | undefined;
let tmp: string | undefined;
let cleaning: Promise<void> | undefined;
const started = performance.now();
/** progress on stderr, so a slow step is visible */
const step = (what: string) =>
  process.stderr.write(`  [${((performance.now() - started) / 1000).toFixed(1)} s] ${what}\n`);
/** flows received into the host's buffer, as the last view update the page got says */
let received = 0;
let wsCounting = false;
let viewUpdates = 0;
let wsMessages = 0;
let wsBytes = 0;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close().catch(() => undefined);
    await host?.stop().catch(() => undefined);
    hubble?.stop();
    if (k8s) stopTsx(k8s);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

const watchdog = setTimeout(() => {
  console.error(`ui-frames: still running after ${WATCHDOG_MS / 1000} s; stopping`);
  void cleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => void cleanup().finally(() => process.exit(130)));

async function startApp(): Promise<Page> {
  step('starting the Hubble Relay and Kubernetes API simulators');
  hubble = await startHubbleSimProcess(ROOT, { templates: 2000 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'npd-ui-frames-'));
  const kubeconfig = path.join(tmp, 'config');
  // the Kubernetes API simulator in its own process, port-forwarding the relay pod to the Relay simulator
  k8s = spawnTsx(ROOT, 'bench/ui-frames/k8s-process.ts', [
    '--relay-port',
    String(hubble.port),
    '--kubeconfig',
    kubeconfig,
  ]);
  const [line] = (await once(createInterface({ input: k8s.stdout! }), 'line')) as [string];
  JSON.parse(line);
  step('starting the browser-mode host');
  // BENCH_HOST_PROFILE=DIR: a V8 CPU profile of the host, written there when it exits
  const profile = process.env.BENCH_HOST_PROFILE;
  host = await startHostProcess(['--web', '--context', 'sim-admin'], {
    env: { KUBECONFIG: kubeconfig, NETPOL_NO_REBUILD: '1' },
    timeoutMs: 30_000,
    ...(profile
      ? { command: [process.execPath, '--cpu-prof', `--cpu-prof-dir=${profile}`, 'scripts/start.mjs'] }
      : {}),
  });
  step('launching Chromium');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // what reaches the page: the WebSocket frames Chromium reports (no page cost) — view updates (they carry
  // the stream's received count) and row answers; the app opens its socket while loading, so listen first
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      if (wsCounting) {
        wsMessages++;
        wsBytes += payload.length;
      }
      if (!payload.includes('"flows.view"')) return;
      const msg = JSON.parse(payload) as { event?: string; payload?: { received?: number } };
      if (msg.event !== 'flows.view') return;
      received = Math.max(received, msg.payload?.received ?? 0);
      if (wsCounting) viewUpdates++;
    }),
  );
  step('opening the app on context sim-admin');
  await page.goto(host.url);
  await page.getByTestId('active-source').filter({ hasText: 'sim-admin' }).waitFor({ timeout: 30_000 });
  await page.evaluate("location.hash = '#/flows'");
  return page;
}

interface Measured {
  rate: number;
  seconds: number;
  /** the measured window, in the page's clock (frames) and the bench's (counts) */
  wallMs: number;
  /** flows received into the host's buffer during the window (from the view updates) */
  flowsIn: number;
  viewUpdates: number;
  wsMessages: number;
  wsBytes: number;
  /** flows/s the simulator generated during the window (its own clock) */
  simRate: number;
  /** CPU ms each part used during the window */
  cpu: Cpu;
  frames: PageFrames;
  scrolls: number;
}

/** timestamps of requestAnimationFrame callbacks, and the toolbar's count text sampled every 500 ms */
interface PageFrames {
  times: number[];
  counts: { t: number; text: string }[];
}

// The page side, as a string (nothing transpiled into it): a requestAnimationFrame loop recording frame
// times, and the Flows toolbar's "N of M shown · E evicted" text twice a second, all in the page's clock.
const PAGE_PROBE = `(() => {
  const w = window;
  const rec = { times: [], counts: [] };
  w.__npdProbe = rec;
  w.__npdRun = true;
  let nextCount = 0;
  const tick = (t) => {
    rec.times.push(t);
    if (t >= nextCount) {
      const el = document.querySelector('[data-testid=verdict-counts] > span:last-child');
      rec.counts.push({ t, text: el ? el.textContent : '' });
      nextCount = t + 500;
    }
    if (w.__npdRun) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

interface Cpu {
  simulator: number;
  host: number;
  chromium: number;
  k8s: number;
  bench: number;
}

/** CPU time so far of the Hubble simulator, the host, Chromium (all their processes) and this process */
function cpuNow(): Cpu {
  const own = process.cpuUsage();
  const bench = (own.user + own.system) / 1000;
  const sim = hubble!.pid;
  const hostPid = host!.child.pid!;
  return {
    simulator: treeCpuMs(sim),
    host: treeCpuMs(hostPid),
    k8s: treeCpuMs(k8s!.pid!),
    chromium: treeCpuMs(process.pid, { exclude: [sim, hostPid, k8s!.pid!], withoutRoot: true }),
    bench,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** clicks "Live from Hubble" and waits for the stream to be live and the table to hold a few flows */
async function goLive(page: Page): Promise<void> {
  step('Flows → Live from Hubble');
  await page.getByRole('button', { name: 'Live from Hubble' }).click();
  await page
    .getByTestId('stream-state')
    .filter({ hasText: 'Live' })
    .waitFor({ timeout: 30_000 })
    .catch(async (e: unknown) => {
      const bar = await page
        .getByTestId('stream-bar')
        .innerText()
        .catch(() => '(no stream bar)');
      throw new Error(`the stream did not go live: ${bar}`, { cause: e });
    });
  // a first table (about 2,000 flows) for the baseline, then silence until the pipeline is drained
  hubble!.setRate(2000);
  await page.getByTestId('flow-table').waitFor({ timeout: 15_000 });
  await sleep(1000);
  hubble!.setRate(0);
  const box = await page.getByTestId('flow-table').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let last = -1, i = 0; i < 20 && received !== last; i++) {
    last = received;
    await sleep(500);
  }
}

/**
 * One measured window of `seconds`: the simulator streams at `rate` (after a warm-up), the page records
 * frames and toolbar counts, and the bench scrolls the table with real wheel input.
 */
async function measureWindow(page: Page, rate: number, seconds: number): Promise<Measured> {
  if (rate > 0) {
    hubble!.setRate(rate);
    await sleep(WARMUP_MS); // the pipeline reaches its steady state
  }
  await page.evaluate(PAGE_PROBE);
  viewUpdates = 0;
  wsMessages = 0;
  wsBytes = 0;
  const received0 = received;
  wsCounting = true;
  const seen0 = await hubble!.seen();
  const cpu0 = cpuNow();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  // real wheel input over the table: up for 1.5 s, back down for 1.5 s, ...; one event in flight at a time
  // (Chromium answers a wheel event once the page handled it, so a busy page gets fewer)
  let scrolls = 0;
  while (performance.now() < end) {
    const up = Math.floor((performance.now() - t0) / 1500) % 2 === 0;
    const wheel = page.mouse.wheel(0, up ? -400 : 400).then(() => scrolls++);
    await Promise.race([wheel.catch(() => undefined), sleep(Math.max(0, end - performance.now()))]);
    await sleep(Math.min(100, Math.max(0, end - performance.now())));
  }
  const wallMs = performance.now() - t0;
  wsCounting = false;
  const flowsIn = received - received0;
  const cpu1 = cpuNow();
  const seen1Reply = hubble!.seen();
  hubble!.setRate(0); // lets a saturated pipeline catch up, so collecting is quick
  const seen1 = await seen1Reply;
  const frames = (await page.evaluate('(window.__npdRun = false, window.__npdProbe)')) as PageFrames;
  return {
    rate,
    seconds,
    wallMs,
    flowsIn,
    viewUpdates,
    wsMessages,
    wsBytes,
    simRate: ((seen1.seen - seen0.seen) / (seen1.ms - seen0.ms)) * 1000,
    frames,
    scrolls,
    cpu: {
      simulator: cpu1.simulator - cpu0.simulator,
      host: cpu1.host - cpu0.host,
      chromium: cpu1.chromium - cpu0.chromium,
      k8s: cpu1.k8s - cpu0.k8s,
      bench: cpu1.bench - cpu0.bench,
    },
  };
}

function report(runs: { label: string; m: Measured }[]): void {
  const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
  const rows: [string, ...string[]][] = [['', ...runs.map((r) => r.label)]];
  const add = (name: string, f: (m: Measured) => string) => rows.push([name, ...runs.map((r) => f(r.m))]);
  const cores = (m: Measured, v: number) => `${((v / m.wallMs) * 100).toFixed(0)} %`;
  add('offered rate (flows/s)', (m) => fmt(m.rate));
  add('simulator generated (flows/s)', (m) => fmt(m.simRate));
  add('measured (s)', (m) => (m.wallMs / 1000).toFixed(1));
  add('flows into the app (host buffer, per the view updates)', (m) => fmt(m.flowsIn));
  add('flows into the app (flows/s)', (m) => fmt((m.flowsIn / m.wallMs) * 1000));
  add('view updates the page received (per s; at most 10)', (m) =>
    (m.viewUpdates / (m.wallMs / 1000)).toFixed(1),
  );
  add(
    'WebSocket to the page (messages/s, KiB/s)',
    (m) => `${fmt(m.wsMessages / (m.wallMs / 1000))}, ${fmt(m.wsBytes / 1024 / (m.wallMs / 1000))}`,
  );
  add('table rows added (flows/s, toolbar count)', (m) =>
    fmt(tableFillRate(m.frames.counts, m.seconds * 1000, TABLE_BUFFER).rate),
  );
  add(`table buffer full (${fmt(TABLE_BUFFER)}) after (s)`, (m) => {
    const full = tableFillRate(m.frames.counts, m.seconds * 1000, TABLE_BUFFER).fullAfterMs;
    return full === undefined ? 'no' : (full / 1000).toFixed(1);
  });
  add('toolbar at the end: in table / evicted', (m) => {
    const c = parseTableCounts(m.frames.counts.at(-1)?.text ?? '');
    return `${fmt(c.total)} / ${fmt(c.evicted)}`;
  });
  add('wheel scrolls answered', (m) => fmt(m.scrolls));
  const stats = (m: Measured) => frameStats(windowDeltas(m.frames.times, m.seconds * 1000));
  add('frames', (m) => fmt(stats(m).frames));
  add('frames/s', (m) => (stats(m).frames / m.seconds).toFixed(1));
  add('median frame (ms)', (m) => ms(stats(m).median));
  add('p95 frame (ms)', (m) => ms(stats(m).p95));
  add('p99 frame (ms)', (m) => ms(stats(m).p99));
  add('max frame (ms)', (m) => ms(stats(m).max));
  add('long frames (> 50 ms)', (m) => fmt(stats(m).long));
  add('time in long frames (ms)', (m) => fmt(stats(m).longMs));
  add('CPU: Hubble simulator (% of one core)', (m) => cores(m, m.cpu.simulator));
  add('CPU: browser-mode host', (m) => cores(m, m.cpu.host));
  add('CPU: Chromium (all its processes)', (m) => cores(m, m.cpu.chromium));
  add('CPU: Kubernetes API simulator (port-forward)', (m) => cores(m, m.cpu.k8s));
  add('CPU: this process (Playwright)', (m) => cores(m, m.cpu.bench));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

try {
  console.log(
    `machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; node ${process.version}; Chromium headless (${CHROMIUM})`,
  );
  console.log(
    `path: Hubble Relay simulator (own process, follow stream) → K8s API simulator port-forward → browser-mode host → renderer`,
  );
  const page = await startApp();
  await goLive(page);
  step(`baseline: ${BASELINE_SECONDS} s scrolling a table of ~2,000 flows, no stream`);
  const baseline = await measureWindow(page, 0, BASELINE_SECONDS);
  step(`streaming ${RATE} flows/s: 1 s warm-up, then ${SECONDS} s measured, scrolling`);
  const streaming = await measureWindow(page, RATE, SECONDS);
  if (process.env.BENCH_SCREENSHOT) {
    await page.screenshot({ path: process.env.BENCH_SCREENSHOT });
    step(`screenshot: ${process.env.BENCH_SCREENSHOT}`);
  }
  step('done');
  report([
    { label: 'baseline', m: baseline },
    { label: 'streaming', m: streaming },
  ]);
  console.log(`target: >= 20,000 flows/s with the table staying responsive`);
} catch (err) {
  console.error(`ui-frames failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
