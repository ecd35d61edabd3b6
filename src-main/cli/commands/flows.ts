/**
 * `netpol-doctor flows`: Hubble flows like `hubble observe`, from Relay (port-forwarded through the
 * cluster), a server address, or a `hubble observe -o json` file. Compact lines, or --json lines in the
 * shape `hubble observe -o json` prints. Exit 2 bad input, 3 unreachable.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError, EXIT } from '../errors';
import type { Flow, FlowFilterOptions } from '@shared/flows/types';

interface FlowsCliOptions {
  server?: string;
  context?: string;
  kubeconfig?: string;
  file?: string;
  relayNamespace?: string;
  relayService?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsServerName?: string;
  verdict: string[];
  namespace: string[];
  pod: string[];
  fromPod: string[];
  toPod: string[];
  label: string[];
  ip: string[];
  port: string[];
  protocol: string[];
  type: string[];
  dropReasonDesc: string[];
  last?: string;
  first?: string;
  all?: boolean;
  since?: string;
  until?: string;
  follow?: boolean;
  json?: boolean;
  printNodeName?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new CliError(`${flag} needs a whole number, got "${v}"`, EXIT.badInput);
  return Number(v);
}

function toFilterOptions(o: FlowsCliOptions): FlowFilterOptions {
  const f: FlowFilterOptions = {};
  const list = (k: keyof FlowFilterOptions, v: string[]) => {
    if (v.length) (f as Record<string, unknown>)[k] = v;
  };
  list('verdict', o.verdict);
  list('namespace', o.namespace);
  list('pod', o.pod);
  list('fromPod', o.fromPod);
  list('toPod', o.toPod);
  list('label', o.label);
  list('ip', o.ip);
  list('protocol', o.protocol);
  list('type', o.type);
  list('dropReasonDesc', o.dropReasonDesc);
  if (o.port.length)
    f.port = o.port.map((p) => {
      const n = wholeNumber('--port', p)!;
      if (n > 65535) throw new CliError(`--port must be 0-65535, got ${p}`, EXIT.badInput);
      return n;
    });
  f.last = wholeNumber('--last', o.last);
  f.first = wholeNumber('--first', o.first);
  if (o.all) f.last = Number.MAX_SAFE_INTEGER;
  if (o.since) f.since = o.since;
  if (o.until) f.until = o.until;
  if (o.follow) f.follow = true;
  for (const k of Object.keys(f) as (keyof FlowFilterOptions)[]) if (f[k] === undefined) delete f[k];
  return f;
}

function readPem(flag: string, path: string | undefined): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(
      `${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      EXIT.badInput,
    );
  }
}

export function registerFlows(program: Command): void {
  program
    .command('flows')
    .description(
      'show Hubble flows like `hubble observe`: from Hubble Relay (port-forwarded), a server address, or a hubble -o json file',
    )
    .option(
      '--server <host:port>',
      'Hubble server address (e.g. an existing `cilium hubble port-forward`: 127.0.0.1:4245); tls://host:port for TLS',
    )
    .option(
      '--context <name>',
      'reach Hubble Relay through this kubeconfig context (port-forward, like hubble --port-forward)',
    )
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--file <path>', 'read flows from `hubble observe -o json|jsonpb` output')
    .option('--relay-namespace <ns>', 'namespace of the hubble-relay Service', 'kube-system')
    .option('--relay-service <name>', 'name of the Relay Service', 'hubble-relay')
    .option('--tls', 'use TLS to the server (with --server)')
    .option('--tls-ca <file>', 'CA certificate (PEM) for Relay TLS')
    .option('--tls-cert <file>', 'client certificate (PEM) for Relay mTLS')
    .option('--tls-key <file>', 'client key (PEM) for Relay mTLS')
    .option(
      '--tls-server-name <name>',
      'TLS server name to verify (default instance.hubble-relay.cilium.io with a CA)',
    )
    .option(
      '--verdict <verdict>',
      'FORWARDED, DROPPED, AUDIT, REDIRECTED, ERROR, TRACED, TRANSLATED (repeatable)',
      collect,
      [],
    )
    .option('--namespace <ns>', 'flows from or to this namespace (repeatable)', collect, [])
    .option('--pod <[ns/]pod>', 'flows from or to this pod (name prefix; repeatable)', collect, [])
    .option('--from-pod <[ns/]pod>', 'flows from this pod (repeatable)', collect, [])
    .option('--to-pod <[ns/]pod>', 'flows to this pod (repeatable)', collect, [])
    .option(
      '--label <selector>',
      'flows from or to endpoints matching this label selector (repeatable)',
      collect,
      [],
    )
    .option('--ip <ip|cidr>', 'flows from or to this IP or CIDR (repeatable)', collect, [])
    .option('--port <n>', 'flows from or to this L4 port (repeatable)', collect, [])
    .option('--protocol <p>', 'tcp, udp, icmp, icmpv4, icmpv6, dns, http, kafka (repeatable)', collect, [])
    .option(
      '--type <type>',
      'event type: trace, drop, policy-verdict, ... (e.g. trace:to-endpoint; repeatable)',
      collect,
      [],
    )
    .option('--drop-reason-desc <reason>', 'drop reason, e.g. POLICY_DENIED (repeatable)', collect, [])
    .option('--last <n>', 'the last N flows (default 20 unless --since/--until/--follow)')
    .option('--first <n>', 'the first N flows in the buffer')
    .option('--all', 'every flow in the buffer')
    .option('--since <time>', 'flows since a time: relative (5m, 1h30m) or RFC 3339')
    .option('--until <time>', 'flows until a time: relative or RFC 3339')
    .option('-f, --follow', 'keep streaming new flows (Ctrl-C to stop); reconnects if the connection drops')
    .option('--json', 'one flow per line, as `hubble observe -o json` prints')
    .option('--print-node-name', 'print the node name in compact output')
    .action(async (o: FlowsCliOptions) => {
      const sources = [o.server, o.context, o.file].filter((x) => x !== undefined).length;
      if (sources !== 1)
        throw new CliError(
          'give exactly one of --server HOST:PORT, --context NAME or --file FILE',
          EXIT.badInput,
        );
      const { FlowFilterError, buildFlowRequest } = await import('@shared/flows/filter');
      const { FlowTimeError } = await import('@shared/flows/time');
      const { formatCompactFlow } = await import('@shared/flows/compact');
      const { formatFlowLine } = await import('@shared/flows/jsonl');
      const filter = toFilterOptions(o);
      let request;
      try {
        request = buildFlowRequest(filter);
      } catch (err) {
        if (err instanceof FlowFilterError || err instanceof FlowTimeError)
          throw new CliError(err.message, EXIT.badInput);
        throw err;
      }
      const print = (flows: Flow[]) => {
        let out = '';
        for (const f of flows)
          out += (o.json ? formatFlowLine(f) : formatCompactFlow(f, { nodeName: o.printNodeName })) + '\n';
        if (out) process.stdout.write(out);
      };

      if (o.file) {
        if (o.follow) throw new CliError('--follow cannot be used with --file', EXIT.badInput);
        let text: string;
        try {
          text = readFileSync(o.file, 'utf8');
        } catch (err) {
          throw new CliError(
            `cannot read ${o.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
            EXIT.badInput,
          );
        }
        const { parseFlowLines } = await import('@shared/flows/jsonl');
        const { selectFlows } = await import('@shared/flows/match');
        const parsed = parseFlowLines(text);
        for (const e of parsed.errors.slice(0, 20))
          process.stderr.write(`netpol-doctor: ${o.file}:${e.line}: ${e.message} (line skipped)\n`);
        if (parsed.errors.length > 20)
          process.stderr.write(
            `netpol-doctor: ${o.file}: ${parsed.errors.length - 20} more malformed lines skipped\n`,
          );
        let flows: Flow[];
        try {
          flows = selectFlows(parsed.flows, request);
        } catch (err) {
          throw new CliError((err as Error).message, EXIT.badInput);
        }
        print(flows);
        return;
      }

      const { FlowStreamManager } = await import('../../hubble/stream-manager');
      const tlsFiles = o.tlsCa || o.tlsCert || o.tlsKey;
      const tls = tlsFiles
        ? {
            ca: readPem('--tls-ca', o.tlsCa),
            cert: readPem('--tls-cert', o.tlsCert),
            key: readPem('--tls-key', o.tlsKey),
            serverName: o.tlsServerName ?? (o.tlsCa ? 'instance.hubble-relay.cilium.io' : undefined),
          }
        : o.tls
          ? { serverName: o.tlsServerName }
          : undefined;
      const manager = new FlowStreamManager({ bufferSize: 10_000 });
      manager.on('batch', (b) => print(b.flows));
      const { streamId } = manager.start({
        source: o.server
          ? { kind: 'server', address: o.server, tls }
          : {
              kind: 'relay',
              context: o.context!,
              kubeconfig: o.kubeconfig,
              namespace: o.relayNamespace,
              service: o.relayService,
              tls: tls ?? 'auto',
            },
        filter,
      });
      const onSigint = () => void manager.stop(streamId);
      process.on('SIGINT', onSigint);
      try {
        await new Promise<void>((resolve, reject) => {
          manager.on('state', (s) => {
            if (s.streamId !== streamId) return;
            if (s.state === 'reconnecting') process.stderr.write(`netpol-doctor: ${s.message}\n`);
            if (s.state === 'live' && s.gap) process.stderr.write(`netpol-doctor: ${s.message}\n`);
            if (s.state === 'done' || s.state === 'closed') resolve();
            if (s.state === 'failed')
              reject(
                new CliError(
                  s.message ?? 'Hubble stream failed',
                  s.code === 'bad-request' ? EXIT.badInput : EXIT.unreachable,
                ),
              );
          });
        });
      } finally {
        process.removeListener('SIGINT', onSigint);
        await manager.stopAll();
      }
    });
}
