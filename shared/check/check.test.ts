import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createEngine } from '../engine';
import { parseSnapshotTexts } from '../snapshot/parse';
import {
  checkLineJson,
  checkSummary,
  checkToJunit,
  ExpectationsError,
  parseExpectations,
  runCheck,
} from './index';

const file = (p: string) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');
const engine = createEngine(
  parseSnapshotTexts([{ name: 'cluster.yaml', text: file('assets/demo/cluster.yaml') }]),
);

describe('expectations files', () => {
  it('the demo expectations validate against the JSON Schema, and a broken file does not', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(JSON.parse(file('schemas/expectations.schema.json')) as object);
    for (const f of ['assets/demo/expectations.yaml', 'assets/demo/expectations-wrong.yaml']) {
      expect(validate(parseYaml(file(f))), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(validate({ expectations: [{ from: 'a/b', to: 'c/d', port: 80, expect: 'maybe' }] })).toBe(false);
    expect(validate({ expectations: [{ from: 'a/b', to: 'c/d', expect: 'allowed' }] })).toBe(false);
  });

  it('reports every problem with its entry number and line', () => {
    const text = `expectations:
  - {from: a/b, to: c/d, port: 80, expect: allowed}
  - from: a/b
    to: c/d
    port: 70000
    expect: maybe
  - {from: a/b, port: 80/XTP, expect: denied, colour: red}
`;
    let err: ExpectationsError | undefined;
    try {
      parseExpectations(text, 'e.yaml');
    } catch (e) {
      err = e as ExpectationsError;
    }
    expect(err).toBeInstanceOf(ExpectationsError);
    expect(err!.message).toContain('e.yaml: entry 2 (line 3): port 70000 is not between 1 and 65535');
    expect(err!.message).toContain('entry 2 (line 3): expect must be "allowed" or "denied", not "maybe"');
    expect(err!.message).toContain('entry 3 (line 7): unknown field "colour"');
    expect(err!.message).toContain('entry 3 (line 7): to is missing');
    expect(err!.message).toContain('unknown protocol "XTP"');
    expect(() => parseExpectations('expectations: [ {from: a', 'bad.yaml')).toThrow(
      /bad\.yaml:1: not valid YAML/,
    );
    expect(() => parseExpectations('{"hello": 1}', 'x.json')).toThrow(/expected a list of expectations/);
    // YAML broken in a later entry: the parser's message, with its line
    expect(() =>
      parseExpectations(
        '- {from: a/b, to: c/d, port: 80, expect: allowed}\n- {from: a/b, from: c/d}\n',
        'd.yaml',
      ),
    ).toThrow(/^d\.yaml:2: not valid YAML\/JSON: duplicated mapping key/);
    // aliases that multiply the data (a "billion laughs" file): a clear error, not a crash
    const laughs = `- &a {from: a/b, to: c/d, port: 80, expect: allowed}\n${'- [*a, *a, *a, *a, *a, *a, *a, *a]\n'.repeat(200)}`;
    expect(() => parseExpectations(laughs, 'l.yaml')).toThrow(ExpectationsError);
    expect(() => parseExpectations(laughs, 'l.yaml')).toThrow(/^l\.yaml:\d+: not valid YAML\/JSON: .*alias/i);
  });

  const problemsOf = (text: string, fileName: string): string[] => {
    try {
      parseExpectations(text, fileName);
    } catch (e) {
      if (e instanceof ExpectationsError) return e.message.split('\n');
      throw e;
    }
    return [];
  };

  it('names the line of every broken YAML entry: spread over lines, after comments, in flow style', () => {
    const text = `# header
expectations:
  # a comment before the first entry
  - name: spread over lines
    from: [a/b, c/d]
    to:
      - e/f
    port: 99999
    expect: allowed

  - {from: a/b, to: c/d, port: 80, expect: maybe}   # a flow map

  # comment
  - from: a/b   # trailing comment
    to: c/d
    ports:
    - 80
    - 70000/TCP
    expect: denied
  - {from: a/b, to: c/d, port: 443, expect: denied}
`;
    const expected = [
      'e.yaml: entry 1 (line 4): port 99999 is not between 1 and 65535',
      'e.yaml: entry 2 (line 11): expect must be "allowed" or "denied", not "maybe"',
      'e.yaml: entry 3 (line 14): port 70000 is not between 1 and 65535',
    ];
    expect(problemsOf(text, 'e.yaml')).toEqual(expected);
    // an entry with an anchor, and an alias to it from another entry: same messages
    const anchored = text.replace('- {from: a/b, to: c/d, port: 80', '- {from: &src a/b, to: c/d, port: 80');
    expect(problemsOf(anchored, 'e.yaml')).toEqual(expected);
    const aliased = anchored.replace(
      '  - {from: a/b, to: c/d, port: 443',
      '  - {from: *src, to: c/d, port: 443',
    );
    expect(problemsOf(aliased, 'e.yaml')).toEqual(expected);
    // a flow map over two lines: the entries after it move down one line
    expect(problemsOf(text.replace('to: c/d, port: 80,', 'to: c/d,\n     port: 80,'), 'e.yaml')).toEqual([
      expected[0],
      expected[1],
      expected[2].replace('line 14', 'line 15'),
    ]);
    // valid entries keep their lines, whichever reader read them
    const fixed = text.replace('99999', '8080').replace('maybe', 'denied').replace('70000/TCP', '53/UDP');
    const lines = parseExpectations(fixed, 'e.yaml').entries.map((e) => e.line);
    expect(lines).toEqual([4, 11, 14, 20]);
    for (const variant of [
      fixed.replace('- {from: a/b, to: c/d, port: 443', '- &y {from: a/b, to: c/d, port: 443'),
      fixed
        .replace('- {from: a/b, to: c/d, port: 80', '- {from: &src a/b, to: c/d, port: 80')
        .replace('- {from: a/b, to: c/d, port: 443', '- {from: *src, to: c/d, port: 443'),
    ])
      expect(parseExpectations(variant, 'e.yaml')).toEqual(parseExpectations(fixed, 'e.yaml'));
  });

  it('names the line of every broken JSON entry', () => {
    const text = `{
  "comment": ["[", "{", "\\"]"],
  "expectations": [
    {"from": "a/b", "to": "c/d", "port": 80, "expect": "allowed"},
    {
      "from": "a/b",
      "to": "c/d", "port": "80/XTP",
      "expect": "denied"
    },
    {"name": "a quote \\" and ] }", "from": "a/b", "port": 80, "expect": "allowed"}
  ]
}`;
    expect(problemsOf(text, 'e.json')).toEqual([
      'e.json: entry 2 (line 5): unknown protocol "XTP" in port "80/XTP" (TCP, UDP or SCTP)',
      'e.json: entry 3 (line 10): to is missing',
    ]);
    const valid = text
      .replace('80/XTP', '80/UDP')
      .replace('"port": 80, "expect": "allowed"}\n  ]', '"to": "c/d", "port": 80, "expect": "allowed"}\n  ]');
    expect(parseExpectations(valid, 'e.json').entries.map((e) => e.line)).toEqual([4, 5, 10]);
    // one line of JSON: every entry is on line 1
    expect(
      problemsOf(
        JSON.stringify([{ from: 'a/b' }, { from: 'a/b', to: 'c/d', port: 1, expect: 'no' }]),
        'm.json',
      ),
    ).toEqual([
      'm.json: entry 1 (line 1): to is missing',
      'm.json: entry 1 (line 1): port is missing (a number, "N/PROTO" or a port name)',
      'm.json: entry 1 (line 1): expect must be "allowed" or "denied" (missing)',
      'm.json: entry 2 (line 1): expect must be "allowed" or "denied", not "no"',
    ]);
  });

  it('reads JSON, a top-level list, named ports and the matrix shorthand', () => {
    const e = parseExpectations(
      JSON.stringify([
        {
          from: ['a/*', '*/app=x'],
          to: 'b/c',
          ports: [53, 'dns/UDP', 'http'],
          protocol: 'udp',
          expect: 'denied',
        },
      ]),
      'e.json',
    );
    expect(e.entries[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 'dns', protocol: 'UDP' },
      { port: 'http', protocol: 'UDP' },
    ]);
    expect(e.entries[0].from).toEqual(['a/*', '*/app=x']);
  });
});

