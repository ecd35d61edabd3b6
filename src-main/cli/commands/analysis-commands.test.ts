import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeEntries } from '../../../scripts/build-cli.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'netpol-doctor.mjs');
const demo = join(root, 'assets', 'demo', 'cluster.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'npd-cli-'));
// A private bundle of the CLI (same esbuild settings as scripts/build-cli.mjs), built once: the shared
// out/cli bundle is rebuilt by the launcher whenever any source changes, which races with parallel runs.
const privateOut = join(root, 'out', `cli-test-${process.pid}`);
const bundle = join(privateOut, 'index.mjs');
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(privateOut, { recursive: true, force: true });
});

function run(
  args: string[],
  viaLauncher = false,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [viaLauncher ? bin : bundle, ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const WEB = 'frontend/web-7d9f8b6c5-x2k4p';
const API = 'backend/api-5c6d7f8b9-abcde';
const PAY = 'payments/payments-6b7c8d9e5-klmno';
const DNS = 'kube-system/coredns-5d78c9869d-7xk2m';
const GRAFANA = 'monitoring/grafana-6f7d8c9b4-rstuv';
const PG = 'data/postgres-0';
const REDIS = 'backend/redis-cache-0';

interface TraceJson {
  verdict: string;
  query: { port: number; portName?: string; protocol: string };
  egress: { isolated: boolean; decision: string };
  ingress: { isolated: boolean; decision: string };
  decidedBy: { kind: string; namespace?: string; name: string }[];
  explanation: string[];
}

async function trace(from: string, to: string, port: string): Promise<TraceJson> {
  const r = await run(['trace', '--snapshot', demo, '--from', from, '--to', to, '--port', port, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as TraceJson;
}

beforeAll(async () => {
  await buildNodeEntries({ outdir: privateOut, entries: { index: 'src-main/cli/entry.ts' } });
}, 120_000);

it('the launcher bin/netpol-doctor.mjs runs the trace command', async () => {
  const r = await run(
    ['trace', '--snapshot', demo, '--from', WEB, '--to', API, '--port', '8080', '--json'],
    true,
  );
  expect(r.code).toBe(0);
  expect((JSON.parse(r.stdout) as TraceJson).verdict).toBe('denied');
}, 180_000);

describe('netpol-doctor trace on the demo snapshot', { timeout: 120_000 }, () => {
  it('(a) frontend/web → backend/api :8080 is denied at ingress of api', async () => {
    const t = await trace(WEB, API, '8080');
    expect(t.verdict).toBe('denied');
    expect(t.egress).toMatchObject({ isolated: false, decision: 'allow' });
    expect(t.ingress).toMatchObject({ isolated: true, decision: 'deny' });
    expect(t.decidedBy.map((d) => d.name)).toContain('allow-from-frontend');
    expect(t.explanation.join(' ')).toContain('kubernetes.io/metadata.name');
  });

  it('(b) payments → coredns :53/UDP is denied at egress of payments', async () => {
    const t = await trace(PAY, DNS, '53/UDP');
    expect(t.verdict).toBe('denied');
    expect(t.query.protocol).toBe('UDP');
    expect(t.egress).toMatchObject({ isolated: true, decision: 'deny' });
    expect(t.decidedBy.map((d) => `${d.namespace}/${d.name}`)).toContain('payments/default-deny-egress');
  });

  it('(c) grafana → postgres :9187 is allowed (the OR-ed peers)', async () => {
    const t = await trace(GRAFANA, PG, '9187');
    expect(t.verdict).toBe('allowed');
    expect(t.ingress).toMatchObject({ isolated: true, decision: 'allow' });
    expect(t.decidedBy.map((d) => d.name)).toContain('allow-monitoring-scrape');
  });

  it('(d) api → redis :6379 is denied (the policy meant for redis selects no pod)', async () => {
    const t = await trace(API, REDIS, '6379');
    expect(t.verdict).toBe('denied');
    expect(t.ingress).toMatchObject({ isolated: true, decision: 'deny' });
    expect(t.decidedBy.map((d) => d.name)).toContain('default-deny-ingress');
  });

  it('working paths are allowed, a named port is resolved on the destination', async () => {
    const [pay, pg] = await Promise.all([trace(PAY, API, 'http'), trace(API, PG, '5432/tcp')]);
    expect(pay.verdict).toBe('allowed');
    expect(pay.query).toMatchObject({ port: 8080, portName: 'http', protocol: 'TCP' });
    expect(pg.verdict).toBe('allowed');
  });

  it('prints plain text by default', async () => {
    const r = await run(['trace', '--snapshot', demo, '--from', WEB, '--to', API, '--port', '8080']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DENIED/);
  });

  it('exits 2 on an unknown pod, with suggestions', async () => {
    const r = await run([
      'trace',
      '--snapshot',
      demo,
      '--from',
      'frontend/web',
      '--to',
      API,
      '--port',
      '8080',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('frontend/web-7d9f8b6c5-x2k4p');
    expect(r.stdout).toBe('');
  });

  it('exits 2 on a bad port, a bad protocol, a missing file and malformed YAML', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: List\nitems:\n- {kind: Pod\n');
    const results = await Promise.all([
      run(['trace', '--snapshot', demo, '--from', WEB, '--to', API, '--port', '70000']),
      run(['trace', '--snapshot', demo, '--from', WEB, '--to', API, '--port', '80/ICMP']),
      run(['trace', '--snapshot', join(tmp, 'missing.yaml'), '--from', WEB, '--to', API, '--port', '80']),
      run(['trace', '--snapshot', bad, '--from', WEB, '--to', API, '--port', '80']),
      run(['trace', '--snapshot', demo, '--to', API, '--port', '80']),
    ]);
    for (const r of results) expect(r.code).toBe(2);
    expect(results[2].stderr).toContain('missing.yaml');
    expect(results[3].stderr).toMatch(/bad\.yaml:\d+/);
  });
});

describe('netpol-doctor on a snapshot with malformed objects', { timeout: 120_000 }, () => {
  it('answers: a malformed pod is left out with a warning, a malformed policy is handled by the engine', async () => {
    const text = readFileSync(demo, 'utf8')
      .replace(
        /(name: allow-from-frontend[\s\S]*?)ingress:\n {4}- from:/,
        '$1ingress: notalist\n    unused:\n    - from:',
      )
      .replace('podIPs: [{ip: 10.0.2.52}]', 'podIPs: notalist');
    expect(text).toContain('ingress: notalist');
    expect(text).toContain('podIPs: notalist');
    const file = join(tmp, 'malformed.yaml');
    writeFileSync(file, text);
    const r = await run([
      'trace',
      '--snapshot',
      file,
      '--from',
      WEB,
      '--to',
      API,
      '--port',
      '8080',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Pod monitoring/grafana-6f7d8c9b4-rstuv');
    expect((JSON.parse(r.stdout) as TraceJson).verdict).toBe('denied');
  });
});

describe('netpol-doctor matrix on the demo snapshot', { timeout: 120_000 }, () => {
  it('--json prints every pod pair, self included, agreeing with trace', async () => {
    const r = await run(['matrix', '--snapshot', demo, '--port', '8080', '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as {
      port: number;
      protocol: string;
      matrix: Record<string, Record<string, boolean>>;
    };
    expect(m.port).toBe(8080);
    expect(m.protocol).toBe('TCP');
    const pods = Object.keys(m.matrix);
    expect(pods).toContain(WEB);
    for (const src of pods) expect(Object.keys(m.matrix[src]).sort()).toEqual([...pods].sort());
    expect(m.matrix[WEB][API]).toBe(false);
    expect(m.matrix[PAY][API]).toBe(true);
    // --format json is the same output
    const same = await run(['matrix', '--snapshot', demo, '--port', '8080', '--format', 'json']);
    expect(same.stdout).toBe(r.stdout);
  });

  it('--format summary prints counts that add up', async () => {
    const r = await run(['matrix', '--snapshot', demo, '--port', '8080', '--format', 'summary']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      port: number;
      protocol: string;
      pods: number;
      pairs: number;
      allowed: number;
      denied: number;
      seconds: number;
    };
    expect(s.pairs).toBe(s.pods * s.pods);
    expect(s.allowed + s.denied).toBe(s.pairs);
    expect(s.denied).toBeGreaterThan(0);
    expect(typeof s.seconds).toBe('number');
  });

  it('--format compact groups pods into classes whose allowed pairs match the full matrix', async () => {
    const [c, j] = await Promise.all([
      run(['matrix', '--snapshot', demo, '--port', '53/UDP', '--format', 'compact']),
      run(['matrix', '--snapshot', demo, '--port', '53/UDP', '--json']),
    ]);
    const compact = JSON.parse(c.stdout) as {
      protocol: string;
      pods: string[];
      classes: number[][];
      allowed: [number, number][];
    };
    const full = JSON.parse(j.stdout) as { matrix: Record<string, Record<string, boolean>> };
    expect(compact.protocol).toBe('UDP');
    expect(compact.classes.flat().sort((a, b) => a - b)).toEqual(compact.pods.map((_, i) => i));
    const classOf = new Map<number, number>();
    compact.classes.forEach((members, ci) => members.forEach((m) => classOf.set(m, ci)));
    const allowed = new Set(compact.allowed.map(([a, b]) => `${a},${b}`));
    compact.pods.forEach((src, si) =>
      compact.pods.forEach((dst, di) =>
        expect(allowed.has(`${classOf.get(si)},${classOf.get(di)}`)).toBe(full.matrix[src][dst]),
      ),
    );
  });

  it('exits 2 on an unknown format', async () => {
    const r = await run(['matrix', '--snapshot', demo, '--port', '8080', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('xml');
  });
});

describe('netpol-doctor lint on the demo snapshot', { timeout: 120_000 }, () => {
  it('--json prints {findings:[...]} with each of the four failures', async () => {
    const r = await run(['lint', '--snapshot', demo, '--json']);
    expect(r.code).toBe(0);
    const { findings } = JSON.parse(r.stdout) as {
      findings: {
        rule: string;
        severity: string;
        object: { kind: string; namespace?: string; name: string };
        message: string;
        fix?: unknown;
      }[];
    };
    const has = (rule: string, ns: string) =>
      findings.some((f) => f.rule === rule && f.object.namespace === ns);
    expect(has('namespace-selector-matches-nothing', 'backend')).toBe(true);
    expect(has('egress-without-dns', 'payments')).toBe(true);
    expect(has('peers-look-like-and', 'data')).toBe(true);
    expect(has('policy-selects-no-pod', 'backend')).toBe(true);
    for (const f of findings)
      expect(Object.keys(f).every((k) => ['rule', 'severity', 'object', 'message', 'fix'].includes(k))).toBe(
        true,
      );
  });
});
