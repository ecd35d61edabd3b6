import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeEntries } from '../../../scripts/build-cli.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFlowRequest } from '@shared/flows/filter';
import { parseFlowLines } from '@shared/flows/jsonl';
import { selectFlows } from '@shared/flows/match';
import type { FlowFilterOptions } from '@shared/flows/types';
import { startHubbleSim, type HubbleSim } from '../../../test/hubble-sim';
import { simRequestMatches } from '../../../test/hubble-sim/filter';
import { buildDemoFlows } from '../../../test/hubble-sim/demo-flows';
import { exportFlowLines } from '@shared/flows/jsonl';
import { DEMO_SCENARIO_PATH, startK8sSim, type K8sSim } from '../../../test/k8s-sim/index';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const demoFile = join(root, 'assets', 'demo', 'flows.jsonpb');
const demo = parseFlowLines(readFileSync(demoFile, 'utf8')).flows;
const tmp = mkdtempSync(join(tmpdir(), 'npd-flows-'));
// private bundle (see analysis-commands.test.ts): the shared out/cli bundle races with parallel runs
const privateOut = join(root, 'out', `cli-flows-test-${process.pid}`);
const bundle = join(privateOut, 'index.mjs');
let hubble: HubbleSim;
/** a second simulator with the demo's HTTP / DNS / external-name flows */
let hubbleL7: HubbleSim;
const l7Flows = buildDemoFlows({ l7: true });
const l7File = join(tmp, 'l7-flows.json');
let k8s: K8sSim;
const kubeconfig = join(tmp, 'config');

beforeAll(async () => {
  await buildNodeEntries({ outdir: privateOut, entries: { index: 'src-main/cli/entry.ts' } });
  hubble = await startHubbleSim({ flows: demo, maxFlows: 10_000 });
  hubbleL7 = await startHubbleSim({ flows: l7Flows, maxFlows: 10_000 });
  writeFileSync(l7File, exportFlowLines(l7Flows, 'jsonpb'));
  k8s = await startK8sSim({ scenario: DEMO_SCENARIO_PATH });
  k8s.setPortForwardTarget('kube-system', 'hubble-relay-6b9c7d8f5-zx7vq', 4245, hubble.port);
  k8s.writeKubeconfig(kubeconfig, { users: ['admin'], contextNames: { admin: 'demo' } });
}, 120_000);
afterAll(async () => {
  await hubble?.close();
  await hubbleL7?.close();
  await k8s?.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(privateOut, { recursive: true, force: true });
});

function run(
  args: string[],
  onStdout?: (text: string, kill: () => void) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'flows', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, () => {
        if (!killed) child.kill('SIGINT');
        killed = true;
      });
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ownResult = (opts: FlowFilterOptions) => {
  const req = buildFlowRequest(opts);
  return selectFlows(
    hubble.ring().filter((f) => simRequestMatches(req, f)),
    { ...req, whitelist: [], blacklist: [] },
  );
};

