/**
 * The Kubernetes API simulator in its own process for bench/ui-frames.bench.ts (a real API server is not
 * in the bench's process either), with the demo scenario and the hubble-relay pod's port-forward going to
 * a local Relay simulator:
 *
 *   tsx bench/ui-frames/k8s-process.ts --relay-port PORT --kubeconfig FILE
 *
 * Writes a kubeconfig (context sim-admin) to FILE, prints {"url":"https://127.0.0.1:PORT"} when ready,
 * and serves until SIGTERM/SIGINT or until stdin closes.
 */
import { createInterface } from 'node:readline';
import { DEMO_SCENARIO_PATH, startK8sSim } from '../../test/k8s-sim/index';

const arg = (name: string): string => {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`k8s-process: ${name} is required`);
  return v;
};

const RELAY_POD = 'hubble-relay-6b9c7d8f5-zx7vq';
const sim = await startK8sSim({ scenario: DEMO_SCENARIO_PATH });
sim.setPortForwardTarget('kube-system', RELAY_POD, 4245, Number(arg('--relay-port')));
sim.writeKubeconfig(arg('--kubeconfig'), { users: ['admin'], currentContext: 'sim-admin' });
process.stdout.write(JSON.stringify({ url: sim.url }) + '\n');

const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
createInterface({ input: process.stdin }).on('close', stop);
