/**
 * Run the simulator standalone:
 *   npx tsx test/k8s-sim/cli.ts <scenario.yaml> [--port N] [--kubeconfig out.yaml] [--latency MS] [--generate-pods N]
 * Prints the URL and the kubeconfig path, then serves until Ctrl-C.
 */
import os from 'node:os';
import path from 'node:path';
import { generateCluster } from './generate.js';
import { startK8sSim } from './index.js';

function usage(msg?: string): never {
  if (msg) process.stderr.write(`error: ${msg}\n`);
  process.stderr.write(
    'usage: npx tsx test/k8s-sim/cli.ts <scenario.yaml> [--port N] [--kubeconfig FILE] [--latency MS] [--generate-pods N]\n',
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let scenario: string | undefined;
  let port = 0;
  let kubeconfig: string | undefined;
  let latency = 0;
  let generatePods = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = (): string => {
      const v = args[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--port') port = Number(val());
    else if (a === '--kubeconfig') kubeconfig = val();
    else if (a === '--latency') latency = Number(val());
    else if (a === '--generate-pods') generatePods = Number(val());
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (!scenario) scenario = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!scenario) usage('a scenario file is required');
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${port}`);
  const sim = await startK8sSim({
    scenario,
    port,
    latencyMs: latency,
    ...(generatePods > 0 ? { objects: generateCluster({ pods: generatePods }) } : {}),
  });
  const kc = path.resolve(kubeconfig ?? path.join(os.tmpdir(), `k8s-sim-${sim.port}.kubeconfig`));
  sim.writeKubeconfig(kc);
  process.stdout.write(`k8s-sim listening on ${sim.url}\n`);
  process.stdout.write(`kubeconfig: ${kc}\n`);
  process.stdout.write(`users: ${sim.users.map((u) => u.name).join(', ')} (contexts sim-<user>)\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
