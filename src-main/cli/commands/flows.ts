/**
 * `netpol-doctor flows`: Hubble flows like `hubble observe`, from Relay (port-forwarded through the
 * cluster), a server address, or a `hubble observe -o json` file. Compact lines, or --json lines in the
 * shape `hubble observe -o json` prints. Exit 2 bad input, 3 unreachable.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError, EXIT } from '../errors';
import type { Flow, FlowFilterNegations, FlowFilterOptions } from '@shared/flows/types';
import { FILTER_FLAGS } from '@shared/flows/filter-flags';

/** Help for each `hubble observe` filter flag (all repeatable but the switches), in FILTER_FLAGS order. */
const FILTER_HELP: Record<string, [arg: string, help: string]> = {
  uuid: ['<uuid>', 'the flow with this unique identifier'],
  verdict: ['<verdict>', 'FORWARDED, DROPPED, AUDIT, REDIRECTED, ERROR, TRACED, TRANSLATED'],
  'drop-reason-desc': ['<reason>', 'drop reason, e.g. POLICY_DENIED'],
  type: ['<type>', 'event type: trace, drop, policy-verdict, l7, ... (e.g. trace:to-endpoint)'],
  'node-name': ['<[cluster/]node>', 'flows seen on these nodes; * wildcards (e.g. node-a, "prod/*")'],
  cluster: ['<name>', 'flows from or to endpoints in this cluster'],
  'from-cluster': ['<name>', 'flows from endpoints in this cluster'],
  'to-cluster': ['<name>', 'flows to endpoints in this cluster'],
  namespace: ['<ns>', 'flows from or to this namespace'],
  'from-namespace': ['<ns>', 'flows from this namespace'],
  'to-namespace': ['<ns>', 'flows to this namespace'],
  pod: ['<[ns/]pod>', 'flows from or to this pod (name prefix; namespace "default" if omitted)'],
  'from-pod': ['<[ns/]pod>', 'flows from this pod (name prefix)'],
  'to-pod': ['<[ns/]pod>', 'flows to this pod (name prefix)'],
  service: ['<[ns/]svc>', 'flows from or to this Service (name prefix; with --namespace: its namespace)'],
  'from-service': ['<[ns/]svc>', 'flows from this Service (name prefix)'],
  'to-service': ['<[ns/]svc>', 'flows to this Service (name prefix)'],
  workload: ['<[kind/]name>', 'flows from or to this workload (e.g. Deployment/web, web, StatefulSet/)'],
  'from-workload': ['<[kind/]name>', 'flows from this workload'],
  'to-workload': ['<[kind/]name>', 'flows to this workload'],
  label: ['<selector>', 'flows from or to endpoints matching this label selector'],
  'from-label': ['<selector>', 'flows from endpoints matching this label selector'],
  'to-label': ['<selector>', 'flows to endpoints matching this label selector'],
  identity: ['<id>', 'flows from or to this security identity: a number or world, host, remote-node, ...'],
  'from-identity': ['<id>', 'flows from this security identity'],
  'to-identity': ['<id>', 'flows to this security identity'],
  fqdn: ['<pattern>', 'flows from or to this DNS name; * wildcards (e.g. "*.stripe.com")'],
  'from-fqdn': ['<pattern>', 'flows from this DNS name'],
  'to-fqdn': ['<pattern>', 'flows to this DNS name'],
  ip: ['<ip|cidr>', 'flows from or to this IP or CIDR'],
  'from-ip': ['<ip|cidr>', 'flows from this IP or CIDR'],
  'to-ip': ['<ip|cidr>', 'flows to this IP or CIDR'],
  ipv4: ['', 'only IPv4 flows'],
  ipv6: ['', 'only IPv6 flows'],
  protocol: ['<p>', 'tcp, udp, icmp, icmpv4, icmpv6, dns, http, kafka'],
  port: ['<n>', 'flows from or to this L4 port'],
  'from-port': ['<n>', 'flows from this L4 port'],
  'to-port': ['<n>', 'flows to this L4 port'],
  'tcp-flags': ['<flags>', 'TCP flags that must all be set, comma-separated (e.g. syn, syn,ack, rst)'],
  'traffic-direction': ['<dir>', 'ingress or egress'],
  'http-status': ['<code>', 'HTTP status code or prefix (e.g. 404, 5+, 20+); L7 flows only'],
  'http-method': ['<method>', 'HTTP method, any case (e.g. get, POST)'],
  'http-path': ['<regexp>', 'HTTP path regular expression (e.g. "^/v1/charges/")'],
  'http-header': ['<name:value>', 'HTTP header with this exact value (e.g. user-agent:payments/1.4)'],
  'http-url': ['<regexp>', 'HTTP URL regular expression (e.g. "stripe\\.com/v1")'],
};

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
  /** `--not FLAG[=VALUE]` (repeatable) */
  not?: string[];
  last?: string;
  first?: string;
  all?: boolean;
  since?: string;
  until?: string;
  follow?: boolean;
  json?: boolean;
  printNodeName?: boolean;
  /** the filter flags, by FlowFilterOptions key (string lists; switches are booleans) */
  [filterKey: string]: unknown;
}

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new CliError(`${flag} needs a whole number, got "${v}"`, EXIT.badInput);
  return Number(v);
}

