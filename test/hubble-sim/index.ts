/**
 * Hubble Relay simulator (test tooling): a real gRPC server implementing observer.Observer from a scenario
 * of flows (a ring of history, plus a follow stream at a configurable rate), applying GetFlows filters with
 * its own plain implementation. A TCP front door lets tests drop every connection on cue (dropAll) and
 * restart the server keeping the ring (restart), like a Relay pod restarting behind a port-forward.
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { Flow } from '@shared/flows/types';
import { splitTimestamp, joinTimestamp } from '@shared/flows/time';
import { flowToProto, requestFromProto, stringToTs } from '../../src-main/hubble/convert';
import { loadObserverProto } from '../../src-main/hubble/proto-load';
import { simRequestMatches } from './filter';

export interface HubbleSimTls {
  /** server certificate chain and key (PEM) */
  cert: string;
  key: string;
  /** CA to verify client certificates; with requireClientCert, mutual TLS like Relay's mtls option */
  clientCa?: string;
  requireClientCert?: boolean;
}

export interface HubbleSimOptions {
  /** history (any order; sorted by time) */
  flows: Flow[];
  /** flows per second appended to the ring and sent to followers; 0/undefined = none */
  followRate?: number;
  /** templates for generated follow flows (default: the history flows); each gets a new uuid and time */
  followTemplates?: Flow[];
  /** ring capacity (Relay sums agents' buffers; default 4095 per node like Hubble) */
  maxFlows?: number;
  tls?: HubbleSimTls;
  /** node names GetNodes reports (default: the node_name values in the flows) */
  nodes?: string[];
  version?: string;
  /** encode every history flow at start (benchmarks: keeps the server's cost out of the measurement) */
  preEncode?: boolean;
}

export interface HubbleSim {
  /** 127.0.0.1:port (the front door) */
  address: string;
  port: number;
  /** flows currently in the ring, oldest first */
  ring(): Flow[];
  /** total flows ever added (ServerStatus.seen_flows) */
  seen(): number;
  /** adds flows now (times are kept if set, else now); followers receive them */
  emit(flows: Flow[]): void;
  /** start/stop/change the generated follow stream */
  setFollowRate(rate: number): void;
  /** number of GetFlows calls received so far, and their decoded requests */
  requests: Record<string, unknown>[];
  /** cuts every client connection now (TCP reset), like a dropped port-forward */
  dropAll(): void;
  /** stops the gRPC server and starts a new one, keeping the ring (like a Relay restart) */
  restart(): Promise<void>;
  /** refuse new connections while true (the front door closes them at once) */
  setRefusing(refusing: boolean): void;
  close(): Promise<void>;
}

interface Entry {
  flow: Flow;
  key: bigint;
  bytes?: Buffer;
}

function timeKey(t: string | undefined): bigint {
  if (!t) return 0n;
  const [s, n] = splitTimestamp(t);
  return BigInt(s) * 1_000_000_000n + BigInt(n);
}

function nowRfc3339(): string {
  const ns = process.hrtime.bigint() % 1_000_000n; // sub-ms digits so consecutive flows differ
  const ms = Date.now();
  return joinTimestamp(Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + Number(ns));
}

