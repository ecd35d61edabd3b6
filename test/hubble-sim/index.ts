/**
 * Hubble Relay simulator (test tooling): a real gRPC server implementing observer.Observer from a scenario
 * of flows (a ring of history, plus a follow stream at a configurable rate), applying GetFlows filters with
 * its own plain implementation. A TCP front door lets tests drop every connection on cue (dropAll) and
 * restart the server keeping the ring (restart), like a Relay pod restarting behind a port-forward.
 *
 * Built to keep up with 20k+ flows/s: the ring is a circular buffer, generated follow flows are encoded
 * from pre-encoded templates (./encode.ts), and each GetFlows call writes in batches with backpressure,
 * reading the ring through its own cursor; a follower that falls more than the ring's capacity behind
 * gets a LostEvent for what it missed (HUBBLE_RING_BUFFER), as with a real Hubble server.
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { Flow } from '@shared/flows/types';
import { splitTimestamp, joinTimestamp } from '@shared/flows/time';
import { flowToProto, requestFromProto, stringToTs } from '../../src-main/hubble/convert';
import { loadObserverProto } from '../../src-main/hubble/proto-load';
import { encodeFromTemplate, encodeTemplate, type EncodedTemplate } from './encode';
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

/**
 * messages a GetFlows call may have queued in grpc-js: writing stops at the high mark and starts again
 * when the queue is down to the low mark (not empty, so the connection never idles between batches)
 */
const WRITE_HIGH_WATER = 2048;
const WRITE_LOW_WATER = 512;

function timeKey(t: string | undefined): bigint {
  if (!t) return 0n;
  const [s, n] = splitTimestamp(t);
  return BigInt(s) * 1_000_000_000n + BigInt(n);
}

/** now as [seconds, nanos], with sub-ms digits so consecutive flows differ */
function nowSplit(): [number, number] {
  const ns = process.hrtime.bigint() % 1_000_000n;
  const ms = Date.now();
  return [Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + Number(ns)];
}

function nowRfc3339(): string {
  return joinTimestamp(...nowSplit());
}

export async function startHubbleSim(opts: HubbleSimOptions): Promise<HubbleSim> {
  const { observerService } = loadObserverProto();
  const maxFlows = opts.maxFlows ?? 4095;
  // the ring: a circular buffer; the entry added as the n-th flow ever (n = 0, 1, ...) sits at ring[n % maxFlows]
  const ring: (Entry | undefined)[] = new Array<Entry | undefined>(maxFlows);
  let held = 0;
  let seen = 0;
  /** held entries, oldest first */
  const entries = (): Entry[] => {
    const out = new Array<Entry>(held);
    for (let i = 0, s = seen - held; i < held; i++, s++) out[i] = ring[s % maxFlows]!;
    return out;
  };
  const startedAt = process.hrtime.bigint();
  const requests: Record<string, unknown>[] = [];
  /** a follower writes what the ring gained since it last ran (called after every add) */
  const followers = new Set<() => void>();
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

  const lostResponse = (n: number) =>
    encodeResponse({
      lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: String(n) },
      time: stringToTs(nowRfc3339()),
    });

  const store = (e: Entry) => {
    ring[seen % maxFlows] = e;
    seen++;
    if (held < maxFlows) held++;
  };
  const notify = () => {
    for (const f of followers) f();
  };
  const entryOf = (flow: Flow): Entry => ({ flow, key: timeKey(flow.time) });
  for (const f of [...opts.flows].sort((a, b) => (timeKey(a.time) < timeKey(b.time) ? -1 : 1)))
    store(entryOf(f));
  if (opts.preEncode) for (const e of entries()) encode(e);

  const nodeNames = () =>
    opts.nodes ??
    [
      ...new Set(
        entries()
          .map((e) => e.flow.node_name)
          .filter((n): n is string => !!n),
      ),
    ].sort();

  const handlers: grpc.UntypedServiceImplementation = {
    ServerStatus: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const uptime = process.hrtime.bigint() - startedAt;
      cb(null, {
        num_flows: String(held),
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
      const inRing = entries();
      cb(null, {
        nodes: nodeNames().map((name) => ({
          name,
          version: opts.version ?? '1.19.4',
          address: '',
          state: 'NODE_CONNECTED',
          tls: { enabled: true, server_name: `${name}.default.hubble-grpc.cilium.io` },
          num_flows: String(inRing.filter((e) => e.flow.node_name === name).length),
          max_flows: String(maxFlows),
          seen_flows: String(inRing.filter((e) => e.flow.node_name === name).length),
        })),
      });
    },
    GetNamespaces: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const set = new Set<string>();
      for (const e of entries())
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
          : entries().filter((e) => inTime(e) && simRequestMatches(req, e.flow));
      if (req.number) history = req.first ? history.slice(0, req.number) : history.slice(-req.number);
      // Writes in batches with backpressure: up to WRITE_HIGH_WATER messages queued in grpc-js, then waits
      // until they are down to WRITE_LOW_WATER. A follower keeps a cursor in the ring (like Hubble's ring reader); when it falls more
      // than the ring's capacity behind, the overwritten flows are reported as a LostEvent, as Hubble does.
      let next = 0; // index in history
      let cursor = seen; // next ring entry (n-th flow ever) to consider when following
      let waiting = false;
      let finished = false;
      const written = () => {
        if (waiting && call.writableLength <= WRITE_LOW_WATER) {
          waiting = false;
          pump();
        }
      };
      const done = () => {
        finished = true;
        followers.delete(pump);
        calls.delete(call);
      };
      function pump(): void {
        if (finished || waiting) return;
        while (call.writableLength < WRITE_HIGH_WATER) {
          if (next < history.length) {
            call.write(encode(history[next++]!), written);
            continue;
          }
          if (!req.follow) {
            done();
            call.end();
            return;
          }
          if (cursor >= seen) return;
          const oldest = seen - held;
          if (cursor < oldest) {
            call.write(lostResponse(oldest - cursor), written);
            cursor = oldest;
            continue;
          }
          const e = ring[cursor++ % maxFlows]!;
          if (simRequestMatches(req, e.flow) && (since === undefined || e.key >= since))
            call.write(encode(e), written);
        }
        waiting = true;
      }
      if (req.follow) followers.add(pump);
      call.on('cancelled', done);
      call.on('close', done);
      call.on('error', done);
      pump();
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
  // each template encoded once; a generated flow's bytes are that plus its uuid and time
  const encodedTemplates: (EncodedTemplate | undefined)[] = new Array(templates.length);
  const generate = (t: Flow, i: number) => {
    const [s, n] = nowSplit();
    const uuid = randomUUID();
    const flow: Flow = { ...t, uuid, time: joinTimestamp(s, n) };
    const enc = (encodedTemplates[i] ??= encodeTemplate(t, encodeResponse));
    store({ flow, key: BigInt(s) * 1_000_000_000n + BigInt(n), bytes: encodeFromTemplate(enc, uuid, s, n) });
  };
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
          const k = tick++ % templates.length;
          generate(templates[k]!, k);
        }
        if (n > 0) notify();
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
    ring: () => entries().map((e) => e.flow),
    seen: () => seen,
    emit: (flows) => {
      for (const f of flows)
        store(entryOf({ ...f, time: f.time ?? nowRfc3339(), uuid: f.uuid ?? randomUUID() }));
      notify();
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
