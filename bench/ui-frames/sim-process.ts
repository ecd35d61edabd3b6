/**
 * The Hubble Relay simulator in its own process for bench/ui-frames.bench.ts, with the follow stream
 * switched on only when the measurement starts (so connecting is not slowed by 20k generated flows/s):
 *
 *   tsx bench/ui-frames/sim-process.ts --flows N
 *
 * Prints {"address":"127.0.0.1:PORT"} when ready, then reads commands on stdin, one a line:
 * `rate R` sets the follow rate (flows/s), `seen` prints {"seen":N,"ms":T} (flows generated so far, at T ms of this process).
 * Stops on SIGTERM/SIGINT or when stdin closes.
 */
import { createInterface } from 'node:readline';
import { startHubbleSim } from '../../test/hubble-sim/index';
import { syntheticFlows } from '../../test/hubble-sim/demo-flows';

const i = process.argv.indexOf('--flows');
const flows = syntheticFlows(i >= 0 ? Number(process.argv[i + 1]) : 2000);
const sim = await startHubbleSim({
  flows,
  followRate: 0,
  // Cilium's largest hubble-event-buffer-capacity: a real 20k flows/s cluster spreads its flows over many
  // nodes' rings, so a single 4095-flow ring would lose flows at the first 200 ms hiccup of this machine
  maxFlows: Math.max(flows.length, 65_535),
  preEncode: true,
});
process.stdout.write(JSON.stringify({ address: sim.address }) + '\n');

const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'rate') sim.setFollowRate(Number(arg));
  else if (cmd === 'seen')
    process.stdout.write(JSON.stringify({ seen: sim.seen(), ms: performance.now() }) + '\n');
});
rl.on('close', stop);
