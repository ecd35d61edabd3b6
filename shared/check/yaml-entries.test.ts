import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { jsonEntryLines } from './json-lines';
import { readYamlEntries } from './yaml-entries';

const file = (p: string) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');

/** What the `yaml` package reads: the entries and their lines, or 'error' / 'no list'. */
function yamlOracle(text: string): { values: unknown[]; lines: number[] } | 'error' | 'no list' {
  try {
    return yamlOracleOrThrow(text);
  } catch {
    return 'error'; // e.g. an alias to no anchor
  }
}

function yamlOracleOrThrow(text: string): { values: unknown[]; lines: number[] } | 'error' | 'no list' {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) return 'error';
  const root = doc.contents;
  const seq = isMap(root) ? (root.get('expectations', true) as YamlNode | undefined) : root;
  if (!isSeq(seq)) return 'no list';
  const js = doc.toJS() as unknown;
  const values = (Array.isArray(js) ? js : (js as { expectations: unknown[] }).expectations) as unknown[];
  return { values, lines: seq.items.map((n) => lc.linePos((n as YamlNode).range![0]).line) };
}

// ---- a generator of expectation files: typical shapes (`safe`) or with risky pieces mixed in

const SAFE_SCALARS = [
  'a/b',
  'frontend/app=web',
  'backend/*',
  '*/k8s-app=kube-dns',
  '10.0.1.11',
  '10.0.0.0/8',
  '8080',
  '0',
  '053',
  '-5',
  '+7',
  '53/UDP',
  'dns/udp',
  'allowed',
  'denied',
  'web may reach api',
  'a#b',
  'x,y',
  'a]b',
  'null',
  'Null',
  '~',
  'true',
  'FALSE',
  'yes',
  'on',
  'ünïcødé',
  'nbsp\u00a0',
  'it is "quoted"',
];
const RISKY_SCALARS = [
  '1.5',
  '1e3',
  '.5',
  '0x1F',
  '0o17',
  '.inf',
  '-.Inf',
  '.nan',
  'fd00::1',
  'a: b',
  'a:',
  ':a',
  '-',
  '- a',
  '-a',
  '? a',
  '?a',
  '*x',
  '&x',
  '&x a/b',
  '*x ',
  '!t',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  '#x',
  'a #b',
  '[a]',
  '{a}',
  '',
  ' ',
  'a\tb',
  'a\\b',
  '"\\uZZ"',
  '"\\u00e9\\x41"',
  "it's",
  'a\rb',
  '\u0085',
  '__proto__',
];
const SAFE_KEYS = ['from', 'to', 'port', 'ports', 'protocol', 'expect', 'name', 'colour', 'x-y', 'on'];
const RISKY_KEYS = ['null', 'true', '__proto__', 'a b', '"q"', "'q'", '1', '<<', 'from', '? k'];
const RISKY_CHARS = 'a1u #:-[]{},"\'\\./=*&!|>?%@\t\r\n\u00a0\u3000'.split('');

interface Style {
  risky: boolean;
}
const scalarText = (risky: boolean, flow = false) =>
  fc
    .tuple(
      risky
        ? fc.oneof(
            fc.constantFrom(...SAFE_SCALARS, ...RISKY_SCALARS),
            fc.string({ unit: fc.constantFrom(...RISKY_CHARS), maxLength: 6 }),
          )
        : fc.constantFrom(...SAFE_SCALARS),
      fc.constantFrom('plain', 'single', 'double'),
    )
    .map(([s, q]) => {
      if (q === 'single') return `'${s.replace(/'/g, "''")}'`;
      if (q === 'double') return JSON.stringify(s);
      // typical files quote what YAML would not read as one plain scalar there (risky ones go raw)
      return !risky && (s.startsWith('*') || (flow && /[,[\]{}]/.test(s))) ? JSON.stringify(s) : s;
    });

const keyText = (risky: boolean) =>
  risky ? fc.constantFrom(...SAFE_KEYS, ...RISKY_KEYS) : fc.constantFrom(...SAFE_KEYS);

const comment = (risky: boolean) =>
  risky
    ? fc.constantFrom('', '', ' # note', '   #: [x]', '#tight', '\t# tab', ' #\ttab', '\t')
    : fc.constantFrom('', '', ' # note', '   #: [x]');

type Block = { lines: string[] };

/** key/value pairs: unique keys in a typical file, maybe repeated in a risky one */
function pairs<V>(risky: boolean, value: fc.Arbitrary<V>, minLength: number): fc.Arbitrary<[string, V][]> {
  const pair = fc.tuple(keyText(risky), value);
  return risky
    ? fc.array(pair, { minLength, maxLength: 4 })
    : fc.uniqueArray(pair, { minLength, maxLength: 4, selector: ([k]) => k });
}

