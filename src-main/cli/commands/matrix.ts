import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { addSourceOptions } from '../source';
import type { SourceOptions } from '../source';
import type { MatrixResult } from '@shared/engine/types';
import { asBadInput, engineFor, parsePortOption } from './trace';

interface MatrixOptions extends SourceOptions {
  port: string;
  protocol?: string;
  json?: boolean;
  format?: string;
}

const FORMATS = ['json', 'summary', 'compact', 'text'] as const;
type Format = (typeof FORMATS)[number];

/** Writes with backpressure: waits for 'drain' when the stream's buffer is full. */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Buffers small pieces into ~64 KiB chunks before writing them. */
class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly out: Writable) {}
  async add(s: string): Promise<void> {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 65536) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await write(this.out, chunk);
  }
}

function header(m: MatrixResult): string {
  return `"port":${m.port},${m.portName !== undefined ? `"portName":${JSON.stringify(m.portName)},` : ''}"protocol":${JSON.stringify(m.protocol)}`;
}

/** `{"port":N,"protocol":"TCP","matrix":{"ns/pod":{"ns/pod":true|false}}}`, one source row at a time. */
export async function streamMatrixJson(m: MatrixResult, out: Writable): Promise<void> {
  const w = new ChunkWriter(out);
  const keys = m.pods.map((p) => JSON.stringify(p));
  const n = keys.length;
  await w.add(`{${header(m)},"matrix":{`);
  for (let s = 0; s < n; s++) {
    const row: string[] = new Array<string>(n);
    for (let d = 0; d < n; d++) row[d] = `${keys[d]}:${m.allowed(s, d) ? 'true' : 'false'}`;
    await w.add(`${s ? ',' : ''}${keys[s]}:{${row.join(',')}}`);
  }
  await w.add('}}\n');
  await w.flush();
}

/** Pods grouped into equivalence classes and the allowed class pairs: small even for 50k pods. */
export async function streamMatrixCompact(m: MatrixResult, out: Writable): Promise<void> {
  const w = new ChunkWriter(out);
  await w.add(`{${header(m)},"pods":[`);
  for (let i = 0; i < m.pods.length; i++) await w.add(`${i ? ',' : ''}${JSON.stringify(m.pods[i])}`);
  const members: number[][] = Array.from({ length: m.classCount }, () => []);
  for (let i = 0; i < m.pods.length; i++) members[m.classOf[i]].push(i);
  await w.add('],"classes":[');
  for (let c = 0; c < members.length; c++) await w.add(`${c ? ',' : ''}[${members[c].join(',')}]`);
  await w.add('],"allowed":[');
  const pairs = m.allowedClassPairs();
  for (let i = 0; i < pairs.length; i++) await w.add(`${i ? ',' : ''}[${pairs[i][0]},${pairs[i][1]}]`);
  await w.add(']}\n');
  await w.flush();
}

export function matrixSummary(m: MatrixResult): {
  port: number;
  portName?: string;
  protocol: string;
  pods: number;
  pairs: number;
  allowed: number;
  denied: number;
  seconds: number;
  classes: number;
  skipped: string[];
} {
  const size = new Array<number>(m.classCount).fill(0);
  for (let i = 0; i < m.pods.length; i++) size[m.classOf[i]]++;
  let allowed = 0;
  for (const [a, b] of m.allowedClassPairs()) allowed += size[a] * size[b];
  const pairs = m.pods.length * m.pods.length;
  return {
    port: m.port,
    ...(m.portName !== undefined ? { portName: m.portName } : {}),
    protocol: m.protocol,
    pods: m.pods.length,
    pairs,
    allowed,
    denied: pairs - allowed,
    seconds: Number(m.seconds.toFixed(4)),
    classes: m.classCount,
    skipped: m.skipped,
  };
}

function textTable(m: MatrixResult): string {
  const s = matrixSummary(m);
  const port = m.portName ? `${m.portName} (${m.port})/${m.protocol}` : `${m.port}/${m.protocol}`;
  const lines = [
    `Matrix for ${port}: ${s.pods} pods in ${s.classes} classes, ${s.allowed} of ${s.pairs} pairs allowed, ${s.denied} denied (${s.seconds}s).`,
  ];
  if (m.pods.length && m.pods.length <= 40) {
    lines.push('', 'rows: source, columns: destination (numbered as listed); + allowed, . denied');
    const w = String(m.pods.length).length;
    lines.push(`${' '.repeat(w + 2)}${m.pods.map((_, i) => String(i + 1).padStart(w)).join(' ')}`);
    for (let a = 0; a < m.pods.length; a++)
      lines.push(
        `${String(a + 1).padStart(w)}  ${m.pods.map((_, b) => (m.allowed(a, b) ? '+' : '.').padStart(w)).join(' ')}  ${m.pods[a]}`,
      );
  } else if (m.pods.length) lines.push('(more than 40 pods: use --format json, compact or summary)');
  if (m.skipped.length) lines.push('', `skipped (no pod IP): ${m.skipped.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** `netpol-doctor matrix --port PORT [--json | --format json|summary|compact]` (cli-conventions.md). */
export function registerMatrix(program: Command): void {
  addSourceOptions(
    program
      .command('matrix')
      .description(
        'connectivity of every pod pair (self included) on one port, computed on equivalence classes of pods',
      )
      .requiredOption('--port <port>', 'N/PROTO or NAME/PROTO (PROTO defaults to TCP)')
      .option('--protocol <proto>', 'TCP, UDP or SCTP (when not given in --port)')
      .option('--json', 'the full matrix as JSON (same as --format json), streamed')
      .option('--format <format>', 'json | summary | compact | text (default text)'),
  ).action(async (opts: MatrixOptions) => {
    const requested = opts.format ?? (opts.json ? 'json' : 'text');
    if (!(FORMATS as readonly string[]).includes(requested))
      throw new CliError(`unknown --format "${requested}": use json, summary, compact or text`);
    if (opts.json && requested !== 'json') throw new CliError(`--json conflicts with --format ${requested}`);
    const format = requested as Format;
    const { port, protocol } = await parsePortOption(opts.port, opts.protocol);
    const engine = await engineFor(opts);
    const m = await asBadInput(() => engine.matrix({ port, protocol }));
    const out = process.stdout;
    if (format === 'json') await streamMatrixJson(m, out);
    else if (format === 'compact') await streamMatrixCompact(m, out);
    else if (format === 'summary') await write(out, `${JSON.stringify(matrixSummary(m))}\n`);
    else await write(out, textTable(m));
  });
}
