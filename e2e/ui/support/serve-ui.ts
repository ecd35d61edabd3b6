/**
 * UI development/e2e helper: builds the renderer with Vite into a temp folder and serves it with the
 * real browser-mode host (src-main/host) and real API services. Prints `URL <url-with-token>`.
 *
 *   npx tsx --tsconfig tsconfig.node.json e2e/ui/support/serve-ui.ts [--no-build] [--out DIR] [--snapshot F] [--context C]
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { parseStartupArgs, initialViewFor } from '../../../src-main/app/startup-args';
import { hasAnyKubeconfig } from '../../../src-main/app/kubeconfig-presence';
import { ApiSession, createContextsHub, defaultDeps } from '../../../src-main/services';
import { startHost } from '../../../src-main/host/server';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const argv = process.argv.slice(2);
const outIdx = argv.indexOf('--out');
const outDir = outIdx >= 0 ? argv[outIdx + 1] : '/tmp/netpol-ui/renderer';
const rest = argv.filter((a, i) => a !== '--no-build' && i !== outIdx && i !== outIdx + 1);

export async function buildRenderer(dir: string): Promise<void> {
  await build({
    root: join(root, 'src-renderer'),
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: { '@shared': join(root, 'shared') } },
    plugins: [react()],
    build: { outDir: dir, emptyOutDir: true, sourcemap: true },
  });
}

async function main() {
  if (!argv.includes('--no-build')) await buildRenderer(outDir);
  const args = parseStartupArgs(rest);
  const deps = defaultDeps();
  const contexts = createContextsHub(deps, args.kubeconfig);
  const initial = initialViewFor(args, hasAnyKubeconfig(args.kubeconfig));
  const host = await startHost({
    rendererDir: outDir,
    port: args.listenPort,
    log: (l) => process.stderr.write(`host: ${l}\n`),
    createSession: () =>
      new ApiSession({
        transport: 'websocket',
        initial,
        prefill: args.wizard,
        deps,
        kubeconfig: args.kubeconfig,
        nativeFiles: false,
        startupPaths: args.snapshot,
        contexts,
      }),
  });
  process.stdout.write(`URL ${host.url}\n`);
  const stop = () => {
    contexts.close();
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => {
  process.stderr.write(`serve-ui failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
