/**
 * The CLI (the binary `bin/netpol-doctor.mjs`, and its code in-process) against the Kubernetes API simulator: `contexts`,
 * `snapshot --context ... -o FILE`, and the exit codes 2 (unknown context) and 3 (unreachable).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSnapshotTexts } from '@shared/snapshot/parse';
import { startK8sSim, type K8sSim } from '../../test/k8s-sim/index';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'netpol-doctor.mjs');

let sim: K8sSim;
let dir: string;
let kcA: string;
let kcB: string;

beforeAll(async () => {
  sim = await startK8sSim({ scenario: path.join(ROOT, 'test/k8s-sim/scenarios/demo.yaml') });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npd-cli-'));
  kcA = path.join(dir, 'a.yaml');
  kcB = path.join(dir, 'b.yaml');
  sim.writeKubeconfig(kcA, {
    users: ['admin', 'restricted'],
    contextNames: ['prod', 'prod-readonly'],
    currentContext: 'prod-readonly',
    namespace: { restricted: 'frontend' },
  });
  sim.writeKubeconfig(kcB, {
    users: ['viewer', 'admin'],
    contextNames: ['staging', 'prod'],
    currentContext: 'staging',
    clusterName: 'other',
    userPrefix: 'b-',
  });
}, 60_000);

afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The CLI in this process (runCli, the same code the binary runs), output captured. The binary itself
 * is exercised by `runBinary` for a couple of cases (each start costs seconds on a loaded machine).
 */
async function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../cli/main');
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved: NodeJS.ProcessEnv = {};
  for (const k of Object.keys(env)) {
    saved[k] = process.env[k];
    process.env[k] = env[k];
  }
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += chunk.toString()),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += chunk.toString()),
    true
  )) as typeof process.stderr.write;
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    process.exitCode = undefined;
  }
}

function runBinary(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 }));
  });
}

describe('netpol-doctor contexts', () => {
  it('--json lists the contexts of both KUBECONFIG files, first file wins', async () => {
    const r = await runBinary(['contexts', '--json'], { KUBECONFIG: [kcA, kcB].join(path.delimiter) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      current: 'prod-readonly',
      contexts: [
        { name: 'prod', cluster: 'k8s-sim', user: 'admin', namespace: null, server: sim.url },
        {
          name: 'prod-readonly',
          cluster: 'k8s-sim',
          user: 'restricted',
          namespace: 'frontend',
          server: sim.url,
        },
        { name: 'staging', cluster: 'other', user: 'b-viewer', namespace: null, server: sim.url },
      ],
    });
    expect(r.stderr).toMatch(/duplicate context "prod"/);
    expect(r.stdout + r.stderr).not.toMatch(/CANARY/);
  }, 60_000);

  it('prints a table with * on the current context; --kubeconfig overrides KUBECONFIG', async () => {
    const r = await run(['contexts', '--kubeconfig', kcB], { KUBECONFIG: kcA });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CURRENT\s+NAME\s+CLUSTER\s+USER\s+NAMESPACE\s+SERVER$/);
    expect(lines.find((l) => l.includes('staging'))).toMatch(/^\*\s+staging\s+other\s+b-viewer/);
    expect(lines.find((l) => /\sprod\s/.test(l))).toMatch(/^\s+prod\s/);
  }, 60_000);

  it('a malformed kubeconfig alone is bad input (exit 2) naming the file', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'contexts: [\n');
    const r = await run(['contexts', '--kubeconfig', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
  }, 60_000);
});

describe('netpol-doctor snapshot', () => {
  it('saves a live snapshot that loads back with the same objects and CNI facts, without secrets', async () => {
    const out = path.join(dir, 'snap.yaml');
    const r = await run([
      'snapshot',
      '--context',
      'prod',
      '--kubeconfig',
      [kcA, kcB].join(path.delimiter),
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/wrote .*snap\.yaml \(15 pods/);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toMatch(/CANARY/);
    expect(text).not.toMatch(/kind: Secret\b/);
    expect(text).not.toContain('api-settings');
    const back = parseSnapshotTexts([{ name: out, text }]);
    expect(back.source).toMatchObject({ type: 'context', context: 'prod', server: sim.url });
    expect(back.pods).toHaveLength(15);
    expect(back.networkPolicies).toHaveLength(10);
    expect(back.cni).toMatchObject({ name: 'cilium', version: '1.18.2', enforcesNetworkPolicy: true });
    expect(back.partial).toBeUndefined();

    // normalising the saved file (plus a file holding a Secret) gives the same file (but the time)
    const secret = path.join(dir, 'secret.yaml');
    fs.writeFileSync(
      secret,
      'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: backend}\nstringData: {password: CANARY-NORMALISE-1}\n',
    );
    const again = path.join(dir, 'snap2.yaml');
    const r2 = await run(['snapshot', '--snapshot', out, secret, '-o', again]);
    expect(r2.code).toBe(0);
    const normalised = fs.readFileSync(again, 'utf8');
    expect(normalised).not.toMatch(/CANARY/);
    const strip = (s: string) => s.replace(/takenAt: .*/g, '');
    expect(strip(normalised)).toBe(strip(text));
  }, 60_000);

  it('a partial snapshot warns on stderr and records the gaps in the file', async () => {
    const out = path.join(dir, 'partial.yaml');
    const r = await run(['snapshot', '--context', 'prod-readonly', '--kubeconfig', kcA, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: partial snapshot of context prod-readonly: .*cannot list networkpolicies in namespace backend/,
    );
    const back = parseSnapshotTexts([{ name: out, text: fs.readFileSync(out, 'utf8') }]);
    expect(back.partial?.gaps.map((g) => g.message)).toContain(
      'cannot list networkpolicies in namespace backend',
    );
  }, 60_000);

  it('unknown context: exit 2 listing the known contexts', async () => {
    const r = await run([
      'snapshot',
      '--context',
      'nope',
      '--kubeconfig',
      kcA,
      '-o',
      path.join(dir, 'x.yaml'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown context "nope"; known contexts: prod, prod-readonly/);
    expect(fs.existsSync(path.join(dir, 'x.yaml'))).toBe(false);
  }, 60_000);

  it('unreachable cluster: exit 3 with a clear message, quickly', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const kc = path.join(dir, 'down.yaml');
    sim.writeKubeconfig(kc, {
      users: ['admin'],
      contextNames: ['down'],
      server: `https://127.0.0.1:${port}`,
    });
    const r = await runBinary([
      'snapshot',
      '--context',
      'down',
      '--kubeconfig',
      kc,
      '-o',
      path.join(dir, 'y.yaml'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /context down: cannot connect to the API server at https:\/\/127\.0\.0\.1:\d+: connection refused/,
    );
  }, 60_000);
});
