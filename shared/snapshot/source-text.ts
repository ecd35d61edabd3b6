import { LineCounter, isCollection, isNode, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { lineLocator } from '../text/lines';

/** Malformed YAML/JSON: says which file and where, so the user can open it at that line. */
export class SnapshotParseError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${message}`);
    this.name = 'SnapshotParseError';
  }
}

export type PathSegment = string | number;

export interface SourcePosition {
  line: number;
  column: number;
}

/** One top-level document of a file, with a way to find the line of any field inside it. */
export interface SourceDocument {
  value: unknown;
  /** position of the deepest existing node along `path` (1-based line and column) */
  locate(path: PathSegment[]): SourcePosition | undefined;
}

const MAX_ALIASES = 1000;

function yamlLocator(
  doc: Document,
  counter: LineCounter,
): (path: PathSegment[]) => SourcePosition | undefined {
  return (path) => {
    let node: unknown = doc.contents;
    let best: YamlNode | undefined = isNode(node) ? node : undefined;
    for (const seg of path) {
      if (!isCollection(node)) break;
      const next: unknown = node.get(seg, true);
      if (!isNode(next)) break;
      node = next;
      best = next;
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = counter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

function positionFromOffset(text: string, offset: number): SourcePosition {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** V8's JSON.parse messages carry "position N" or "(line L column C)". */
function jsonErrorPosition(text: string, message: string): SourcePosition | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return positionFromOffset(text, Number(pos[1]));
  if (/Unexpected end of JSON input/.test(message)) return positionFromOffset(text, text.length);
  return undefined;
}

function looksLikeJson(name: string, text: string): boolean {
  if (/\.json$/i.test(name)) return true;
  const m = /^\s*(\S)/.exec(text.length > 256 ? text.slice(0, 256) : text);
  return !!m && (m[1] === '{' || m[1] === '[');
}

/**
 * Reads one file's text into documents. JSON goes through JSON.parse (fast, for big `-o json` dumps);
 * line numbers for JSON are computed lazily from a YAML parse only when a finding needs one.
 */
export function readSourceDocuments(name: string, text: string): SourceDocument[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark (Windows editors, PowerShell)
  if (looksLikeJson(name, text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/\.json$/i.test(name)) {
        const pos = jsonErrorPosition(text, message);
        throw new SnapshotParseError(`invalid JSON: ${message}`, name, pos?.line, pos?.column);
      }
      return readYaml(name, text); // a YAML flow mapping that is not strict JSON
    }
    return [{ value, locate: jsonLocator(text) }];
  }
  return readYaml(name, text);
}

function readYaml(name: string, text: string): SourceDocument[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: true });
  if (!Array.isArray(docs)) return []; // empty stream
  const out: SourceDocument[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const firstLine = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new SnapshotParseError(`invalid YAML: ${firstLine}`, name, pos?.line, pos?.col);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      const pos = doc.range ? counter.linePos(doc.range[0]) : undefined;
      throw new SnapshotParseError(
        `invalid YAML: ${e instanceof Error ? e.message : String(e)}`,
        name,
        pos?.line,
        pos?.col,
      );
    }
    out.push({ value, locate: yamlLocator(doc, counter) });
  }
  return out;
}

// ---------------------------------------------------------------- JSON positions

/**
 * Finds where a path lies in JSON text without a second full parse: a small scanner that skips values,
 * with the offsets of the top-level `items` remembered after the first lookup, and line starts indexed
 * once. Big `kubectl get -o json` dumps (100 MB) stay fast even with many findings.
 */
function jsonLocator(text: string): (path: PathSegment[]) => SourcePosition | undefined {
  let itemOffsets: number[] | undefined;
  const ws = (i: number): number => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return i;
    }
  };
  const skipString = (i: number): number => {
    // i at the opening quote; returns the index after the closing quote
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 92) j++;
      else if (c === 34) return j + 1;
    }
    return text.length;
  };
  const skipValue = (i: number): number => {
    i = ws(i);
    const c = text.charCodeAt(i);
    if (c === 34) return skipString(i);
    if (c !== 123 && c !== 91) {
      while (i < text.length && !',}] \n\r\t'.includes(text[i])) i++;
      return i;
    }
    let depth = 0;
    for (; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 34) i = skipString(i) - 1;
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return i;
  };
  /** offset of the value at key/index `seg` inside the container starting at `i`, or -1 */
  const child = (i: number, seg: PathSegment): number => {
    i = ws(i);
    const open = text.charCodeAt(i);
    if (open === 123 && typeof seg === 'string') {
      i = ws(i + 1);
      while (text.charCodeAt(i) === 34) {
        const end = skipString(i);
        const key = JSON.parse(text.slice(i, end)) as string;
        i = ws(end);
        i = ws(i + 1); // ':'
        if (key === seg) return i;
        i = ws(skipValue(i));
        if (text.charCodeAt(i) === 44) i = ws(i + 1);
        else return -1;
      }
      return -1;
    }
    if (open === 91 && typeof seg === 'number') {
      i = ws(i + 1);
      for (let k = 0; text.charCodeAt(i) !== 93 && i < text.length; k++) {
        if (k === seg) return i;
        i = ws(skipValue(i));
        if (text.charCodeAt(i) === 44) i = ws(i + 1);
      }
      return -1;
    }
    return -1;
  };
  const position: (offset: number) => SourcePosition = lineLocator(text);
  return (path) => {
    let at = ws(0);
    let rest = path;
    if (path[0] === 'items' && typeof path[1] === 'number') {
      if (!itemOffsets) {
        itemOffsets = [];
        const arr = child(at, 'items');
        if (arr !== -1 && text.charCodeAt(ws(arr)) === 91) {
          let i = ws(ws(arr) + 1);
          while (i < text.length && text.charCodeAt(i) !== 93) {
            itemOffsets.push(i);
            i = ws(skipValue(i));
            if (text.charCodeAt(i) === 44) i = ws(i + 1);
            else break;
          }
        }
      }
      const off = itemOffsets[path[1]];
      if (off === undefined) return position(at);
      at = off;
      rest = path.slice(2);
    }
    for (const seg of rest) {
      const next = child(at, seg);
      if (next === -1) break;
      at = next;
    }
    return position(at);
  };
}
