import { LineCounter, isCollection, isNode, parseAllDocuments, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';

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
    let lazy: ((path: PathSegment[]) => SourcePosition | undefined) | undefined;
    return [
      {
        value,
        locate(path) {
          if (!lazy) {
            const counter = new LineCounter();
            const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false });
            lazy = yamlLocator(doc, counter);
          }
          return lazy(path);
        },
      },
    ];
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
