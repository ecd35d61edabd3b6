/**
 * Benchmark: is the flow table still responsive while Hubble streams fast? The whole real path:
 * Hubble Relay simulator (its own process, a follow stream at --rate flows/s) → the Kubernetes API
 * simulator's port-forward (as `hubble --port-forward` reaches Relay) → the browser-mode host (gRPC
 * client, FlowStreamManager, WebSocket API) → the renderer in headless Chromium, where a user picked the
 * context, opened Flows and clicked "Live from Hubble". For --seconds seconds a requestAnimationFrame loop
 * in the page records frame times while the bench scrolls the virtualized table up and down.
 *
 *   npx tsx --tsconfig tsconfig.node.json bench/ui-frames.bench.ts [--rate R] [--seconds S]
 *
 * Prints numbers; asserts nothing. Skips (exit 0) when Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHostProcess, type StartedHost } from '../e2e/host-process';
import { DEMO_SCENARIO_PATH, startK8sSim, type K8sSim } from '../test/k8s-sim/index';
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
const RELAY_POD = 'hubble-relay-6b9c7d8f5-zx7vq';
const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const RATE = opt('--rate', 20_000);
const SECONDS = opt('--seconds', 10);
const WARMUP_MS = 1000;
/** the renderer's flow buffer (src-renderer/stores/flows.ts DEFAULT_BUFFER) */
const TABLE_BUFFER = 100_000;
/** the whole run (after a build, if one was needed) stops by itself within this */
const WATCHDOG_MS = 60_000 + SECONDS * 1000;

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
let k8s: K8sSim | undefined;
let host: StartedHost | undefined;
let browser: Browser | undefined;
let tmp: string | undefined;
let cleaning: Promise<void> | undefined;
const started = performance.now();
/** progress on stderr, so a slow step is visible */
const step = (what: string) =>
  process.stderr.write(`  [${((performance.now() - started) / 1000).toFixed(1)} s] ${what}\n`);
let wsFlows = 0;
let wsCounting = false;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close().catch(() => undefined);
    await host?.stop().catch(() => undefined);
    hubble?.stop();
    await k8s?.close().catch(() => undefined);
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
  k8s = await startK8sSim({ scenario: DEMO_SCENARIO_PATH });
  k8s.setPortForwardTarget('kube-system', RELAY_POD, 4245, hubble.port);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'npd-ui-frames-'));
  const kubeconfig = path.join(tmp, 'config');
  k8s.writeKubeconfig(kubeconfig, { users: ['admin'], currentContext: 'sim-admin' });
  step('starting the browser-mode host');
  host = await startHostProcess(['--web', '--context', 'sim-admin'], {
    env: { KUBECONFIG: kubeconfig, NETPOL_NO_REBUILD: '1' },
    timeoutMs: 30_000,
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
  // flows delivered to the renderer: counted from the WebSocket frames Chromium reports (no page cost);
  // the app opens its socket while loading, so listen before navigating
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (!wsCounting || typeof payload !== 'string' || !payload.includes('"flows.batch"')) return;
      const msg = JSON.parse(payload) as { event?: string; payload?: { flows?: unknown[] } };
      if (msg.event === 'flows.batch') wsFlows += msg.payload?.flows?.length ?? 0;
    }),
  );
  step('opening the app on context sim-admin');
  await page.goto(host.url);
  await page.getByTestId('active-source').filter({ hasText: 'sim-admin' }).waitFor({ timeout: 30_000 });
  await page.evaluate("location.hash = '#/flows'");
  return page;
}