describe('runCheck on the demo snapshot', () => {
  it('the demo expectations all pass, expanding selectors to every matching pod', () => {
    const run = runCheck(
      engine,
      parseExpectations(file('assets/demo/expectations.yaml'), 'expectations.yaml'),
    );
    expect(run.errors).toEqual([]);
    expect(run.failed).toBe(0);
    // `payments/app=payments` × `backend/app=api` → 1 × 2 pairs
    expect(run.results.filter((r) => r.name === 'payments may call the api').map((r) => r.to)).toEqual([
      'backend/api-5c6d7f8b9-abcde',
      'backend/api-5c6d7f8b9-fghij',
    ]);
    // named port resolved on each destination pod
    const metrics = run.results.filter((r) => r.name?.startsWith('prometheus scrapes'));
    expect(metrics.map((r) => `${r.portName}:${r.port}`)).toEqual([
      'metrics:9090',
      'metrics:9090',
      'metrics:9187',
    ]);
    expect(run.passed).toBe(run.results.length);
  });

  it('a wrong expectation fails with the engine reason and the deciding policy', () => {
    const run = runCheck(
      engine,
      parseExpectations(file('assets/demo/expectations-wrong.yaml'), 'expectations-wrong.yaml'),
    );
    expect(run.failed).toBe(1);
    const bad = run.results.find((r) => !r.ok)!;
    expect(bad).toMatchObject({
      from: 'frontend/web-7d9f8b6c5-x2k4p',
      to: 'backend/api-5c6d7f8b9-abcde',
      port: 8080,
      expect: 'allowed',
      actual: 'denied',
      line: 11,
    });
    expect(bad.reason).toContain('name: frontend');
    expect(checkLineJson(bad).decidedBy).toContain('backend/allow-from-frontend');
    expect(Object.keys(checkLineJson(bad))).toEqual([
      'name',
      'from',
      'to',
      'port',
      'protocol',
      'expect',
      'actual',
      'ok',
      'decidedBy',
      'reason',
    ]);
    expect(checkSummary(run)).toBe('2 passed, 1 failed');
  });

  it('matrix verdicts agree with single traces for every pair', () => {
    const run = runCheck(
      engine,
      parseExpectations(
        '[{from: "*", to: "*", ports: [8080, 5432, 9187, 53/UDP], expect: allowed}]',
        'all.yaml',
      ),
    );
    expect(run.results.length).toBeGreaterThan(100);
    for (const r of run.results) {
      expect(r.actual, `${r.from} → ${r.to} :${r.port}`).toBe(
        engine.trace({ from: r.from, to: r.to, port: r.portName ?? r.port, protocol: r.protocol as 'TCP' })
          .verdict,
      );
    }
  });

  it('an unknown pod or a selector matching nothing is an error, not a pass', () => {
    const run = runCheck(
      engine,
      parseExpectations(
        `- {from: backend/api-nope, to: data/postgres-0, port: 5432, expect: denied}
- {from: backend/app=nothing, to: data/postgres-0, port: 5432, expect: denied}
- {from: nons/*, to: data/postgres-0, port: 5432, expect: denied}
- {from: backend/app=api, to: data/postgres-0, port: 5432, expect: allowed}`,
        'e.yaml',
      ),
    );
    expect(run.errors.map((e) => e.entry)).toEqual([0, 1, 2]);
    expect(run.errors[1].message).toContain('matches no pod');
    expect(run.errors[2].message).toContain('namespace "nons"');
    expect(run.passed).toBe(2);
  });

  it('writes JUnit XML that parses, with escaped failure text', () => {
    const run = runCheck(
      engine,
      parseExpectations(
        `- {name: "a <b> & \\"c\\"", from: frontend/app=web, to: backend/app=api, port: 8080, expect: allowed}\n- {from: x/y, to: data/postgres-0, port: 5432, expect: denied}`,
        'e&.yaml',
      ),
    );
    const xml = checkToJunit(run);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: {
        testsuite: {
          tests: string;
          failures: string;
          errors: string;
          testcase: { name: string; failure?: { message: string }; error?: unknown }[];
        };
      };
    };
    const suite = doc.testsuites.testsuite;
    expect(suite.tests).toBe('5');
    expect(suite.failures).toBe('4');
    expect(suite.errors).toBe('1');
    expect(suite.testcase[0].name).toContain('a <b> & "c"');
    expect(suite.testcase[0].failure?.message).toContain('expected allowed, got denied');
    expect(suite.testcase.at(-1)?.error).toBeDefined();
  });
});
