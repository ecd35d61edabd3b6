// Browser-mode host: `npm run web` (or `npm start` without an Electron binary).
import { join } from 'node:path';
import { initialViewFor, parseStartupArgs, resolveArgPaths, userCwd } from '../app/startup-args';
import { hasAnyKubeconfig } from '../app/kubeconfig-presence';
import { packageRoot } from '../paths';
import { ApiSession, createContextsHub, defaultDeps } from '../services';
import { openBrowser } from './open-browser';
import { PortInUseError, startHost, type RunningHost } from './server';

function say(line: string): void {
  process.stdout.write(line + '\n');
}
function warn(line: string): void {
  process.stderr.write(`netpol-doctor: ${line}\n`);
}

async function main(): Promise<void> {
  const args = resolveArgPaths(parseStartupArgs(process.argv.slice(2)), userCwd());
  for (const p of args.problems) warn(p);
  const deps = defaultDeps();
  const contexts = createContextsHub(deps, args.kubeconfig);
  const initial = initialViewFor(args, hasAnyKubeconfig(args.kubeconfig));
  const rendererDir = join(packageRoot(), 'out', 'renderer');
  const createSession = () =>
    new ApiSession({
      transport: 'websocket',
      initial,
      prefill: args.wizard,
      deps,
      kubeconfig: args.kubeconfig,
      nativeFiles: false,
      startupPaths: args.snapshot,
      contexts,
    });

  let host: RunningHost;
  try {
    host = await startHost({ rendererDir, port: args.listenPort, createSession, log: warn });
  } catch (err) {
    if (!(err instanceof PortInUseError)) throw err;
    warn(
      `port ${err.port} is already in use on 127.0.0.1; using a free port instead (choose one with --port N)`,
    );
    host = await startHost({ rendererDir, createSession, log: warn });
  }

  // The one line that carries the token.
  say(`Netpol Doctor (browser mode) is running at ${host.url}`);
  const launch = openBrowser(host.url);
  if (!launch.opened && launch.reason !== 'BROWSER=none')
    say(`Open that URL in your browser (${launch.reason}).`);
  say('Press Ctrl+C to stop.');

  const stop = () => {
    contexts.close();
    void host.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  warn(`browser mode failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