// each CLI run starts a fresh Node process: slow on a loaded machine
describe('netpol-doctor flows', { timeout: 120_000 }, () => {
  it('--file: compact lines like hubble observe, with filters', async () => {
    const r = await run([
      '--file',
      demoFile,
      '--verdict',
      'DROPPED',
      '--to-pod',
      'backend/redis-cache-0',
      '--last',
      '1000',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(
      demo.filter((f) => f.verdict === 'DROPPED' && f.destination?.pod_name === 'redis-cache-0').length,
    );
    for (const l of lines)
      expect(l).toMatch(
        /^Nov 30 [\d:.]+: backend\/api-5c6d7f8b9-fghij:\d+ \(ID:30711\) -> backend\/redis-cache-0:6379 \(ID:41207\) (Policy denied DROPPED|policy-verdict:none INGRESS DENIED) \(TCP Flags: SYN\)$/,
      );
  });

  it('--file --json: one flow per line in hubble observe -o json shape; the last 20 by default', async () => {
    const r = await run(['--file', demoFile, '--json']);
    expect(r.code).toBe(0);
    const back = parseFlowLines(r.stdout);
    expect(back.errors).toEqual([]);
    expect(back.flows).toEqual(demo.slice(-20));
    expect(r.stdout.split('\n')[0]).toMatch(/^\{"flow":\{"time":/);
  });

  it('--server: the simulator’s flows, filtered like the simulator filters them', async () => {
    const opts: FlowFilterOptions = { namespace: ['backend'], protocol: ['tcp'], last: 1000 };
    const r = await run([
      '--server',
      hubble.address,
      '--namespace',
      'backend',
      '--protocol',
      'tcp',
      '--last',
      '1000',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parseFlowLines(r.stdout).flows).toEqual(ownResult(opts));
  });

  it('--context: through the Kubernetes API port-forward to Relay', async () => {
    const r = await run([
      '--context',
      'demo',
      '--kubeconfig',
      kubeconfig,
      '--verdict',
      'DROPPED',
      '--port',
      '53',
      '--json',
      '--all',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = parseFlowLines(r.stdout).flows;
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(ownResult({ verdict: ['DROPPED'], port: [53], last: Number.MAX_SAFE_INTEGER }));
  });

  it('--follow streams until interrupted', async () => {
    hubble.setFollowRate(100);
    try {
      const r = await run(['--server', hubble.address, '--follow', '--json'], (text, kill) => {
        if (text.split('\n').length > 30) kill();
      });
      expect(r.code).toBe(0);
      const flows = parseFlowLines(r.stdout).flows;
      expect(flows.length).toBeGreaterThan(29);
      expect(new Set(flows.map((f) => f.uuid)).size).toBe(flows.length);
    } finally {
      hubble.setFollowRate(0);
    }
  });

  it('bad input exits 2, unreachable exits 3, with clear messages', async () => {
    const [none, two, verdict, missing, follow, unreachable, context] = await Promise.all([
      run(['--verdict', 'DROPPED']),
      run(['--file', demoFile, '--server', hubble.address]),
      run(['--file', demoFile, '--verdict', 'NOPE']),
      run(['--file', join(tmp, 'missing.json')]),
      run(['--file', demoFile, '--follow']),
      run(['--server', '127.0.0.1:1']),
      run(['--context', 'nope', '--kubeconfig', kubeconfig]),
    ]);
    expect([none.code, none.stderr]).toEqual([
      2,
      expect.stringMatching(/exactly one of --server HOST:PORT, --context NAME or --file FILE/),
    ]);
    expect(two.code).toBe(2);
    expect([verdict.code, verdict.stderr]).toEqual([
      2,
      expect.stringMatching(/invalid --verdict value: NOPE/),
    ]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringMatching(/cannot read .*missing\.json: ENOENT/),
    ]);
    expect(follow.code).toBe(2);
    expect([unreachable.code, unreachable.stderr]).toEqual([
      3,
      expect.stringMatching(/cannot reach Hubble at 127\.0\.0\.1:1/),
    ]);
    expect([context.code, context.stderr]).toEqual([2, expect.stringMatching(/unknown context "nope"/)]);
  }, 120_000);

  it('a malformed line in a file is reported with its line number; the rest is shown', async () => {
    const lines = readFileSync(demoFile, 'utf8').trim().split('\n').slice(0, 4);
    lines.splice(1, 0, '{oops');
    const file = join(tmp, 'broken.json');
    writeFileSync(file, lines.join('\n'));
    const r = await run(['--file', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/broken\.json:2: not valid JSON/);
    expect(parseFlowLines(r.stdout).flows).toEqual(demo.slice(0, 4));
  });

  it('no hubble-relay Service: exit 3 and how to enable Hubble Relay', async () => {
    const svc = k8s.getObjects('Service').find((o) => o.metadata.name === 'hubble-relay')!;
    k8s.applyEvent({ type: 'DELETED', object: svc });
    try {
      const r = await run(['--context', 'demo', '--kubeconfig', kubeconfig]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/Hubble Relay is not enabled.*cilium hubble enable --relay/);
    } finally {
      k8s.applyEvent({ type: 'ADDED', object: svc });
    }
  });

  it('the L7, DNS-name, service, workload and identity flags, also negated', async () => {
    const opts: FlowFilterOptions = {
      service: ['backend/api'],
      httpMethod: ['get', 'post'],
      not: { httpStatus: ['2+'] },
      last: Number.MAX_SAFE_INTEGER,
    };
    const [server, file, world] = await Promise.all([
      run([
        '--server',
        hubbleL7.address,
        '--service',
        'backend/api',
        '--http-method',
        'get',
        '--http-method',
        'POST',
        '--not',
        '--http-status=2+',
        '--all',
        '--json',
      ]),
      run(['--file', l7File, '--to-fqdn', '*.stripe.com', '--from-workload', 'Deployment/api', '--all']),
      run(['--file', l7File, '--to-identity', 'world', '--not', '--tcp-flags=syn', '--all']),
    ]);
    expect(server.stderr).toBe('');
    expect(server.code).toBe(0);
    const got = parseFlowLines(server.stdout).flows;
    const req = buildFlowRequest(opts);
    const own = hubbleL7.ring().filter((f) => simRequestMatches(req, f));
    expect(got).toEqual(own);
    // requests (no status) to the Service and its responses that are not 2xx
    expect(new Set(got.map((f) => f.l7?.http?.code))).toEqual(new Set([undefined, 404, 503]));
    expect(file.code).toBe(0);
    const lines = file.stdout.trim().split('\n');
    expect(lines.length).toBe(l7Flows.filter((f) => f.destination_names?.includes('api.stripe.com')).length);
    for (const l of lines)
      expect(l).toMatch(/backend\/api-5c6d7f8b9-fghij:\d+ \(ID:30711\) -> api\.stripe\.com:443 \(world\) /);
    // every flow to the world has SYN set: nothing left
    expect([world.code, world.stdout]).toEqual([0, '']);
  });

  it('bad values of the new flags exit 2 with the hubble CLI’s message', async () => {
    const [status, identity, l7type, not] = await Promise.all([
      run(['--file', l7File, '--http-status', '6+']),
      run(['--file', l7File, '--from-identity', 'everyone']),
      run(['--file', l7File, '--http-path', '^/v1', '--type', 'trace']),
      run(['--file', l7File, '--not', '--namespace', 'kube-system']),
    ]);
    expect([status.code, status.stderr]).toEqual([
      2,
      expect.stringMatching(/invalid status code prefix: "6\+"/),
    ]);
    expect([identity.code, identity.stderr]).toEqual([
      2,
      expect.stringMatching(
        /invalid security identity, expected one of \[host world .*\] or a numeric value/,
      ),
    ]);
    expect([l7type.code, l7type.stderr]).toEqual([
      2,
      expect.stringMatching(
        /filtering by http path requires the event type filter to only match 'l7' events/,
      ),
    ]);
    expect([not.code, not.stderr]).toEqual([
      2,
      expect.stringMatching(
        /unexpected argument "kube-system" \(a negated flag takes its value with "=": --not --namespace=kube-system\)/,
      ),
    ]);
  });
});
