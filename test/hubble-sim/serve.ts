/**
 * Runs the Hubble Relay simulator in its own process (benchmarks, manual testing):
 *
 *   npx tsx --tsconfig tsconfig.node.json test/hubble-sim/serve.ts [--flows N | --demo] [--follow-rate R] [--max-flows M]
 *
 * Prints one JSON line {"address":"127.0.0.1:PORT","flows":N} on stdout when ready; stops on SIGTERM/SIGINT.
 */
import { buildDemoFlows, syntheticFlows } from './demo-flows';
import { startHubbleSim } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const count = Number(arg('--flows') ?? 0);
// --demo: the demo recording plus its HTTP / DNS / external-name L7 flows
const flows = process.argv.includes('--demo') ? buildDemoFlows({ l7: true }) : syntheticFlows(count);
const sim = await startHubbleSim({
  flows,
  followRate: Number(arg('--follow-rate') ?? 0),
  maxFlows: Number(arg('--max-flows') ?? Math.max(flows.length, 4095)),
  preEncode: true,
});
process.stdout.write(JSON.stringify({ address: sim.address, flows: flows.length }) + '\n');
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
