// `npm test`: typecheck (both tsconfigs), eslint + prettier --check, vitest, build, playwright.
// Ends with one plain line "N passed, M failed" (vitest + playwright test counts; a failed gate such
// as typecheck or lint counts as one failure) and exits non-zero on any failure.
import { ensureNode22 } from './ensure-node.mjs';
ensureNode22(import.meta.url);

const { spawnSync } = await import('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync } = await import('node:fs');
const { dirname, join } = await import('node:path');
const { fileURLToPath } = await import('node:url');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const vitestJson = join(resultsDir, 'vitest.json');
const playwrightJson = join(resultsDir, 'playwright.json');
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

/** "SKIPPED <title>: <reason>" for every skipped Playwright test (e.g. the Electron smoke test without a binary). */
function skippedWithReasons(report) {
  const out = [];
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'skipped') {
          const reason =
            (t.annotations ?? []).find((a) => a.type === 'skip')?.description ?? 'no reason given';
          out.push(`SKIPPED ${[...path, spec.title].filter(Boolean).join(' › ')}: ${reason}`);
        }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const s of report.suites ?? []) walk(s, [s.title]);
  return out;
}
const skippedLines = [];

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const gates = [];
let passed = 0;
let failed = 0;
let skipped = 0;

function run(title, cmd, args, env = {}) {
  if (only.length && !only.includes(title)) return true;
  process.stdout.write(`\n== ${title}: ${[cmd.replace(root + '/', ''), ...args].join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0', ...env },
  });
  const ok = r.status === 0;
  gates.push({ title, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

function gate(title, cmd, args) {
  if (!run(title, cmd, args)) failed += 1;
}

gate('typecheck', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
gate('typecheck-web', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
gate('eslint', bin('eslint'), ['.']);
gate('prettier', bin('prettier'), ['--check', '.', '--log-level', 'warn']);

const vitestOk = run('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // a suite that failed to load has no failed tests but still fails the run
  if (!vitestOk && !(v.numFailedTests > 0)) failed += Math.max(1, v.numFailedTestSuites ?? 1);
} else if (!only.length || only.includes('vitest')) failed += 1;

const buildOk = run('build', process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet']);
if (!buildOk) failed += 1;

if (buildOk) {
  const pwOk = run('playwright', bin('playwright'), ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  if (existsSync(playwrightJson)) {
    const p = JSON.parse(readFileSync(playwrightJson, 'utf8'));
    const s = p.stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
    for (const e of p.errors ?? [])
      process.stdout.write(`playwright error: ${e.message ?? JSON.stringify(e)}\n`);
    skippedLines.push(...skippedWithReasons(p));
    if (!pwOk && !(s.unexpected > 0)) failed += 1;
  } else if (!only.length || only.includes('playwright')) failed += 1;
}

process.stdout.write('\n== summary\n');
for (const g of gates) process.stdout.write(`${g.ok ? 'ok  ' : 'FAIL'} ${g.title} (${g.seconds}s)\n`);
for (const line of skippedLines) process.stdout.write(line + '\n');
if (skipped) process.stdout.write(`${skipped} skipped\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || gates.some((g) => !g.ok) ? 1 : 0);
