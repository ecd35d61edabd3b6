import type { Command } from 'commander';
import { CliError } from '../errors';
import { addSourceOptions, loadSource } from '../source';
import type { SourceOptions } from '../source';
import type { Engine, EndpointError as EndpointErrorType } from '@shared/engine/types';
import type { Protocol } from '@shared/k8s/types';
import type { Snapshot } from '@shared/snapshot/types';

interface TraceOptions extends SourceOptions {
  from: string;
  to: string;
  port: string;
  protocol?: string;
  json?: boolean;
}

/** Turns the engine's EndpointError (unknown pod, bad port) into a bad-input CLI error with suggestions. */
export async function asBadInput<T>(run: () => T | Promise<T>): Promise<T> {
  const { EndpointError } = await import('@shared/engine/types');
  try {
    return await run();
  } catch (err) {
    if (err instanceof EndpointError) {
      const e = err as EndpointErrorType;
      const shown = e.suggestions.length && !e.message.includes(e.suggestions[0]);
      const hint = shown ? `\n  did you mean: ${e.suggestions.join(', ')}` : '';
      throw new CliError(`${e.message}${hint}`);
    }
    throw err;
  }
}

/** `8080`, `8080/udp`, `http/TCP` → port (number or name) and protocol. Bad text → exit 2. */
export async function parsePortOption(
  text: string,
  protocol?: string,
): Promise<{ port: number | string; protocol: Protocol }> {
  const { parsePortSpec } = await import('@shared/engine/index');
  return asBadInput(() => parsePortSpec(text, protocol));
}

/**
 * Loads the snapshot and builds the engine. Pods and namespaces whose field types the API server could
 * not even decode (a string where a list belongs) are left out, with a warning on stderr; malformed
 * policies go to the engine, which sanitizes them and fails closed.
 */
export async function engineFor(opts: SourceOptions): Promise<Engine> {
  const snapshot = await loadSource(opts);
  return engineForSnapshot(snapshot);
}

export async function engineForSnapshot(snapshot: Snapshot): Promise<Engine> {
  const { createEngine } = await import('@shared/engine/index');
  const { malformedObjects, wellFormedView } = await import('@shared/snapshot/well-formed');
  // policies: the engine sanitizes them and fails closed; pods/namespaces it cannot read are left out
  const left = malformedObjects(snapshot, { keepPolicies: true });
  if (left.length)
    process.stderr.write(
      `netpol-doctor: warning: left out of the analysis (malformed, the API server would reject them; see \`lint\`): ${left.join(', ')}\n`,
    );
  return createEngine(left.length ? wellFormedView(snapshot, { keepPolicies: true }) : snapshot);
}

/** `netpol-doctor trace --from SRC --to DST --port PORT [--json]`: one flow, explained both ways. */
export function registerTrace(program: Command): void {
  addSourceOptions(
    program
      .command('trace')
      .description(
        'is traffic from SRC to DST on PORT allowed, and exactly why (egress of the source, ingress of the destination)',
      )
      .requiredOption('--from <src>', 'source: ns/pod, a pod IP, or an external address')
      .requiredOption('--to <dst>', 'destination: ns/pod, a pod IP, or an external address')
      .requiredOption(
        '--port <port>',
        'N/PROTO or NAME/PROTO (PROTO defaults to TCP), e.g. 8080, 53/UDP, http',
      )
      .option('--protocol <proto>', 'TCP, UDP or SCTP (when not given in --port)')
      .option('--json', 'print the structured TraceResult as JSON'),
  ).action(async (opts: TraceOptions) => {
    const { port, protocol } = await parsePortOption(opts.port, opts.protocol);
    const engine = await engineFor(opts);
    const result = await asBadInput(() => engine.trace({ from: opts.from, to: opts.to, port, protocol }));
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const { renderTraceText } = await import('@shared/engine/index');
    const text = renderTraceText(result);
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  });
}
