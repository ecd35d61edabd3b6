// `npm run bench [-- NAME...]`: runs every bench/*.bench.ts (or those whose name contains NAME) with tsx,
// one after another, each printing its own table. Runs on the project's Node 24 (npm scripts put
// node_modules/.bin first on PATH). Extra options after `--` that start with `--` are passed to every bench.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

const args = process.argv.slice(2);
const filters = [];
const passThrough = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) {
    passThrough.push(args[i]);
    if (i + 1 < args.length && !args[i + 1].startsWith('--')) passThrough.push(args[++i]);
  } else filters.push(args[i]);
}

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filters.length || filters.some((n) => f.includes(n)))
  .sort();
if (!files.length) {
  process.stderr.write(`no bench/*.bench.ts matches ${filters.join(', ')}\n`);
  process.exit(2);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22)
  process.stderr.write(
    `warning: running on Node ${process.version}; use "npm run bench" for the project's Node 24\n`,
  );

let failed = 0;
for (const f of files) {
  process.stdout.write(`\n== ${f} ==\n`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [tsxCli, '--tsconfig', join(root, 'tsconfig.node.json'), join(benchDir, f), ...passThrough],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    failed++;
    process.stdout.write(`(${f} exited with code ${code})\n`);
  }
  process.stdout.write(`(${f}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
process.exit(failed ? 1 : 0);
