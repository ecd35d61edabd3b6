import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors';
import { addSourceOptions, loadSource } from '../source';
import type { SourceOptions } from '../source';
import { asBadInput, parsePortOption } from './trace';

interface ReportOptions extends SourceOptions {
  from?: string;
  to?: string;
  port?: string;
  protocol?: string;
  format: string;
  output: string;
  anonymize?: boolean;
}

const FORMATS = ['html', 'md', 'json', 'pdf'] as const;

/**
 * `netpol-doctor report (--snapshot F | --context C) [--from --to --port] --format html|md|json|pdf -o FILE [--anonymize]`.
 * Without a question: the cluster's lint findings and policy coverage.
 */
export function registerReport(program: Command): void {
  addSourceOptions(
    program
      .command('report')
      .description(
        'write a diagnostic report (HTML, Markdown, JSON or PDF) for one connection, or for the whole cluster',
      )
      .option('--from <src>', 'source of the connection to diagnose')
      .option('--to <dst>', 'destination of the connection to diagnose')
      .option('--port <port>', 'port of the connection: N/PROTO or NAME/PROTO')
      .option('--protocol <proto>', 'TCP, UDP or SCTP (when not given in --port)')
      .option('--format <format>', 'html, md, json or pdf', 'html')
      .requiredOption('-o, --output <file>', 'file to write')
      .option('--anonymize', 'replace names and IP addresses by consistent pseudonyms'),
  ).action(async (opts: ReportOptions) => {
    if (!(FORMATS as readonly string[]).includes(opts.format))
      throw new CliError(`unknown --format "${opts.format}": use html, md, json or pdf`);
    const given = [opts.from, opts.to, opts.port].filter((x) => x !== undefined).length;
    if (given !== 0 && given !== 3)
      throw new CliError('a question needs all of --from, --to and --port (or none, for a cluster report)');
    const question =
      given === 3
        ? { from: opts.from!, to: opts.to!, ...(await parsePortOption(opts.port!, opts.protocol)) }
        : undefined;
    const snapshot = await loadSource(opts);
    const { createEngine } = await import('@shared/engine/index');
    const engine = createEngine(snapshot);
    const { exportReport } = await import('../../report/export');
    const { PdfUnavailableError } = await import('../../report/pdf');
    const server = snapshot.source.type === 'context' ? snapshot.source.server : undefined;
    const contextName = snapshot.source.type === 'context' ? snapshot.source.context : undefined;
    let report;
    try {
      report = await asBadInput(() =>
        exportReport({
          snapshot,
          engine,
          question,
          format: opts.format as (typeof FORMATS)[number],
          anonymize: opts.anonymize,
          contextName,
          server,
        }),
      );
    } catch (e) {
      if (e instanceof PdfUnavailableError) throw new CliError(e.message, EXIT.badInput);
      throw e;
    }
    try {
      await writeFile(
        opts.output,
        report.encoding === 'base64' ? Buffer.from(report.content, 'base64') : report.content,
      );
    } catch (e) {
      throw new CliError(`cannot write ${opts.output}: ${(e as Error).message}`);
    }
    process.stderr.write(`wrote ${opts.output} (${opts.format}${opts.anonymize ? ', anonymized' : ''})\n`);
  });
}
