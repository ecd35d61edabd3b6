import type { Command } from 'commander';
import { addSourceOptions } from '../source';
import type { SourceOptions } from '../source';
import { asBadInput, engineFor, parsePortOption } from './trace';

interface DiagnoseOptions extends SourceOptions {
  from: string;
  to: string;
  port: string;
  protocol?: string;
  json?: boolean;
}

/**
 * `netpol-doctor diagnose (--snapshot F | --context C) --from SRC --to DST --port PORT [--json]`:
 * the wizard's steps (labels → namespace → syntax → CNI) with evidence and fixes, then the verdict.
 */
export function registerDiagnose(program: Command): void {
  addSourceOptions(
    program
      .command('diagnose')
      .description(
        'walk the troubleshooting steps (labels, namespace, syntax, CNI) for one connection and print the fixes',
      )
      .requiredOption('--from <src>', 'source: ns/pod, a pod IP, or an external address')
      .requiredOption('--to <dst>', 'destination: ns/pod, a pod IP, or an external address')
      .requiredOption(
        '--port <port>',
        'N/PROTO or NAME/PROTO (PROTO defaults to TCP), e.g. 8080, 53/UDP, http',
      )
      .option('--protocol <proto>', 'TCP, UDP or SCTP (when not given in --port)')
      .option('--json', 'print {"verdict","steps":[...],"trace"} as JSON'),
  ).action(async (opts: DiagnoseOptions) => {
    const { port, protocol } = await parsePortOption(opts.port, opts.protocol);
    const engine = await engineFor(opts);
    const { diagnose, diagnoseToJson, diagnosisToText } = await import('@shared/diagnose/index');
    const d = await asBadInput(() => diagnose(engine, { from: opts.from, to: opts.to, port, protocol }));
    process.stdout.write(opts.json ? `${JSON.stringify(diagnoseToJson(d), null, 2)}\n` : diagnosisToText(d));
  });
}