export async function startHubbleSim(opts: HubbleSimOptions): Promise<HubbleSim> {
  const { observerService } = loadObserverProto();
  const maxFlows = opts.maxFlows ?? 4095;
  const entries: Entry[] = [];
  let seen = 0;
  const startedAt = process.hrtime.bigint();
  const requests: Record<string, unknown>[] = [];
  const followers = new Set<(e: Entry) => void>();
  const calls = new Set<grpc.ServerWritableStream<unknown, unknown>>();

  // Response serializer that passes pre-encoded Buffers through (each flow is encoded once).
  const getFlowsDef = observerService.GetFlows;
  const encodeResponse = getFlowsDef.responseSerialize as (v: unknown) => Buffer;
  const service: grpc.ServiceDefinition = {
    ...observerService,
    GetFlows: {
      ...getFlowsDef,
      responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : encodeResponse(v)),
    },
  };
  const encode = (e: Entry): Buffer =>
    (e.bytes ??= encodeResponse({
      flow: flowToProto(e.flow),
      node_name: e.flow.node_name,
      time: stringToTs(e.flow.time),
    }));

  const add = (flow: Flow) => {
    const e: Entry = { flow, key: timeKey(flow.time) };
    entries.push(e);
    seen++;
    if (entries.length > maxFlows) entries.splice(0, entries.length - maxFlows);
    for (const f of followers) f(e);
  };
  for (const f of [...opts.flows].sort((a, b) => (timeKey(a.time) < timeKey(b.time) ? -1 : 1))) add(f);
  if (opts.preEncode) for (const e of entries) encode(e);

  const nodeNames = () =>
    opts.nodes ?? [...new Set(entries.map((e) => e.flow.node_name).filter((n): n is string => !!n))].sort();

  const handlers: grpc.UntypedServiceImplementation = {
    ServerStatus: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const uptime = process.hrtime.bigint() - startedAt;
      cb(null, {
        num_flows: String(entries.length),
        max_flows: String(maxFlows),
        seen_flows: String(seen),
        uptime_ns: uptime.toString(),
        num_connected_nodes: { value: nodeNames().length },
        num_unavailable_nodes: { value: 0 },
        version: opts.version ?? '1.19.4',
        flows_rate: followRate,
      });
    },
    GetNodes: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      cb(null, {
        nodes: nodeNames().map((name) => ({
          name,
          version: opts.version ?? '1.19.4',
          address: '',
          state: 'NODE_CONNECTED',
          tls: { enabled: true, server_name: `${name}.default.hubble-grpc.cilium.io` },
          num_flows: String(entries.filter((e) => e.flow.node_name === name).length),
          max_flows: String(maxFlows),
          seen_flows: String(entries.filter((e) => e.flow.node_name === name).length),
        })),
      });
    },
    GetNamespaces: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const set = new Set<string>();
      for (const e of entries)
        for (const ns of [e.flow.source?.namespace, e.flow.destination?.namespace]) if (ns) set.add(ns);
      cb(null, { namespaces: [...set].sort().map((namespace) => ({ cluster: 'default', namespace })) });
    },
    GetFlows: (call: grpc.ServerWritableStream<Record<string, unknown>, unknown>) => {
      const req = requestFromProto(call.request);
      requests.push(call.request);
      calls.add(call);
      let bad: string | undefined;
      if (req.first && req.follow) bad = 'first cannot be combined with follow';
      if (bad) {
        call.destroy(Object.assign(new Error(bad), { code: grpc.status.INVALID_ARGUMENT, details: bad }));
        return;
      }
      const since = req.since ? timeKey(req.since) : undefined;
      const until = req.until ? timeKey(req.until) : undefined;
      const inTime = (e: Entry) =>
        (since === undefined || e.key >= since) && (until === undefined || e.key <= until);
      // like Hubble: a follow request without number or since starts at the end of the ring (new flows only)
      let history =
        req.follow && !req.number && since === undefined
          ? []
          : entries.filter((e) => inTime(e) && simRequestMatches(req, e.flow));
      if (req.number) history = req.first ? history.slice(0, req.number) : history.slice(-req.number);
      for (const e of history) call.write(encode(e));
      if (!req.follow) {
        calls.delete(call);
        call.end();
        return;
      }
      const follower = (e: Entry) => {
        if (simRequestMatches(req, e.flow) && (since === undefined || e.key >= since)) call.write(encode(e));
      };
      followers.add(follower);
      const done = () => {
        followers.delete(follower);
        calls.delete(call);
      };
      call.on('cancelled', done);
      call.on('close', done);
      call.on('error', done);
    },
  };

  let server: grpc.Server;
  let innerPort = 0;
  const startServer = async () => {
    server = new grpc.Server();
    server.addService(service, handlers);
    const creds = opts.tls
      ? grpc.ServerCredentials.createSsl(
          opts.tls.clientCa ? Buffer.from(opts.tls.clientCa) : null,
          [{ private_key: Buffer.from(opts.tls.key), cert_chain: Buffer.from(opts.tls.cert) }],
          !!opts.tls.requireClientCert,
        )
      : grpc.ServerCredentials.createInsecure();
    innerPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', creds, (err, port) => (err ? reject(err) : resolve(port))),
    );
  };
  await startServer();

  // TCP front door: lets us cut connections (grpc-js has no per-connection kill).
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const front = net.createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(innerPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const cleanup = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cleanup);
    upstream.on('error', cleanup);
    client.on('close', cleanup);
    upstream.on('close', cleanup);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await new Promise<number>((resolve) =>
    front.listen(0, '127.0.0.1', () => resolve((front.address() as net.AddressInfo).port)),
  );

  // Follow generator.
  let followRate = opts.followRate ?? 0;
  const templates = opts.followTemplates ?? opts.flows;
  let timer: NodeJS.Timeout | undefined;
  let carry = 0;
  let tick = 0;
  let last = Date.now();
  const setFollowRate = (rate: number) => {
    followRate = rate;
    if (timer) clearInterval(timer);
    timer = undefined;
    if (rate > 0 && templates.length) {
      last = Date.now();
      timer = setInterval(() => {
        const now = Date.now();
        carry += ((now - last) / 1000) * followRate;
        last = now;
        const n = Math.floor(carry);
        carry -= n;
        for (let i = 0; i < n; i++) {
          const t = templates[tick++ % templates.length];
          add({ ...t, uuid: randomUUID(), time: nowRfc3339() });
        }
      }, 10);
      timer.unref?.();
    }
  };
  setFollowRate(followRate);

  const dropAll = () => {
    for (const s of sockets) s.resetAndDestroy();
    sockets.clear();
  };

  return {
    address: `127.0.0.1:${port}`,
    port,
    ring: () => entries.map((e) => e.flow),
    seen: () => seen,
    emit: (flows) => {
      for (const f of flows) add({ ...f, time: f.time ?? nowRfc3339(), uuid: f.uuid ?? randomUUID() });
    },
    setFollowRate,
    requests,
    dropAll,
    restart: async () => {
      for (const c of calls)
        c.destroy(Object.assign(new Error('relay restarting'), { code: grpc.status.UNAVAILABLE }));
      calls.clear();
      followers.clear();
      server.forceShutdown();
      dropAll();
      await startServer();
    },
    setRefusing: (r) => {
      refusing = r;
      if (r) dropAll();
    },
    close: async () => {
      setFollowRate(0);
      followers.clear();
      server.forceShutdown();
      dropAll();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
