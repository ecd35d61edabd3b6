/**
 * A fast reader for expectation files in YAML, with the line of every entry.
 *
 * The `yaml` package needs ~1-2 s (cold, on a shared 2-core machine) to read 5,000 entries; this reader
 * does it in tens of ms. It reads the entries in a narrow subset of YAML itself and hands every other
 * entry to `yaml` (all of them in one document of their own texts), so the result is always what `yaml`
 * gives for the whole file. It returns undefined (read the whole file with `yaml`) when the file's frame
 * is outside the subset or an entry `yaml` reads is broken.
 *
 * The frame: an optional leading `---`; comment and blank lines anywhere; no control characters but tabs
 * (a line holding a tab sends its entry to `yaml`); the root is a block sequence at column 0, or a map
 * whose only key is `expectations:` holding a block sequence.
 * The entries read here:
 *   - one line `- {k: v, ...}` / `- [..]` / `- scalar`, or a block map `- k: v` continued by `k: v`
 *     lines at the first key's column;
 *   - a map value is a scalar, a one-line flow sequence `[a, b]`, or a block sequence of scalars;
 *   - scalars are plain (one line, core schema: null, booleans, decimal integers, strings), single-quoted,
 *     or double-quoted with JSON escapes; keys are plain words, each once.
 * Anchors, aliases, tags, block scalars, multi-line scalars or flow collections, duplicate keys and every
 * other construct make the entry `yaml`'s.
 */

import { isSeq, parseDocument, type Node as YamlNode } from 'yaml';

export interface SimpleYamlList {
  /** the entries, as `yaml`'s `toJS` gives them */
  values: unknown[];
  /** 1-based line of each entry (its `-`) */
  lines: number[];
}

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

/** control characters but tab (a lone CR too), and characters YAML may read as line breaks or a BOM */
// eslint-disable-next-line no-control-regex -- finding control characters is its purpose
const FORBIDDEN_CHARS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;
const KEY = /([A-Za-z_][A-Za-z0-9_-]*):(?= |$)/y;
/** A plain-word key followed by `:` at `pos` of `text` (the match is its whole length). */
function keyAt(text: string, pos: number): RegExpExecArray | null {
  KEY.lastIndex = pos;
  return KEY.exec(text);
}
const NON_STRING_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|__proto__)$/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const DECIMAL = /^[-+]?[0-9]+$/;
/** every other core-schema number form (floats, octal, hex, .inf, .nan): left to `yaml` */
const OTHER_NUMBER =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** characters a plain scalar may not start with (YAML c-indicator), plus `-?:` before a space */
const INDICATOR_START = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?: |$))/;
const JSON_ESCAPES = /\\[^"\\/bfnrtu]/;

/** Without trailing spaces (only spaces: YAML keeps other white space, e.g. U+00A0, in a scalar). */
function trimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(0, end);
}

/** The value of a plain scalar (YAML 1.2 core schema), or Unsupported for forms we leave to `yaml`. */
function plainValue(s: string): unknown {
  if (!s || INDICATOR_START.test(s)) unsupported();
  if (NULL.test(s)) return null;
  if (TRUE.test(s)) return true;
  if (FALSE.test(s)) return false;
  if (DECIMAL.test(s)) return parseInt(s, 10);
  if (OTHER_NUMBER.test(s)) unsupported();
  return s;
}

