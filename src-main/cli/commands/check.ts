import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors';
import { addSourceOptions } from '../source';
import type { SourceOptions } from '../source';
import { engineFor } from './trace';

interface CheckOptions extends SourceOptions {
  expect: string;
  json?: boolean;
  junit?: string;
}

/**
 * `netpol-doctor check (--snapshot F | --context C [--kubeconfig P]) --expect E [--json] [--junit FILE]`:
 * evaluates every expectation; exit 0 when all hold, 1 when any fails, 2 on bad input.
 */
export function registerCheck(program: Command): void {
  addSourceOptions(
    program
      .command('check')
      .description('check a list of expected connections (allowed/denied) against the policies, for CI')
      .requiredOption(
        '--expect <file>',
        'expectations file (YAML or JSON, see schemas/expectations.schema.json)',
      )
      .option('--json', 'print one JSON result per line')
      .option('--junit <file>', 'also write a JUnit XML report to FILE'),
  ).action(async (opts: CheckOptions) => {
    const {
      parseExpectations,
      runCheck,
      checkLineJson,
      checkSummary,
      checkToJunit,
      lineTitle,
      ExpectationsError,
    } = await import('@shared/check/index');
    let text: string;
    try {
      text = await readFile(opts.expect, 'utf8');
    } catch (e) {
      throw new CliError(
        `cannot read the expectations file ${opts.expect}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      );
    }
    let expectations;
    try {
      expectations = parseExpectations(text, basename(opts.expect));
    } catch (e) {
      if (e instanceof ExpectationsError) throw new CliError(e.message);
      throw e;
    }
    const engine = await engineFor(opts);
    const run = runCheck(engine, expectations, { details: opts.json ? 'all' : 'failures' });
    const out: string[] = [];
    if (opts.json) {
      for (const r of run.results) out.push(JSON.stringify(checkLineJson(r)));
    } else {
      for (const r of run.results) {
        if (r.ok) continue;
        const deciding = r.decidedBy.length
          ? ` [decided by ${r.decidedBy.map((p) => `${p.kind === 'NetworkPolicy' ? '' : `${p.kind} `}${p.namespace ? `${p.namespace}/` : ''}${p.name}`).join(', ')}]`
          : '';
        out.push(
          `FAIL ${r.name ? `${r.name}: ` : ''}${lineTitle(r)}, got ${r.actual}${r.line ? ` (${expectations.fileName}:${r.line})` : ''}`,
        );
        out.push(`     ${r.reason}${deciding}`);
      }
    }
    for (const e of run.errors)
      process.stderr.write(
        `netpol-doctor: ${expectations.fileName}: entry ${e.entry + 1}${e.line ? ` (line ${e.line})` : ''}${e.name ? ` "${e.name}"` : ''}: ${e.message}\n`,
      );
    if (!opts.json) out.push(checkSummary(run));
    process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
    if (opts.json) process.stderr.write(`${checkSummary(run)}\n`);
    if (opts.junit) {
      try {
        await writeFile(opts.junit, checkToJunit(run));
      } catch (e) {
        throw new CliError(`cannot write the JUnit report ${opts.junit}: ${(e as Error).message}`);
      }
    }
    process.exitCode = run.errors.length ? EXIT.badInput : run.failed ? EXIT.checkFailed : EXIT.ok;
  });
}
