/** Helpers of bench/ui-frames.bench.ts: the Hubble simulator in its own process, frame statistics, UI counts. */
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { spawnTsx, stopTsx } from '../spawn-tsx';

export interface SimProcess {
  address: string;
  port: number;
  /** starts/changes the follow stream (flows/s) */
  setRate(rate: number): void;
  /** flows the simulator generated so far, and when (ms, the simulator's clock) */
  seen(): Promise<{ seen: number; ms: number }>;
  pid: number;
  stop(): void;
}

/**
 * Starts bench/ui-frames/sim-process.ts (the Hubble Relay simulator) in its own process group with
 * `templates` synthetic flows as history and templates of the follow stream, which starts at setRate().
 */
export async function startHubbleSimProcess(root: string, opts: { templates: number }): Promise<SimProcess> {
  const child = spawnTsx(root, 'bench/ui-frames/sim-process.ts', ['--flows', String(opts.templates)]);
  const stop = () => stopTsx(child);
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  const rl = createInterface({ input: child.stdout! });
  rl.on('line', (line) => {
    const w = waiters.shift();
    if (w) w(line);
    else lines.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const l = lines.shift();
      if (l !== undefined) return resolve(l);
      waiters.push(resolve);
      child.once('exit', (code) =>
        reject(new Error(`the Hubble simulator exited (code ${String(code)}) before answering`)),
      );
    });
  try {
    const { address } = JSON.parse(await nextLine()) as { address: string };
    return {
      address,
      port: Number(address.split(':').pop()),
      setRate: (rate) => child.stdin!.write(`rate ${rate}\n`),
      seen: async () => {
        child.stdin!.write('seen\n');
        return JSON.parse(await nextLine()) as { seen: number; ms: number };
      },
      pid: child.pid!,
      stop,
    };
  } catch (err) {
    stop();
    throw err;
  }
}

export interface FrameStats {
  frames: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  /** frames longer than 50 ms, and the time spent in them */
  long: number;
  longMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function frameStats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const long = sorted.filter((d) => d > 50);
  return {
    frames: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    long: long.length,
    longMs: long.reduce((a, b) => a + b, 0),
  };
}

/** Reads "1,234 of 5,678 shown · 90 evicted from the buffer" (the Flows view's toolbar). */
export function parseTableCounts(text: string): { shown: number; total: number; evicted: number } {
  const num = (s: string | undefined) => Number((s ?? '0').replace(/[^\d]/g, '') || 0);
  const m = /([\d.,\s\u202f]+) of ([\d.,\s\u202f]+) shown(?:\s*·\s*([\d.,\s\u202f]+) evicted)?/.exec(text);
  if (!m) return { shown: 0, total: 0, evicted: 0 };
  return { shown: num(m[1]), total: num(m[2]), evicted: num(m[3]) };
}

/**
 * Frame deltas of the frames inside a window of `windowMs` from the first frame, plus the first frame
 * that ends after it (a frame that straddles the end was still a frame the user waited for).
 */
export function windowDeltas(times: number[], windowMs: number): number[] {
  if (times.length < 2) return [];
  const end = times[0]! + windowMs;
  const deltas: number[] = [];
  for (let i = 1; i < times.length; i++) {
    deltas.push(times[i]! - times[i - 1]!);
    if (times[i]! >= end) break;
  }
  return deltas;
}

/**
 * Rows the table gained per second while its buffer was filling (`total` only grows until the buffer is
 * full; after that the toolbar's eviction count is the only signal), from toolbar samples in the page's
 * clock, within `windowMs` of the first sample.
 */
export function tableFillRate(
  samples: { t: number; text: string }[],
  windowMs: number,
  bufferSize: number,
): { rate: number; fullAfterMs?: number } {
  const inWindow = samples.filter((s) => s.t <= (samples[0]?.t ?? 0) + windowMs);
  if (inWindow.length < 2) return { rate: NaN };
  const first = inWindow[0]!;
  const firstTotal = parseTableCounts(first.text).total;
  let last = first;
  let fullAfterMs: number | undefined;
  for (const s of inWindow.slice(1)) {
    const total = parseTableCounts(s.text).total;
    last = s;
    if (total >= bufferSize) {
      fullAfterMs = s.t - first.t;
      break;
    }
  }
  const gained = parseTableCounts(last.text).total - firstTotal;
  return { rate: last.t > first.t ? (gained / (last.t - first.t)) * 1000 : NaN, fullAfterMs };
}

/**
 * CPU time (ms, user + system) of every process under `root` (with `root` itself unless `withoutRoot`),
 * leaving out the subtrees of `exclude`; read from /proc (Linux; NaN elsewhere).
 */
export function treeCpuMs(root: number, opts: { exclude?: number[]; withoutRoot?: boolean } = {}): number {
  const tick = 1000 / 100; // USER_HZ
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return NaN;
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(e), Number(f[1]));
      cpu.set(Number(e), (Number(f[11]) + Number(f[12])) * tick);
    } catch {
      // the process ended meanwhile
    }
  }
  const excluded = new Set(opts.exclude ?? []);
  let total = 0;
  for (const [pid, ms] of cpu) {
    if (pid === root && opts.withoutRoot) continue;
    for (let p: number | undefined = pid; p && p > 1; p = parent.get(p)) {
      if (excluded.has(p)) break;
      if (p === root) {
        total += ms;
        break;
      }
    }
  }
  return total;
}