/** One line of the file, read left to right. */
class Cursor {
  pos: number;
  constructor(
    readonly s: string,
    pos: number,
  ) {
    this.pos = pos;
  }
  spaces(): number {
    const start = this.pos;
    while (this.s.charCodeAt(this.pos) === 32) this.pos++;
    return this.pos - start;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  /** Only spaces or a comment (after at least one space) remain. */
  atLineEnd(): boolean {
    const had = this.spaces();
    return this.pos >= this.s.length || (had > 0 && this.s[this.pos] === '#');
  }
  expectLineEnd(): void {
    if (!this.atLineEnd()) unsupported();
  }

  quoted(): string {
    const { s } = this;
    const q = s[this.pos];
    if (q === "'") {
      let out = '';
      let i = this.pos + 1;
      for (;;) {
        const end = s.indexOf("'", i);
        if (end < 0) return unsupported();
        out += s.slice(i, end);
        if (s[end + 1] === "'") {
          out += "'";
          i = end + 2;
        } else {
          this.pos = end + 1;
          return out;
        }
      }
    }
    let i = this.pos + 1;
    for (;;) {
      const c = s[i];
      if (c === undefined) return unsupported();
      if (c === '\\') i += 2;
      else if (c === '"') break;
      else i++;
    }
    const body = s.slice(this.pos, i + 1);
    this.pos = i + 1;
    if (!body.includes('\\')) return body.slice(1, -1);
    if (JSON_ESCAPES.test(body)) unsupported();
    try {
      return JSON.parse(body) as string;
    } catch {
      return unsupported(); // e.g. `\u` without four hex digits: yaml reports it
    }
  }

  /** A scalar in block context: the rest of the line (without its comment). */
  blockScalar(): unknown {
    const c = this.peek();
    if (c === '"' || c === "'") {
      const v = this.quoted();
      this.expectLineEnd();
      return v;
    }
    const rest = this.s.slice(this.pos);
    const hash = rest.indexOf(' #');
    const text = trimSpaces(hash < 0 ? rest : rest.slice(0, hash));
    if (text.includes(': ') || text.endsWith(':')) unsupported();
    this.pos = this.s.length;
    return plainValue(text);
  }

  /** A scalar inside a flow collection: up to the next `,`, `]` or `}`. */
  flowScalar(): unknown {
    const c = this.peek();
    if (c === '"' || c === "'") return this.quoted();
    const { s } = this;
    let i = this.pos;
    while (i < s.length) {
      const ch = s[i];
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
      if (ch === ':' || (ch === '#' && s[i - 1] === ' ')) unsupported();
      i++;
    }
    const text = trimSpaces(s.slice(this.pos, i));
    this.pos = i;
    return plainValue(text);
  }

  flowSeq(): unknown[] {
    this.pos++; // [
    const out: unknown[] = [];
    this.spaces();
    if (this.peek() === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.spaces();
      const c = this.peek();
      if (c === '[') out.push(this.flowSeq());
      else if (c === '{') return unsupported();
      else out.push(this.flowScalar());
      this.spaces();
      const sep = this.peek();
      this.pos++;
      if (sep === ']') return out;
      if (sep !== ',') return unsupported();
      this.spaces();
      if (this.peek() === ']') unsupported(); // trailing comma
    }
  }

  flowMap(): Record<string, unknown> {
    this.pos++; // {
    const out: Record<string, unknown> = {};
    this.spaces();
    if (this.peek() === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.spaces();
      const m = keyAt(this.s, this.pos);
      if (!m || NON_STRING_KEY.test(m[1]) || m[1] in out) return unsupported();
      this.pos += m[0].length;
      this.spaces();
      const c = this.peek();
      if (c === '[') out[m[1]] = this.flowSeq();
      else if (c === '{' || c === ',' || c === '}' || c === '') return unsupported();
      else out[m[1]] = this.flowScalar();
      this.spaces();
      const sep = this.peek();
      this.pos++;
      if (sep === '}') return out;
      if (sep !== ',') return unsupported();
      this.spaces();
      if (this.peek() === '}') unsupported();
    }
  }
}

interface Line {
  /** 0-based line number */
  n: number;
  indent: number;
  text: string;
  /** holds a tab (white space or not, inside a comment or not: only `yaml` reads such an entry) */
  tab: boolean;
}

/** Reads `text` if it is in the subset above; undefined means "read it with `yaml`". */
export function readSimpleYamlList(text: string): SimpleYamlList | undefined {
  if (FORBIDDEN_CHARS.test(text.includes('\r') ? text.replace(/\r\n/g, '\n') : text)) return undefined;
  try {
    return readLines(meaningfulLines(text));
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/** The lines that are neither blank nor comments (and all the lines, for the entries `yaml` reads). */
function meaningfulLines(text: string): { lines: Line[]; raw: string[] } {
  const raw = text.split('\n');
  const out: Line[] = [];
  for (let n = 0; n < raw.length; n++) {
    let t = raw[n];
    if (t.endsWith('\r')) t = t.slice(0, -1);
    let indent = 0;
    while (t.charCodeAt(indent) === 32) indent++;
    const c = t[indent];
    if (c === undefined || c === '#') continue;
    if (indent === 0 && (t.startsWith('---') || t.startsWith('...') || c === '%')) {
      // a leading `---` (with nothing after it) is the only document marker we read
      if (out.length || !/^---(?: +(?:#.*)?)?$/.test(t)) unsupported();
      continue;
    }
    out.push({ n, indent, text: t, tab: t.includes('\t') });
  }
  return { lines: out, raw };
}

function readLines({ lines, raw }: { lines: Line[]; raw: string[] }): SimpleYamlList | undefined {
  const first = lines[0];
  if (!first || first.indent !== 0) return undefined;
  let i = 0;
  if (!isSeqItem(first.text, 0)) {
    const c = new Cursor(first.text, 0);
    const m = keyAt(first.text, 0);
    if (!m || m[1] !== 'expectations') return undefined;
    c.pos = m[0].length;
    c.expectLineEnd();
    i = 1;
    if (!lines[1] || !isSeqItem(lines[1].text, lines[1].indent)) return undefined;
  }
  const seqIndent = lines[i].indent;
  const values: unknown[] = [];
  const lineNumbers: number[] = [];
  const slow: SlowEntry[] = [];
  while (i < lines.length) {
    const l = lines[i];
    if (l.indent !== seqIndent || !isSeqItem(l.text, seqIndent)) return undefined;
    // the item runs to the next line at the sequence's indentation (YAML puts nothing of it there)
    let end = i + 1;
    while (end < lines.length && lines[end].indent > seqIndent) end++;
    let item: { value: unknown; next: number } | undefined;
    let tab = false;
    for (let k = i; k < end; k++) tab ||= lines[k].tab;
    try {
      if (!tab) item = readItem(lines, i);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
    }
    if (item && item.next === end) values.push(item.value);
    else {
      // an entry outside the subset: read below by the yaml package
      slow.push({ index: values.length, from: l.n, to: lines[end]?.n });
      values.push(undefined);
    }
    lineNumbers.push(l.n + 1);
    i = end;
  }
  if (slow.length) readEntriesWithYaml(raw, slow, values, lineNumbers);
  return { values, lines: lineNumbers };
}

/** An entry the fast reader leaves to `yaml`: its position in the list and its lines [from, to). */
interface SlowEntry {
  index: number;
  from: number;
  /** undefined: to the end of the file */
  to: number | undefined;
}

/**
 * The entries the fast reader left, read by `yaml` in one document made of their texts alone (an anchor in
 * one of them may serve another: fast entries hold none). Fills in their values and the lines of their
 * nodes. Errors, or aliases to anything else, leave the whole file to `yaml`.
 */
function readEntriesWithYaml(raw: string[], slow: SlowEntry[], values: unknown[], lines: number[]): void {
  const starts: number[] = [];
  let text = '';
  for (const e of slow) {
    starts.push(text.length);
    text += e.to === undefined ? raw.slice(e.from).join('\n') : `${raw.slice(e.from, e.to).join('\n')}\n`;
  }
  const doc = parseDocument(text);
  const seq = doc.contents;
  if (doc.errors.length || !isSeq(seq) || seq.items.length !== slow.length) return unsupported();
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return unsupported();
  }
  slow.forEach((e, k) => {
    values[e.index] = (js as unknown[])[k];
    // the entry's node may start below its `-` (e.g. `-` alone on its line)
    const start = (seq.items[k] as YamlNode | null)?.range?.[0] ?? starts[k];
    let below = 0;
    for (let nl = text.indexOf('\n', starts[k]); nl >= 0 && nl < start; nl = text.indexOf('\n', nl + 1))
      below++;
    lines[e.index] = e.from + 1 + below;
  });
}

function isSeqItem(text: string, indent: number): boolean {
  return text[indent] === '-' && (text.length === indent + 1 || text[indent + 1] === ' ');
}

/** The item whose `-` is on lines[i]; `next` is the index of the first line after it. */
function readItem(lines: Line[], i: number): { value: unknown; next: number } {
  const { text, indent } = lines[i];
  const c = new Cursor(text, indent + 1);
  if (c.spaces() === 0) unsupported(); // `-` alone: content on the next lines
  const col = c.pos;
  const ch = c.peek();
  let value: unknown;
  if (ch === '{' || ch === '[') {
    value = ch === '{' ? c.flowMap() : c.flowSeq();
    c.expectLineEnd();
  } else if (keyAt(text, col)) {
    return readBlockMap(lines, i, col);
  } else {
    value = c.blockScalar();
  }
  if (lines[i + 1] && lines[i + 1].indent > indent) unsupported(); // multi-line item
  return { value, next: i + 1 };
}

/** A block map whose keys sit at column `col`, starting on lines[i] at that column. */
function readBlockMap(lines: Line[], i: number, col: number): { value: unknown; next: number } {
  const seqIndent = lines[i].indent;
  const out: Record<string, unknown> = {};
  let first = true;
  while (i < lines.length) {
    const l = lines[i];
    if (!first) {
      if (l.indent <= seqIndent) break;
      if (l.indent !== col) unsupported();
    }
    first = false;
    const m = keyAt(l.text, col);
    if (!m || NON_STRING_KEY.test(m[1]) || m[1] in out) unsupported();
    const c = new Cursor(l.text, col + m![0].length);
    i++;
    if (c.atLineEnd()) {
      // an empty value: a block sequence of scalars on the next lines, or null
      const seq = readBlockSeq(lines, i, col);
      out[m![1]] = seq.value;
      i = seq.next;
      continue;
    }
    c.spaces();
    const ch = c.peek();
    if (ch === '[') {
      out[m![1]] = c.flowSeq();
      c.expectLineEnd();
    } else if (ch === '{') unsupported();
    else out[m![1]] = c.blockScalar();
    if (lines[i] && lines[i].indent > col) unsupported(); // continuation of the value
  }
  return { value: out, next: i };
}

/** `- scalar` lines after `key:` (at the key's column or deeper); null when there are none. */
function readBlockSeq(lines: Line[], i: number, keyCol: number): { value: unknown; next: number } {
  const l = lines[i];
  if (!l || l.indent < keyCol || !isSeqItem(l.text, l.indent)) {
    if (l && l.indent > keyCol) unsupported();
    return { value: null, next: i };
  }
  const indent = l.indent;
  const out: unknown[] = [];
  while (i < lines.length && lines[i].indent === indent && isSeqItem(lines[i].text, indent)) {
    const c = new Cursor(lines[i].text, indent + 1);
    if (c.spaces() === 0) unsupported();
    const ch = c.peek();
    if (ch === '{' || ch === '[' || ch === '#' || keyAt(lines[i].text, c.pos)) unsupported();
    out.push(c.blockScalar());
    i++;
    if (lines[i] && lines[i].indent > indent) unsupported();
  }
  if (lines[i] && lines[i].indent > keyCol) unsupported();
  return { value: out, next: i };
}
