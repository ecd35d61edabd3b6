import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { createEngine } from '@shared/engine/index';
import { Anonymizer, type ReportModel } from '@shared/report/index';
import { dualStackDemo, V6_BLOCKS } from '@shared/report/testing/dual-stack';
import { parseIp } from '@shared/snapshot/ip';
import type { Snapshot } from '@shared/snapshot/types';
import { loadSnapshotFiles } from '../snapshot/load-files';
import { runCli } from '../cli/main';
import { exportReport } from './export';
import { findChromium, PdfUnavailableError } from './pdf';
import {
  DEMO_CANARY_SECRET,
  DEMO_CANARY_TOKENS,
  DEMO_SCENARIO_PATH,
  startK8sSim,
  type K8sSim,
} from '../../test/k8s-sim/index';

const root = fileURLToPath(new URL('../../', import.meta.url));
const demoPath = join(root, 'assets/demo/cluster.yaml');
const schema = JSON.parse(readFileSync(join(root, 'schemas/report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
const dir = mkdtempSync(join(tmpdir(), 'netpol-report-'));
const hasChromium = !!findChromium();
const hasPoppler = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const qa = { from: 'frontend/web-7d9f8b6c5-x2k4p', to: 'backend/api-5c6d7f8b9-abcde', port: 8080 };
let demo: Snapshot;

beforeAll(async () => {
  demo = await loadSnapshotFiles([demoPath]);
});

async function report(
  format: 'html' | 'md' | 'json' | 'pdf',
  extra: { anonymize?: boolean; question?: typeof qa | undefined; snapshot?: Snapshot } = {},
) {
  const snapshot = extra.snapshot ?? demo;
  return exportReport({
    snapshot,
    engine: createEngine(snapshot),
    question: 'question' in extra ? extra.question : qa,
    format,
    anonymize: extra.anonymize,
  });
}

describe('report formats on the demo snapshot', () => {
  it('JSON validates against schemas/report.schema.json, with and without a question, anonymized or not', async () => {
    for (const opts of [{}, { question: undefined }, { anonymize: true }]) {
      const r = await report('json', opts);
      const m = JSON.parse(r.content) as ReportModel;
      expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
      expect(m.schemaVersion).toBe('1.0');
    }
    const m = JSON.parse((await report('json')).content) as ReportModel;
    expect(m.diagnosis?.verdict).toBe('denied');
    expect(m.diagnosis?.cause).toBe('namespace');
    expect(m.diagnosis?.steps.map((s) => s.id)).toEqual(['labels', 'namespace', 'syntax', 'cni', 'verdict']);
    expect(m.policies.map((p) => p.name)).toContain('allow-from-frontend');
    expect(m.cni?.name).toBe('cilium');
    // a cluster report: coverage per namespace and every policy
    const c = JSON.parse((await report('json', { question: undefined })).content) as ReportModel;
    expect(c.question).toBeUndefined();
    expect(c.policies.length).toBe(10);
    expect(c.coverage.find((r) => r.namespace === 'backend')).toMatchObject({
      pods: 3,
      isolatedIngress: 3,
      isolatedEgress: 0,
    });
    expect(c.coverage.find((r) => r.namespace === 'payments')).toMatchObject({
      pods: 1,
      isolatedIngress: 0,
      isolatedEgress: 1,
    });
    expect(c.lint.length).toBeGreaterThan(0);
  });

  it('the JSON schema rejects a report missing its version or with an unknown field', () => {
    expect(validate({ kind: 'NetpolDoctorReport' })).toBe(false);
  });

  it('Markdown holds the steps, the fix command and the diff', async () => {
    const r = await report('md');
    expect(r.fileName).toMatch(/\.md$/);
    expect(r.content).toContain('## Verdict: ✘ DENIED');
    expect(r.content).toContain('### 2. ✘ Namespace — fail');
    expect(r.content).toContain('```sh\nkubectl label namespace frontend name=frontend\n```');
    expect(r.content).toMatch(/```diff\n[\s\S]*\+\s+kubernetes\.io\/metadata\.name: frontend/);
  });

  it.skipIf(!hasChromium)(
    'HTML is one self-contained file that Chromium renders with the verdict, steps and fix',
    { timeout: 180_000 },
    async () => {
      const r = await report('html');
      expect(r.content).not.toMatch(/<script|<link|src="http|href="http/);
      const file = join(dir, 'report.html');
      writeFileSync(file, r.content);
      const browser = await chromium.launch({
        executablePath: findChromium(),
        args: ['--no-sandbox', '--disable-gpu'],
      });
      try {
        for (const colorScheme of ['light', 'dark'] as const) {
          const page = await browser.newPage({ colorScheme });
          const external: string[] = [];
          page.on('request', (req) => {
            if (!req.url().startsWith('file:')) external.push(req.url());
          });
          await page.goto(`file://${file}`);
          await expect(page.locator('.verdict .badge').innerText()).resolves.toBe('DENIED');
          const steps = await page.locator('section.step h3').allInnerTexts();
          expect(steps).toEqual(['1. Labels', '2. Namespace', '3. Syntax', '4. CNI', '5. Verdict']);
          await expect(page.locator('#step-namespace .badge').first().innerText()).resolves.toBe('Fail');
          await expect(page.locator('#step-namespace pre').first().innerText()).resolves.toContain(
            'kubectl label namespace frontend name=frontend',
          );
          await expect(page.locator('#step-namespace .chip.miss').first().innerText()).resolves.toContain(
            'name',
          );
          expect(external).toEqual([]);
          await page.screenshot({ path: join(dir, `report-${colorScheme}.png`), fullPage: true });
        }
      } finally {
        await browser.close();
      }
    },
  );

  it.skipIf(!hasChromium || !hasPoppler)(
    'PDF renders to pages (pdftoppm) with the report text',
    { timeout: 180_000 },
    async () => {
      const r = await report('pdf');
      expect(r.encoding).toBe('base64');
      const pdf = join(dir, 'report.pdf');
      writeFileSync(pdf, Buffer.from(r.content, 'base64'));
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
      const png = ['page-1.png', 'page-01.png'].map((f) => join(dir, f)).find((f) => existsSync(f));
      expect(png).toBeDefined();
      expect(readFileSync(png!).length).toBeGreaterThan(5000);
      const text = execFileSync('pdftotext', [pdf, '-']).toString();
      expect(text).toContain('Netpol Doctor report');
      expect(text).toContain('DENIED');
      expect(text).toContain('kubectl label namespace frontend name=frontend');
    },
  );

  it('PDF without a Chromium fails with a clear message', async () => {
    const prev = process.env.NETPOL_DOCTOR_CHROMIUM;
    process.env.NETPOL_DOCTOR_CHROMIUM = join(dir, 'no-such-chromium');
    try {
      const err = await exportReport({ snapshot: demo, engine: createEngine(demo), format: 'pdf' }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PdfUnavailableError);
      expect((err as Error).message).toMatch(
        /NETPOL_DOCTOR_CHROMIUM points to .*no-such-chromium.*export --format html/,
      );
    } finally {
      if (prev === undefined) delete process.env.NETPOL_DOCTOR_CHROMIUM;
      else process.env.NETPOL_DOCTOR_CHROMIUM = prev;
    }
  });
});

describe('anonymized reports', () => {
  it('replace every name and IP, the same way everywhere (sentences, YAML, commands, diffs)', async () => {
    const anon = new Anonymizer(demo);
    const ns = anon.text('frontend');
    const pod = anon.text('web-7d9f8b6c5-x2k4p');
    const ip = anon.text('10.0.1.11');
    expect(ns).not.toBe('frontend');
    expect(anon.text('frontend')).toBe(ns);
    for (const format of ['json', 'md', 'html'] as const) {
      const r = await report(format, { anonymize: true });
      for (const secretName of [
        'frontend',
        'web-7d9f8b6c5-x2k4p',
        'api-5c6d7f8b9-abcde',
        'allow-from-frontend',
        '10.0.1.11',
        '10.0.1.21',
        'node-a',
        'payments',
        'redis-cahce',
      ]) {
        if (secretName === 'redis-cahce') continue; // a label value, not a name: kept
        expect(r.content, `${format} leaks ${secretName}`).not.toMatch(
          new RegExp(`(?<![A-Za-z0-9_-])${secretName.replace(/\./g, '\\.')}(?![A-Za-z0-9_-])`),
        );
      }
    }
    const m = JSON.parse((await report('json', { anonymize: true })).content) as ReportModel;
    expect(m.anonymized).toBe(true);
    expect(m.question?.from).toBe(`${ns}/${pod}`);
    const nsStep = m.diagnosis!.steps.find((s) => s.id === 'namespace')!;
    // the same pseudonym in the command, in the sentence and in the policy YAML
    expect(nsStep.findings[0].fix?.command).toBe(`kubectl label namespace ${ns} name=${ns}`);
    expect(nsStep.findings[0].message).toContain(`namespace ${ns} has no "name" label`);
    const policyName = anon.text('allow-from-frontend');
    const yaml = m.policies.find((p) => p.name === policyName)!.yaml;
    expect(yaml).toContain(`name: ${ns}`);
    expect(JSON.stringify(m)).toContain(ip);
    expect(m.diagnosis?.verdict).toBe('denied');
  });
});

describe('anonymized dual-stack reports', () => {
  it.skipIf(!hasChromium || !hasPoppler)(
    'the PDF shows pseudonyms, never an IPv6 address of the cluster',
    { timeout: 180_000 },
    async () => {
      const { snapshot, podV6 } = dualStackDemo(readFileSync(demoPath, 'utf8'));
      const question = { from: 'payments/payments-6b7c8d9e5-klmno', to: '2001:db8:beef:dead::7', port: 443 };
      const originals = [
        ...podV6.values(),
        question.to,
        ...Object.values(V6_BLOCKS).flatMap((b) => [b.cidr, b.except]),
      ].map((t) => parseIp(t.replace(/\/\d+$/, ''))!.value);
      const textOf = async (anonymize: boolean) => {
        const r = await exportReport({
          snapshot,
          engine: createEngine(snapshot),
          question,
          format: 'pdf',
          anonymize,
        });
        const pdf = join(dir, `dual-stack-${anonymize}.pdf`);
        writeFileSync(pdf, Buffer.from(r.content, 'base64'));
        return execFileSync('pdftotext', ['-raw', pdf, '-']).toString();
      };
      const addresses = (text: string) =>
        [...text.matchAll(/[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}/g)]
          .map((m) => parseIp(m[0]))
          .filter((p) => p?.family === 6)
          .map((p) => p!.value);
      // every address of the fixture lies in 2001:db8::/32; also catches one cut at a line end
      const prefixes = (text: string) =>
        text
          .replace(/\s/g, '')
          .toLowerCase()
          .match(/2001:0?db8:/g) ?? [];
      const plainText = await textOf(false);
      expect(addresses(plainText).filter((v) => originals.includes(v)).length).toBeGreaterThan(0);
      expect(prefixes(plainText).length).toBeGreaterThan(0);
      const anonText = await textOf(true);
      expect(addresses(anonText).length).toBeGreaterThan(0);
      expect(addresses(anonText).filter((v) => originals.includes(v))).toEqual([]);
      expect(prefixes(anonText)).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------- canaries: no credential ever reaches a report

const CANARY = 'CANARY-7f3a9c1e5b2d';
const canaryItems = `
- apiVersion: v1
  kind: Secret
  metadata: {name: db-password, namespace: backend}
  type: Opaque
  data: {password: ${Buffer.from(CANARY).toString('base64')}}
  stringData: {plain: ${CANARY}}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: cilium-extra, namespace: kube-system}
  data: {token: ${CANARY}, enable-policy: default}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: api-settings, namespace: backend}
  data: {DATABASE_URL: "postgres://api:${CANARY}@postgres:5432/db"}
`;

function planted(): string {
  const text = readFileSync(demoPath, 'utf8');
  // the canary also goes into the annotations of a policy involved in the question
  const withAnnotation = text.replace(
    '    name: allow-from-frontend\n    namespace: backend\n',
    `    name: allow-from-frontend\n    namespace: backend\n    annotations:\n      kubectl.kubernetes.io/last-applied-configuration: '{"token":"${CANARY}"}'\n      example.com/note: "${CANARY}"\n`,
  );
  expect(withAnnotation).not.toBe(text);
  return `${withAnnotation.replace(/\n$/, '')}\n${canaryItems}`;
}

async function allFormats(write: (format: string, out: string) => Promise<number>): Promise<string[]> {
  const texts: string[] = [];
  for (const format of ['html', 'md', 'json', ...(hasChromium ? ['pdf'] : [])]) {
    // one PDF (with the question) per source: Chromium start-up is slow on small machines
    for (const q of format === 'pdf' ? [true] : [true, false]) {
      const out = join(dir, `canary-${format}-${q}-${Math.random().toString(36).slice(2)}.${format}`);
      expect(await write(format + (q ? '' : ':cluster'), out)).toBe(0);
      if (format === 'pdf') {
        texts.push(hasPoppler ? execFileSync('pdftotext', [out, '-']).toString() : '');
        texts.push(readFileSync(out).toString('latin1'));
      } else texts.push(readFileSync(out, 'utf8'));
    }
  }
  return texts;
}

/** '' when `needle` is absent, else the text around it (a readable failure). */
function around(text: string, needle: string): string {
  const i = text.indexOf(needle);
  return i < 0 ? '' : text.slice(Math.max(0, i - 300), i + needle.length + 50);
}

function cliArgs(format: string, out: string): string[] {
  const [f, cluster] = format.split(':');
  return [
    'report',
    ...(cluster ? [] : ['--from', qa.from, '--to', qa.to, '--port', String(qa.port)]),
    '--format',
    f,
    '-o',
    out,
  ];
}

describe('canary: no secret in any report format', () => {
  it(
    'from a snapshot file with a Secret, ConfigMap data and a token in policy annotations',
    { timeout: 180_000 },
    async () => {
      const file = join(dir, 'planted.yaml');
      writeFileSync(file, planted());
      const texts = await allFormats((format, out) => runCli([...cliArgs(format, out), '--snapshot', file]));
      expect(texts.length).toBeGreaterThanOrEqual(6);
      for (const t of texts) {
        expect(around(t, CANARY)).toBe('');
        expect(around(t, Buffer.from(CANARY).toString('base64'))).toBe('');
      }
      // the reports are real reports of that snapshot
      expect(texts[0]).toContain('allow-from-frontend');
    },
  );

  describe('from a live context (K8s API simulator)', () => {
    let sim: K8sSim;
    let kubeconfig: string;
    beforeAll(async () => {
      sim = await startK8sSim({ scenario: DEMO_SCENARIO_PATH });
      kubeconfig = join(dir, 'kubeconfig.yaml');
      sim.writeKubeconfig(kubeconfig);
      // an extra user with an exec plugin env and a client key: present in the file, never in a report
      const kc = parseYaml(readFileSync(kubeconfig, 'utf8')) as {
        users: { name: string; user: Record<string, unknown> }[];
      };
      kc.users.push({
        name: 'canary-exec',
        user: {
          'client-key-data': Buffer.from(CANARY).toString('base64'),
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: 'true',
            env: [{ name: 'CANARY_TOKEN', value: CANARY }],
          },
        },
      });
      writeFileSync(kubeconfig, stringifyYaml(kc));
    });
    afterAll(async () => {
      await sim?.close();
    });

    it(
      'reports every format for a context without its tokens, the Secret or ConfigMap data',
      { timeout: 180_000 },
      async () => {
        const texts = await allFormats((format, out) =>
          runCli([...cliArgs(format, out), '--context', 'sim-admin', '--kubeconfig', kubeconfig]),
        );
        const kc = readFileSync(kubeconfig, 'utf8');
        expect(kc).toContain(DEMO_CANARY_TOKENS[0]);
        for (const t of texts) {
          expect(t).not.toContain(DEMO_CANARY_SECRET);
          for (const token of DEMO_CANARY_TOKENS) expect(t).not.toContain(token);
          expect(t).not.toContain(CANARY);
          expect(t).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY|client-key-data|BEGIN CERTIFICATE/);
        }
        // the context name and the API server host are there; no URL with credentials
        const json = JSON.parse(texts[4]) as ReportModel;
        expect(json.source).toMatchObject({ type: 'context', context: 'sim-admin' });
        expect(json.source.server).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(json.diagnosis?.verdict).toBe('denied');
      },
    );
  });
});
