/**
 * The simulator driven by the real `kubectl` (skipped, with a message, when kubectl is not installed):
 * chunked lists, the Forbidden message, `auth can-i` (kubectl sends the review as protobuf), raw discovery.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCENARIO_PATH, startK8sSim, type K8sSim } from './index.js';

function kubectlVersion(): string | undefined {
  try {
    return execFileSync('kubectl', ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
  } catch {
    return undefined;
  }
}

const hasKubectl = kubectlVersion() !== undefined;
if (!hasKubectl) console.warn('k8s-sim kubectl tests SKIPPED: kubectl is not installed (on PATH)');

let sim: K8sSim;
let dir: string;
let kubeconfig: string;

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECONFIG: '' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!hasKubectl)('kubectl against the simulator', () => {
  beforeAll(async () => {
    sim = await startK8sSim({ scenario: DEMO_SCENARIO_PATH });
    dir = mkdtempSync(path.join(os.tmpdir(), 'k8s-sim-kubectl-'));
    kubeconfig = path.join(dir, 'kubeconfig.yaml');
    sim.writeKubeconfig(kubeconfig);
  });

  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists all pods in chunks with -o json', async () => {
    const r = await kubectl([
      '--context',
      'sim-admin',
      'get',
      'pods',
      '-A',
      '-o',
      'json',
      '--chunk-size',
      '4',
    ]);
    expect(r.stderr).toBe('');
    const list = JSON.parse(r.stdout) as { items: { kind: string; metadata: { name: string } }[] };
    expect(list.items.map((p) => p.metadata.name)).toContain('hubble-relay-6b9c7d8f5-zx7vq');
    expect(list.items.length).toBe(sim.getObjects('Pod').length);
    const continued = sim.requests.filter((q) => q.path === '/api/v1/pods' && q.query.includes('continue='));
    expect(continued.length).toBe(Math.ceil(list.items.length / 4) - 1);
  });

  it('prints the API server Forbidden message', async () => {
    const r = await kubectl(['--context', 'sim-restricted', 'get', 'networkpolicies', '-n', 'backend']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): networkpolicies.networking.k8s.io is forbidden: User "restricted" cannot list resource "networkpolicies" in API group "networking.k8s.io" in the namespace "backend"',
    );
  });

  it('answers kubectl auth can-i from the scenario rules', async () => {
    const ask = async (...args: string[]) =>
      (await kubectl(['--context', 'sim-restricted', 'auth', 'can-i', ...args])).stdout.trim();
    expect(await ask('list', 'networkpolicies', '-n', 'backend')).toBe('no');
    expect(await ask('list', 'networkpolicies', '-n', 'data')).toBe('yes');
    expect(await ask('create', 'pods', '--subresource', 'portforward', '-n', 'kube-system')).toBe('yes');
    expect(await ask('list', 'ciliumnetworkpolicies.cilium.io', '-A')).toBe('no');
  });

  it('refuses an expired client certificate', async () => {
    const r = await kubectl(['--context', 'sim-expired', 'get', 'ns']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Unauthorized');
  });
});