/** A map value rendered after `key:` at column `col`: inline text, or lines below. */
const valueBlock = (risky: boolean, col: number) =>
  fc.oneof(
    fc.tuple(scalarText(risky), comment(risky)).map(([s, c]) => ({ inline: ` ${s}${c}`, lines: [] })),
    fc
      .tuple(fc.array(scalarText(risky, true), { maxLength: 3 }), comment(risky))
      .map(([xs, c]) => ({ inline: ` [${xs.join(', ')}]${c}`, lines: [] })),
    fc
      .tuple(fc.array(scalarText(risky), { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 2))
      .map(([xs, extra]) => ({
        inline: '',
        lines: xs.map((x) => `${' '.repeat(col + extra)}- ${x}`),
      })),
  );

const entryBlock = (risky: boolean, indent: number): fc.Arbitrary<Block> => {
  const pad = ' '.repeat(indent);
  return fc.oneof(
    // flow map on one line
    fc
      .tuple(pairs(risky, scalarText(risky, true), 0), comment(risky))
      .map(([kvs, c]) => ({ lines: [`${pad}- {${kvs.map(([k, v]) => `${k}: ${v}`).join(', ')}}${c}`] })),
    // block map
    fc.integer({ min: 1, max: 3 }).chain((dashSpaces) => {
      const col = indent + 1 + dashSpaces;
      return pairs(risky, fc.tuple(valueBlock(risky, col), fc.boolean()), 1).map((kvs) => {
        const lines: string[] = [];
        kvs.forEach(([k, [v, commentLine]], i) => {
          if (commentLine && i > 0) lines.push(`${' '.repeat(col)}# about ${k}`);
          lines.push(
            `${i === 0 ? `${pad}-${' '.repeat(dashSpaces)}` : ' '.repeat(col)}${k}:${v.inline}`,
            ...v.lines,
          );
        });
        return { lines };
      });
    }),
    // a scalar entry
    scalarText(risky).map((s) => ({ lines: [`${pad}- ${s}`] })),
    // risky: a flow map over several lines, a block scalar
    ...(risky ? [multiLineFlowEntry(pad), blockScalarEntry(pad)] : []),
  );
};

const multiLineFlowEntry = (pad: string): fc.Arbitrary<Block> =>
  fc.tuple(pairs(true, scalarText(true, true), 1), fc.integer({ min: -1, max: 4 })).map(([kvs, extra]) => ({
    lines: kvs.map(
      ([k, v], i) =>
        `${i === 0 ? `${pad}- {` : ' '.repeat(Math.max(0, pad.length + extra))}${k}: ${v}${i === kvs.length - 1 ? '}' : ','}`,
    ),
  }));

const blockScalarEntry = (pad: string): fc.Arbitrary<Block> =>
  fc
    .tuple(
      fc.constantFrom('|', '>', '|-', '>+', '|2', '"a', "'a"),
      fc.array(
        fc.tuple(fc.constantFrom('x', '# y', '- z', '', 'a: b', 'q"', "q'"), fc.integer({ min: 0, max: 6 })),
        {
          maxLength: 3,
        },
      ),
      fc.boolean(),
    )
    .map(([indicator, content, more]) => ({
      lines: [
        `${pad}- name: ${indicator}`,
        ...content.map(([t, n]) => `${' '.repeat(n)}${t}`),
        ...(more ? [`${pad}  from: a/b`] : []),
      ],
    }));

const document = ({ risky }: Style) =>
  fc
    .tuple(
      fc.constantFrom<('list' | 'map0' | 'map2' | 'map4')[]>('list', 'map0', 'map2', 'map4'),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
    )
    .chain(([root, leadingMarker, blankLines, crlf]) => {
      const indent = root === 'map2' ? 2 : root === 'map4' ? 4 : 0;
      // risky files also get lines shifted by a space either way, or trailing spaces
      const shifts = fc.array(fc.constantFrom(0, 0, 0, 0, 0, 0, 1, 2, 3), { minLength: 32, maxLength: 32 });
      return fc
        .tuple(fc.array(entryBlock(risky, indent), { minLength: 1, maxLength: 5 }), shifts)
        .map(([entries, shift]) => {
          const lines: string[] = ['# expectations'];
          if (leadingMarker) lines.push('---');
          if (root !== 'list') lines.push('expectations:');
          for (const e of entries) {
            lines.push(...e.lines);
            if (blankLines) lines.push('', `${' '.repeat(indent)}# next${risky ? '\t' : ''}`);
          }
          const shifted = lines.map((l, i) => {
            const op = risky ? shift[i % shift.length] : 0;
            return op === 1 ? ` ${l}` : op === 2 ? l.replace(/^ /, '') : op === 3 ? `${l}  ` : l;
          });
          return shifted.join(crlf ? '\r\n' : '\n');
        });
    });

/** readYamlEntries, or 'error' when it refuses the file */
function read(text: string): { values: unknown[]; lines: number[] } | 'error' {
  try {
    return readYamlEntries(text);
  } catch {
    return 'error';
  }
}

describe('expectation entries read with js-yaml', () => {
  it('reads typical expectation files exactly as the yaml package does, with the same entry lines', () => {
    fc.assert(
      fc.property(document({ risky: false }), (text) => {
        expect(read(text), text).toEqual(yamlOracle(text));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the yaml package on files with risky pieces mixed in, whenever both read them', () => {
    let both = 0;
    fc.assert(
      fc.property(document({ risky: true }), (text) => {
        // a map key that is not a string (null, ~, a boolean, a number) becomes some string in a JS object; the
        // two libraries pick different ones ("null" / ""), and no expectation field is named like that anyway
        if (/(^|[{,\n]|- )[ \t]*(null|Null|NULL|~|true|false|[-+]?\d[\d.]*)?[ \t]*:([ \t\r\n]|$)/.test(text))
          return;
        // where the two libraries read the YAML 1.2 spec differently: a lone CR (a line break to js-yaml, text to
        // yaml) and the white space of block scalars (`|`, `>`, with chomping or indentation indicators) on
        // white-space-only lines; no expectation file relies on either (block scalars are checked apart below)
        if (/\r(?!\n)/.test(text) || /[:-][ \t]+[|>]/.test(text)) return;
        // an explicit `?` key may be null too (see non-string keys above)
        if (/(^|[\s,{[])\?([ \t\r\n]|$)/.test(text)) return;
        const ours = read(text);
        const oracle = yamlOracle(text);
        if (ours === 'error' || typeof oracle !== 'object') return;
        both++;
        expect(ours, JSON.stringify(text)).toEqual(oracle);
      }),
      { numRuns: 1500, seed: 20261130 }, // fixed: CI runs the same 1,500 files every time
    );
    expect(both).toBeGreaterThan(50); // the fuzzing reached valid files, not only errors
  });

  it('reads the demo files and the less usual YAML (anchors, block scalars, flow over lines, tags) like the yaml package', () => {
    for (const f of ['assets/demo/expectations.yaml', 'assets/demo/expectations-wrong.yaml']) {
      const text = file(f);
      expect(read(text), f).toEqual(yamlOracle(text));
    }
    for (const text of [
      '- &a {from: a/b, to: *a}\n- c\n',
      '- &a {from: a/b}\n- b\n- *a\n- [*a, c]\n',
      '- name: |\n    x\n    # not a comment\n  from: a/b\n- c\n',
      '- name: a\n    b\n- c\n',
      'expectations:\n  - {from: a/b,\n\n     to: c/d}  # two lines\n  - c\n',
      '-\n  from: a/b\n- c\n',
      '- from: !!str 1\n- c\n',
    ]) {
      const oracle = yamlOracle(text);
      expect(typeof oracle, text).toBe('object');
      expect(read(text), text).toEqual(oracle);
    }
    // a list beside other keys of the root map is read as the yaml package reads it
    const withOther = 'expectations:\n  - {from: a}\nother: 1\n';
    expect(read(withOther)).toEqual(yamlOracle(withOther));
    // what the yaml package refuses, js-yaml refuses too
    for (const text of [
      '- &a {from: a/b}\n- *b\n',
      '---\n- a\n---\n- b\n',
      '- {from: a/b, from: c/d}\n',
      '- {from: a/b,\nto: c/d}\n',
    ]) {
      expect(yamlOracle(text), text).toBe('error');
      expect(read(text), text).toBe('error');
    }
  });
});

describe('entry lines of a JSON file', () => {
  it('finds the line of every top-level entry, past strings holding brackets, quotes and escapes', () => {
    const entries = [
      { name: 'a "]}[{" \\', from: ['x/y', 'z/*'], to: 'c/d', port: 80, expect: 'allowed' },
      { from: 'a/b', to: { weird: [1, [2, { x: '}' }]] }, port: '53/UDP', expect: 'denied' },
      [],
      'scalar',
      42,
      null,
    ];
    const text = JSON.stringify(
      { before: [{ expectations: [1] }], expectations: entries, after: '[' },
      null,
      2,
    );
    const lines = jsonEntryLines(text)!;
    const textLines = text.split('\n');
    expect(lines).toHaveLength(entries.length);
    lines.forEach((line, i) => {
      const json = JSON.stringify(entries[i], null, 2).split('\n')[0];
      expect(textLines[line - 1].trim().startsWith(json), `${i}: ${textLines[line - 1]}`).toBe(true);
    });
    expect(jsonEntryLines('[\n{"a":1},\n\n {"b":"\\\\"}, {"c":[]}]')).toEqual([2, 4, 4]);
    expect(jsonEntryLines('{"expectations": {"a": []}}')).toBeUndefined();
    expect(jsonEntryLines('[]')).toEqual([]);
  });

  it('agrees with JSON.parse on generated JSON of any layout', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }),
        fc.constantFrom(undefined, 1, 2, '\t'),
        fc.boolean(),
        (entries, space, wrapped) => {
          const text = JSON.stringify(wrapped ? { x: entries, expectations: entries } : entries, null, space);
          const lines = jsonEntryLines(text)!;
          expect(lines).toHaveLength(entries.length);
          // the entry found on each line parses back to that entry
          const textLines = text.split('\n');
          lines.forEach((line, i) => {
            if (space === undefined) expect(line).toBe(1);
            else {
              const first = JSON.stringify(entries[i], null, space).split('\n')[0];
              expect(textLines[line - 1].trimStart().startsWith(first)).toBe(true);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