/** `--not --namespace=kube-system`, `--not --ipv6`: one negated filter flag, as `hubble observe --not` */
type FilterModule = typeof import('@shared/flows/filter');

function parseNot(
  values: string[] | undefined,
  { parseHubbleArgs, FlowFilterError }: FilterModule,
): FlowFilterNegations | undefined {
  if (!values?.length) return undefined;
  const not: Record<string, unknown[]> = {};
  for (const v of values) {
    let parsed: FlowFilterOptions;
    try {
      parsed = parseHubbleArgs(['--not', v.startsWith('-') ? v : `--${v}`]);
    } catch (err) {
      if (!(err instanceof FlowFilterError)) throw err;
      const hint = /needs a value/.test(err.message) ? ` (write --not ${v}=VALUE)` : '';
      throw new CliError(`--not ${v}: ${err.message}${hint}`, EXIT.badInput);
    }
    for (const [k, x] of Object.entries(parsed.not ?? {}))
      if (Array.isArray(x)) (not[k] ??= []).push(...(x as unknown[]));
      else (not as Record<string, unknown>)[k] = x;
  }
  return not as FlowFilterNegations;
}

function toFilterOptions(o: FlowsCliOptions, filterModule: FilterModule): FlowFilterOptions {
  const f: FlowFilterOptions = {};
  const bag = f as Record<string, unknown>;
  for (const { flag, key, kind } of FILTER_FLAGS) {
    const v = o[key];
    if (kind === 'switch') {
      if (v === true) bag[key] = true;
      continue;
    }
    const vals = (v as string[] | undefined) ?? [];
    if (!vals.length) continue;
    bag[key] =
      kind === 'port'
        ? vals.map((p) => {
            const n = wholeNumber(`--${flag}`, p)!;
            if (n > 65535) throw new CliError(`--${flag} must be 0-65535, got ${p}`, EXIT.badInput);
            return n;
          })
        : vals;
  }
  const not = parseNot(o.not, filterModule);
  if (not) f.not = not;
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
  const cmd = program
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
    .option('--last <n>', 'the last N flows (default 20 unless --since/--until/--follow)')
    .option('--first <n>', 'the first N flows in the buffer')
    .option('--all', 'every flow in the buffer')
    .option('--since <time>', 'flows since a time: relative (5m, 1h30m) or RFC 3339')
    .option('--until <time>', 'flows until a time: relative or RFC 3339')
    .option('-f, --follow', 'keep streaming new flows (Ctrl-C to stop); reconnects if the connection drops')
    .option('--json', 'one flow per line, as `hubble observe -o json` prints')
    .option('--print-node-name', 'print the node name in compact output');
  for (const { flag, kind } of FILTER_FLAGS) {
    const [arg, help] = FILTER_HELP[flag];
    if (kind === 'switch') cmd.option(`--${flag}`, help);
    else cmd.option(`--${flag} ${arg}`, `${help} (repeatable)`, collect);
  }
  cmd
    .option(
      '--not <flag>',
      'negate the filter flag given as its value: --not --namespace=kube-system, --not --ipv6 (repeatable)',
      collect,
    )
    .allowExcessArguments()
    .action(async (o: FlowsCliOptions, command: Command) => {
      if (command.args.length)
        throw new CliError(
          `unexpected argument "${command.args[0]}"` +
            (o.not?.length
              ? ` (a negated flag takes its value with "=": --not --namespace=kube-system)`
              : ''),
          EXIT.badInput,
        );
      const sources = [o.server, o.context, o.file].filter((x) => x !== undefined).length;
      if (sources !== 1)
        throw new CliError(
          'give exactly one of --server HOST:PORT, --context NAME or --file FILE',
          EXIT.badInput,
        );
      const filterModule = await import('@shared/flows/filter');
      const { FlowFilterError, buildFlowRequest } = filterModule;
      const { FlowTimeError } = await import('@shared/flows/time');
      const { formatCompactFlow } = await import('@shared/flows/compact');
      const { formatFlowLine } = await import('@shared/flows/jsonl');
      const filter = toFilterOptions(o, filterModule);
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
