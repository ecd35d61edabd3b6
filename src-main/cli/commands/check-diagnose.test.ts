import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../main';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const demo = join(root, 'assets/demo/cluster.yaml');
const dir = mkdtempSync(join(tmpdir(), 'netpol-check-cli-'));

/** Runs the CLI in-process and captures what it prints. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await runCli(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('netpol-doctor check', () => {
  it('exit 0 and "N passed, 0 failed" when the demo expectations hold', async () => {
    const r = await cli([
      'check',
      '--snapshot',
      demo,
      '--expect',
      join(root, 'assets/demo/expectations.yaml'),
    ]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('exit 1 with a line per failure (reason + deciding policy) and a valid JUnit file', async () => {
    const junit = join(dir, 'junit.xml');
    const r = await cli([
      'check',
      '--snapshot',
      demo,
      '--expect',
      join(root, 'assets/demo/expectations-wrong.yaml'),
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(
      /^FAIL web may call the api: frontend\/web-7d9f8b6c5-x2k4p → backend\/api-5c6d7f8b9-abcde :8080\/TCP expect allowed, got denied/,
    );
    expect(lines[1]).toContain('name: frontend');
    expect(lines[1]).toContain('decided by');
    expect(lines[1]).toContain('backend/allow-from-frontend');
    expect(lines.at(-1)).toBe('2 passed, 1 failed');
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { testsuite: { tests: string; failures: string } };
    };
    expect(doc.testsuites.testsuite).toMatchObject({ tests: '3', failures: '1' });
  });

  it('--json prints one result per line with the documented keys', async () => {
    const r = await cli([
      'check',
      '--snapshot',
      demo,
      '--expect',
      join(root, 'assets/demo/expectations-wrong.yaml'),
      '--json',
    ]);
    expect(r.code).toBe(1);
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    for (const row of rows)
      for (const k of ['from', 'to', 'port', 'protocol', 'expect', 'actual', 'ok', 'decidedBy', 'reason'])
        expect(row).toHaveProperty(k);
    expect(rows.filter((x) => x.ok === false)).toHaveLength(1);
    // passing lines carry their deciding policies too in --json mode
    expect((rows.find((x) => x.ok === true)!.decidedBy as string[]).length).toBeGreaterThan(0);
  });

  it('exit 2 for an unknown pod, a selector matching nothing, a bad file, a missing file', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      '- {from: backend/nope, to: data/postgres-0, port: 5432, expect: denied}\n- {from: backend/app=nothing, to: data/postgres-0, port: 5432, expect: denied}\n',
    );
    const r = await cli(['check', '--snapshot', demo, '--expect', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('entry 1 (line 1)');
    expect(r.err).toContain('entry 2 (line 2)');
    expect(r.err).toContain('matches no pod');
    writeFileSync(bad, '- {from: a/b, to: c/d, port: 80, expect: perhaps}\n');
    const r2 = await cli(['check', '--snapshot', demo, '--expect', bad]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain(
      'bad.yaml: entry 1 (line 1): expect must be "allowed" or "denied", not "perhaps"',
    );
    const r3 = await cli(['check', '--snapshot', demo, '--expect', join(dir, 'missing.yaml')]);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain('no such file');
  });
});

describe('netpol-doctor diagnose', () => {
  it('prints each step with its status symbol, the fix and the verdict', async () => {
    const r = await cli([
      'diagnose',
      '--snapshot',
      demo,
      '--from',
      'backend/api-5c6d7f8b9-abcde',
      '--to',
      'backend/redis-cache-0',
      '--port',
      '6379',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✘ Labels/m);
    expect(r.out).toMatch(/^✔ Namespace/m);
    expect(r.out).toMatch(/^✔ CNI/m);
    expect(r.out).toContain('+      app: redis-cache');
    expect(r.out).toContain('Verdict: DENIED');
  });

  it('--json has verdict, the four steps and the trace; unknown pods exit 2', async () => {
    const r = await cli([
      'diagnose',
      '--snapshot',
      demo,
      '--from',
      'payments/payments-6b7c8d9e5-klmno',
      '--to',
      'kube-system/coredns-5d78c9869d-7xk2m',
      '--port',
      '53/UDP',
      '--json',
    ]);
    const j = JSON.parse(r.out) as {
      verdict: string;
      steps: { id: string; status: string; findings: { fix?: { yaml?: string } }[] }[];
      trace: { verdict: string };
    };
    expect(j.verdict).toBe('denied');
    expect(j.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'labels:pass',
      'namespace:pass',
      'syntax:fail',
      'cni:pass',
    ]);
    expect(j.steps[2].findings[0].fix?.yaml).toContain('kind: NetworkPolicy');
    expect(j.trace.verdict).toBe('denied');
    const bad = await cli([
      'diagnose',
      '--snapshot',
      demo,
      '--from',
      'payments/nope',
      '--to',
      'data/postgres-0',
      '--port',
      '5432',
    ]);
    expect(bad.code).toBe(2);
  });
});

describe('netpol-doctor report', () => {
  it('rejects an unknown format and a partial question with exit 2', async () => {
    expect((await cli(['report', '--snapshot', demo, '--format', 'docx', '-o', join(dir, 'x')])).code).toBe(
      2,
    );
    const r = await cli([
      'report',
      '--snapshot',
      demo,
      '--from',
      'a/b',
      '--format',
      'md',
      '-o',
      join(dir, 'x'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--from, --to and --port');
  });

  it('writes a cluster report without a question (lint findings and coverage)', async () => {
    const out = join(dir, 'cluster.md');
    const r = await cli(['report', '--snapshot', demo, '--format', 'md', '-o', out, '--anonymize']);
    expect(r.code).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('## Policy coverage');
    expect(md).toContain('## Lint findings');
    expect(md).not.toContain('frontend');
  });
});
