// Bundles the CLI (and the browser-mode host entry) with esbuild into out/. Fast (<1 s); node_modules stay external.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const DEFAULT_ENTRIES = { 'cli/index': 'src-main/cli/entry.ts', 'host/index': 'src-main/host/entry.ts' };

/** Builds the Node entries; tests pass their own `outdir` (and entries) so parallel runs never share a bundle. */
export async function buildNodeEntries({ outdir = 'out', entries = DEFAULT_ENTRIES } = {}) {
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Code splitting keeps dynamic imports lazy: `netpol-doctor --help` or `trace` on a file never
    // loads client-node, gRPC or Playwright.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: 'linked',
    alias: { '@shared': './shared' },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildNodeEntries();
}