interface Measured {
  /** the measured window, in the page's clock (frames) and the bench's (counts) */
  wallMs: number;
  wsFlows: number;
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
    chromium: treeCpuMs(process.pid, { exclude: [sim, hostPid], withoutRoot: true }),
    bench,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(page: Page): Promise<Measured> {
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
  step(`live; the simulator streams ${RATE} flows/s`);
  hubble!.setRate(RATE);
  await page.getByTestId('flow-table').waitFor({ timeout: 15_000 });
  const box = await page.getByTestId('flow-table').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await sleep(WARMUP_MS); // the pipeline reaches its steady state

  step('measuring');
  await page.evaluate(PAGE_PROBE);
  wsCounting = true;
  const seen0 = await hubble!.seen();
  const cpu0 = cpuNow();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
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
  const cpu1 = cpuNow();
  const seen1Reply = hubble!.seen();
  hubble!.setRate(0); // lets a saturated pipeline catch up, so collecting is quick
  const seen1 = await seen1Reply;
  step('collecting');
  const frames = (await page.evaluate('(window.__npdRun = false, window.__npdProbe)')) as PageFrames;
  await page.keyboard.press('End');
  return {
    wallMs,
    wsFlows,
    simRate: ((seen1.seen - seen0.seen) / (seen1.ms - seen0.ms)) * 1000,
    frames,
    scrolls,
    cpu: {
      simulator: cpu1.simulator - cpu0.simulator,
      host: cpu1.host - cpu0.host,
      chromium: cpu1.chromium - cpu0.chromium,
      bench: cpu1.bench - cpu0.bench,
    },
  };
}

try {
  console.log(
    `machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; node ${process.version}; Chromium headless (${CHROMIUM})`,
  );
  console.log(
    `path: Hubble Relay simulator (own process, follow stream from ${RATE} flows/s; 1 s warm-up, then ${SECONDS} s measured) → K8s API simulator port-forward → browser-mode host → renderer`,
  );
  const page = await startApp();
  const m = await measure(page);
  const s = frameStats(windowDeltas(m.frames.times, SECONDS * 1000));
  const sec = m.wallMs / 1000;
  const table = tableFillRate(m.frames.counts, SECONDS * 1000, TABLE_BUFFER);
  const lastCounts = parseTableCounts(m.frames.counts.at(-1)?.text ?? '');
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const ms = (n: number) => n.toFixed(1);
  const rows: [string, string][] = [
    ['offered rate (flows/s)', fmt(RATE)],
    ['simulator generated (flows/s)', fmt(m.simRate)],
    ['run (s)', sec.toFixed(1)],
    ['flows delivered to the renderer (WebSocket)', fmt(m.wsFlows)],
    ['renderer received (flows/s)', fmt(m.wsFlows / sec)],
    ['table rows added (flows/s, toolbar count while filling)', fmt(table.rate)],
    [
      `table buffer full (${fmt(TABLE_BUFFER)}) after (s)`,
      table.fullAfterMs === undefined ? 'not full' : (table.fullAfterMs / 1000).toFixed(1),
    ],
    ['toolbar at the end: in table / evicted', `${fmt(lastCounts.total)} / ${fmt(lastCounts.evicted)}`],
    ['wheel scrolls during the run', fmt(m.scrolls)],
    ['frames', fmt(s.frames)],
    ['frames/s', (s.frames / SECONDS).toFixed(1)],
    ['median frame (ms)', ms(s.median)],
    ['p95 frame (ms)', ms(s.p95)],
    ['p99 frame (ms)', ms(s.p99)],
    ['max frame (ms)', ms(s.max)],
    ['long frames (> 50 ms)', fmt(s.long)],
    ['time in long frames (ms)', fmt(s.longMs)],
  ];
  const cores = (ms: number) => `${((ms / m.wallMs) * 100).toFixed(0)} %`;
  rows.push(
    ['CPU: Hubble simulator (% of one core)', cores(m.cpu.simulator)],
    ['CPU: browser-mode host', cores(m.cpu.host)],
    ['CPU: Chromium (all processes)', cores(m.cpu.chromium)],
    ['CPU: this process (K8s API sim port-forward, Playwright)', cores(m.cpu.bench)],
  );
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v.padStart(10)}`);
  console.log(`target: >= 20,000 flows/s with the table staying responsive`);
} catch (err) {
  console.error(`ui-frames failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
