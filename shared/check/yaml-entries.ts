/**
 * An expectations file's entries and the line of each, read with js-yaml's event API: one parse gives the
 * values (constructed from the events, YAML 1.2 core schema) and the offset where every node starts, so the
 * entries of the top-level list (or of the `expectations:` key) get their lines without a second pass.
 * 5,000 entries read in well under 100 ms (the `yaml` package's document API needed ~2 s for them).
 */
import {
  constructFromEvents,
  CORE_SCHEMA,
  EVENT_ID,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE,
  YAMLException,
  type Event,
} from 'js-yaml';
import { lineLocator } from '../text/lines';

/** Like the `yaml` package's maxAliasCount: aliases beyond this are a resource-exhaustion attempt. */
const MAX_ALIASES = 1000;

export class YamlEntriesError extends Error {
  constructor(
    message: string,
    /** 1-based */
    readonly line?: number,
    /** the YAML is fine but holds no expectations list */
    readonly notAList = false,
  ) {
    super(message);
    this.name = 'YamlEntriesError';
  }
}

function nodeStart(ev: Event, text: string): number {
  switch (ev.type) {
    case EVENT_ID.SEQUENCE:
    case EVENT_ID.MAPPING:
      return ev.start;
    case EVENT_ID.SCALAR:
      // a block scalar's node starts at its `|` or `>` indicator, before the content
      if (ev.style === SCALAR_STYLE.LITERAL_BLOCK || ev.style === SCALAR_STYLE.FOLDED_BLOCK)
        return text.lastIndexOf(ev.style === SCALAR_STYLE.LITERAL_BLOCK ? '|' : '>', ev.valueStart - 1);
      return ev.valueStart;
    case EVENT_ID.ALIAS:
      return ev.anchorStart;
    default:
      return -1;
  }
}

/** offset of the next block sequence indicator (a `-` with only spaces before it on its line) from `from` */
function nextDash(text: string, from: number): number {
  for (let i = text.indexOf('-', from); i >= 0; i = text.indexOf('-', i + 1)) {
    const after = text[i + 1];
    if (after !== undefined && after !== ' ' && after !== '\t' && after !== '\r' && after !== '\n') continue;
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    if (/^[ \t]*$/.test(text.slice(lineStart, i))) return i;
  }
  return from;
}

interface Frame {
  kind: 'doc' | 'seq' | 'map';
  /** children seen so far (a map's keys and values alternate) */
  children: number;
  /** this collection is the expectations list: record its children's starts */
  isList: boolean;
  /** for a map: the key just read */
  key?: string;
}

/**
 * Start offsets of the entries of the document's expectations list: the root sequence, or the value of
 * the root map's `expectations` key (undefined when there is no such list).
 */
function listEntryStarts(events: Event[], text: string): number[] | undefined {
  const stack: Frame[] = [];
  let starts: number[] | undefined;
  /** the furthest offset any node reached so far */
  let cursor = 0;
  for (const ev of events) {
    const at = nodeStart(ev, text);
    if (at >= 0) cursor = Math.max(cursor, at, ev.type === EVENT_ID.SCALAR ? ev.valueEnd : at);
    if (ev.type === EVENT_ID.DOCUMENT) {
      stack.push({ kind: 'doc', children: 0, isList: false });
      continue;
    }
    if (ev.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    const parent = stack.at(-1);
    if (!parent) continue;
    const position = parent.children++;
    // an empty (null) entry has no offset of its own: its `-` is the next one that starts a line
    if (parent.isList) {
      const start = at >= 0 ? at : nextDash(text, cursor);
      starts!.push(start);
      cursor = Math.max(cursor, start + 1);
    }
    const rootMapValue = parent.kind === 'map' && stack.length === 2 && position % 2 === 1;
    if (parent.kind === 'map' && position % 2 === 0)
      parent.key = ev.type === EVENT_ID.SCALAR ? getScalarValue(text, ev) : undefined;
    if (ev.type === EVENT_ID.SEQUENCE || ev.type === EVENT_ID.MAPPING) {
      const isList =
        ev.type === EVENT_ID.SEQUENCE &&
        ((parent.kind === 'doc' && stack.length === 1) || (rootMapValue && parent.key === 'expectations'));
      if (isList) starts = [];
      stack.push({ kind: ev.type === EVENT_ID.SEQUENCE ? 'seq' : 'map', children: 0, isList });
    }
  }
  return starts;
}

/**
 * The entries of an expectations file in YAML (JSON is YAML too) and their 1-based lines. Throws
 * YamlEntriesError (with the line) for invalid YAML, more than one document, or no expectations list.
 */
export function readYamlEntries(text: string, fileName?: string): { values: unknown[]; lines: number[] } {
  let events: Event[];
  let docs: unknown[];
  try {
    events = parseEvents(text, { filename: fileName });
    docs = constructFromEvents(events, {
      source: text,
      filename: fileName,
      schema: CORE_SCHEMA,
      maxAliases: MAX_ALIASES,
    });
  } catch (e) {
    if (e instanceof YAMLException)
      throw new YamlEntriesError(e.reason, e.mark ? e.mark.line + 1 : undefined);
    throw e;
  }
  if (docs.length > 1)
    throw new YamlEntriesError('the file holds several YAML documents; put all expectations in one');
  const root = docs[0];
  const list = Array.isArray(root) ? root : (root as { expectations?: unknown } | null)?.expectations;
  const starts = listEntryStarts(events, text);
  if (!Array.isArray(list) || !starts || starts.length !== list.length)
    throw new YamlEntriesError(
      'expected a list of expectations (or a map with an "expectations:" list)',
      undefined,
      true,
    );
  const locate = lineLocator(text);
  return { values: list, lines: starts.map((o) => locate(o).line) };
}
