/**
 * Times as `hubble observe --since/--until` take them: relative Go durations ("30s", "5m", "1h30m")
 * meaning "that long ago", or absolute dates (RFC 3339 with any fraction, "2006-01-02", "2006-01-02T15",
 * "2006-01-02T15:04"), always resolved to an RFC 3339 UTC string.
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;

export class FlowTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowTimeError';
  }
}

/** A Go duration string → milliseconds, or undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

/** Resolves a --since/--until value to an RFC 3339 UTC timestamp. Throws FlowTimeError with a clear message. */
export function resolveFlowTime(text: string, now: number = Date.now()): string {
  const t = text.trim();
  const rel = parseDurationMs(t);
  if (rel !== undefined) return new Date(now - rel).toISOString();
  let iso: string | undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) iso = `${t}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(t)) iso = `${t}:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(t)) iso = `${t}:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/.test(t))
    iso = t.replace(' ', 'T');
  if (iso) {
    const nanos = /\.(\d{1,9})/.exec(iso)?.[1];
    const ms = Date.parse(iso.replace(/\.(\d{1,9})/, (_m, f: string) => `.${f.slice(0, 3).padEnd(3, '0')}`));
    if (!Number.isNaN(ms)) {
      const base = new Date(ms).toISOString();
      // keep sub-millisecond precision the user gave
      return nanos && nanos.length > 3 ? base.replace(/\.\d{3}Z$/, `.${nanos.padEnd(9, '0')}Z`) : base;
    }
  }
  throw new FlowTimeError(
    `invalid time "${text}": use a relative duration like 30s, 5m, 1h30m, or an RFC 3339 time like 2026-03-02T10:15:00Z`,
  );
}

/** RFC 3339 time → [seconds, nanos] (full nanosecond precision, no float rounding). */
export function splitTimestamp(rfc3339: string): [number, number] {
  const m = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(rfc3339);
  if (!m) {
    const ms = Date.parse(rfc3339);
    if (Number.isNaN(ms)) throw new FlowTimeError(`invalid timestamp "${rfc3339}"`);
    return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
  }
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new FlowTimeError(`invalid timestamp "${rfc3339}"`);
  return [Math.floor(ms / 1000), Number((m[2] ?? '').padEnd(9, '0') || 0)];
}

/** [seconds, nanos] → RFC 3339 UTC with 0, 3, 6 or 9 fraction digits (as Go protojson prints). */
export function joinTimestamp(seconds: number, nanos: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!nanos) return `${base}Z`;
  let frac = String(nanos).padStart(9, '0');
  if (frac.endsWith('000000')) frac = frac.slice(0, 3);
  else if (frac.endsWith('000')) frac = frac.slice(0, 6);
  return `${base}.${frac}Z`;
}

/** Compares two RFC 3339 timestamps exactly (nanosecond precision). Negative when a < b. */
export function compareTimestamps(a: string, b: string): number {
  const [as, an] = splitTimestamp(a);
  const [bs, bn] = splitTimestamp(b);
  return as !== bs ? as - bs : an - bn;
}
