/**
 * Lines of the entries of a JSON expectations file, found by one scan of the text (JSON.parse gives values,
 * not positions). The text must be valid JSON (the caller parsed it already); the entries are the items of
 * the root array, or of the root object's "expectations" array (the last one, as JSON.parse keeps it).
 */

const SPACE = new Set([32, 9, 10, 13]);

/** 1-based line of every entry, or undefined when the root holds no such array. */
export function jsonEntryLines(text: string): number[] | undefined {
  let i = skipSpace(text, 0);
  let array = -1;
  if (text[i] === '[') array = i;
  else if (text[i] === '{') {
    i = skipSpace(text, i + 1);
    while (text[i] === '"') {
      const keyEnd = skipString(text, i);
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = skipSpace(text, skipSpace(text, keyEnd) + 1); // past ':'
      if (key === 'expectations') array = text[i] === '[' ? i : -1;
      i = skipSpace(text, skipValue(text, i));
      if (text[i] === ',') i = skipSpace(text, i + 1);
    }
  }
  if (array < 0) return undefined;
  const starts: number[] = [];
  i = skipSpace(text, array + 1);
  while (i < text.length && text[i] !== ']') {
    starts.push(i);
    i = skipSpace(text, skipValue(text, i));
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return offsetsToLines(text, starts);
}

function skipSpace(text: string, i: number): number {
  while (SPACE.has(text.charCodeAt(i))) i++;
  return i;
}

/** `text[i]` is `"`; the index after the closing quote. */
function skipString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** The index after the JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '[' || c === '{') {
    let depth = 0;
    while (i < text.length) {
      const ch = text.charCodeAt(i);
      if (ch === 34) {
        i = skipString(text, i);
        continue;
      }
      if (ch === 91 || ch === 123) depth++;
      else if (ch === 93 || ch === 125) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < text.length && !',]} \t\n\r'.includes(text[i])) i++;
  return i;
}

/** Ascending offsets → 1-based lines, in one pass over the newlines. */
function offsetsToLines(text: string, offsets: number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let nl = text.indexOf('\n');
  for (const off of offsets) {
    while (nl >= 0 && nl < off) {
      line++;
      nl = text.indexOf('\n', nl + 1);
    }
    lines.push(line);
  }
  return lines;
}
