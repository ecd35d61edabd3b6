import type { Verdict } from '../engine/types';
import type { Protocol } from '../k8s/types';
import { jsonEntryLines } from './json-lines';
import { readYamlEntries, YamlEntriesError } from './yaml-entries';

/**
 * Expectations file (YAML or JSON; documented by schemas/expectations.schema.json):
 *
 *   expectations:
 *     - {name: web may reach api, from: frontend/app=web, to: backend/app=api, port: 8080/TCP, expect: allowed}
 *     - {from: [monitoring/*, frontend/*], to: [data/*], ports: [5432, 9187], expect: denied}   # matrix
 *
 * A top-level list of entries is accepted too.
 */

export interface PortSpec {
  /** a number, or a named port resolved on each destination pod */
  port: number | string;
  protocol: Protocol;
}

export interface ExpectationEntry {
  /** 0-based position in the file */
  index: number;
  /** 1-based line of the entry in the file, when known */
  line?: number;
  name?: string;
  from: string[];
  to: string[];
  ports: PortSpec[];
  expect: Verdict;
}

export interface Expectations {
  fileName: string;
  entries: ExpectationEntry[];
}

export class ExpectationsError extends Error {
  constructor(
    message: string,
    readonly fileName: string,
    readonly problems: { entry?: number; line?: number; message: string }[],
  ) {
    super(message);
    this.name = 'ExpectationsError';
  }
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);
const KNOWN_KEYS = new Set(['name', 'from', 'to', 'port', 'ports', 'protocol', 'expect']);

/** `8080`, `8080/TCP`, `53/udp`, `http`, `dns/UDP` → PortSpec. */
export function parsePortSpec(value: unknown, defaultProtocol: Protocol = 'TCP'): PortSpec | string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      return `port ${value} is not between 1 and 65535`;
    return { port: value, protocol: defaultProtocol };
  }
  if (typeof value !== 'string' || !value.trim()) return 'port must be a number, "N/PROTO" or a port name';
  const [p, proto, extra] = value.trim().split('/');
  if (extra !== undefined) return `cannot read port "${value}" (expected N/PROTO)`;
  const protocol = (proto ?? defaultProtocol).toUpperCase();
  if (!PROTOCOLS.has(protocol)) return `unknown protocol "${proto}" in port "${value}" (TCP, UDP or SCTP)`;
  if (/^\d+$/.test(p)) {
    const n = Number(p);
    if (n < 1 || n > 65535) return `port ${n} is not between 1 and 65535`;
    return { port: n, protocol: protocol as Protocol };
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(p) || !/[a-z]/.test(p))
    return `"${p}" is neither a port number nor a valid port name`;
  return { port: p, protocol: protocol as Protocol };
}

function endpointList(v: unknown, field: string): string[] | string {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return `${field} is an empty list`;
  const out: string[] = [];
  for (const x of list) {
    if (typeof x !== 'string' || !x.trim())
      return `${field} must be a string (ns/pod, ns/*, ns/key=value, */key=value, an IP) or a list of them`;
    out.push(x.trim());
  }
  return out;
}

/**
 * The list of raw entries and the line of each. JSON: JSON.parse plus one scan for the entries' lines;
 * YAML: js-yaml's events (yaml-entries.ts), values and entry lines in one parse.
 */
function readDocument(text: string, fileName: string): { values: unknown[]; lines?: (number | undefined)[] } {
  const notAList = () =>
    new ExpectationsError(
      `${fileName}: expected a list of expectations (or a map with an "expectations:" list)`,
      fileName,
      [{ message: 'no expectations list' }],
    );
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    let js: unknown;
    try {
      js = JSON.parse(text);
    } catch {
      js = undefined; // not strict JSON (e.g. YAML flow style): read it as YAML below, with line numbers
    }
    if (js !== undefined) {
      const list = Array.isArray(js) ? js : (js as { expectations?: unknown } | null)?.expectations;
      if (!Array.isArray(list)) throw notAList();
      const lines = jsonEntryLines(text);
      return { values: list, lines: lines?.length === list.length ? lines : undefined };
    }
  }
  try {
    return readYamlEntries(text, fileName);
  } catch (e) {
    if (!(e instanceof YamlEntriesError)) throw e;
    if (e.notAList) throw notAList();
    throw new ExpectationsError(
      `${fileName}${e.line ? `:${e.line}` : ''}: not valid YAML/JSON: ${e.message.split('\n')[0]}`,
      fileName,
      [{ line: e.line, message: e.message }],
    );
  }
}

/** Reads an expectations file. Throws ExpectationsError listing every problem with its entry and line. */
export function parseExpectations(text: string, fileName: string): Expectations {
  const { values, lines } = readDocument(text, fileName);
  const problems: { entry?: number; line?: number; message: string }[] = [];
  const entries: ExpectationEntry[] = [];
  values.forEach((raw, index) => {
    const line = lines?.[index];
    const where = `entry ${index + 1}${line ? ` (line ${line})` : ''}`;
    const fail = (message: string) =>
      problems.push({ entry: index, line, message: `${fileName}: ${where}: ${message}` });
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return fail('must be a map with from, to, port and expect');
    const o = raw as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!KNOWN_KEYS.has(k)) fail(`unknown field "${k}" (allowed: ${[...KNOWN_KEYS].join(', ')})`);
    if (o.name !== undefined && typeof o.name !== 'string') fail('name must be a string');
    const from = endpointList(o.from, 'from');
    const to = endpointList(o.to, 'to');
    if (o.from === undefined) fail('from is missing');
    else if (typeof from === 'string') fail(from);
    if (o.to === undefined) fail('to is missing');
    else if (typeof to === 'string') fail(to);
    let defaultProtocol: Protocol = 'TCP';
    if (o.protocol !== undefined) {
      const p = String(o.protocol).toUpperCase();
      if (!PROTOCOLS.has(p)) fail(`unknown protocol "${String(o.protocol)}" (TCP, UDP or SCTP)`);
      else defaultProtocol = p as Protocol;
    }
    if (o.port !== undefined && o.ports !== undefined) fail('give either port or ports, not both');
    const rawPorts = o.ports !== undefined ? o.ports : o.port;
    const ports: PortSpec[] = [];
    if (rawPorts === undefined) fail('port is missing (a number, "N/PROTO" or a port name)');
    else {
      const list = Array.isArray(rawPorts) ? rawPorts : [rawPorts];
      if (!list.length) fail('ports is an empty list');
      for (const p of list) {
        const spec = parsePortSpec(p, defaultProtocol);
        if (typeof spec === 'string') fail(spec);
        else ports.push(spec);
      }
    }
    if (o.expect !== 'allowed' && o.expect !== 'denied')
      fail(
        `expect must be "allowed" or "denied"${o.expect === undefined ? ' (missing)' : `, not "${String(o.expect)}"`}`,
      );
    if (problems.some((p) => p.entry === index)) return;
    entries.push({
      index,
      line,
      name: o.name as string | undefined,
      from: from as string[],
      to: to as string[],
      ports,
      expect: o.expect as Verdict,
    });
  });
  if (problems.length) {
    throw new ExpectationsError(problems.map((p) => p.message).join('\n'), fileName, problems);
  }
  if (!entries.length)
    throw new ExpectationsError(`${fileName}: the expectations list is empty`, fileName, [
      { message: 'empty' },
    ]);
  return { fileName, entries };
}
