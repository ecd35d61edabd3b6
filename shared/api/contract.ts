import { z } from 'zod';
import type { ContextList, LiveStatus, LoadProgress } from '../cluster/types';
import type { CheckRun } from '../check/types';
import type { Diagnosis } from '../diagnose/types';
import type { LintFinding, TraceResult } from '../engine/types';
import type { Flow, FlowFilterNegations, FlowStreamState } from '../flows/types';
import { MAX_ROWS_PER_REQUEST, type FlowRows, type FlowViewUpdate } from '../flows/view';
import type { ExportedReport } from '../report/types';
import type { CniFacts, Snapshot } from '../snapshot/types';

/**
 * THE API between renderer and main. One definition, two transports (Electron IPC and the
 * loopback WebSocket host). Inputs are validated at runtime in main with these schemas;
 * results and events are typed here.
 */

const protocol = z.enum(['TCP', 'UDP', 'SCTP']);
const port = z.union([z.number().int().min(1).max(65535), z.string().min(1).max(63)]);
const snapshotId = z.string().min(1).max(64);

export const questionSchema = z.object({
  from: z.string().min(1).max(300),
  to: z.string().min(1).max(300),
  port,
  protocol: protocol.optional(),
});

const list = (max: number) => z.array(z.string().max(max)).max(1000).optional();
const flowFilterFields = {
  verdict: z.array(z.string().max(32)).optional(),
  namespace: z.array(z.string().max(253)).optional(),
  pod: z.array(z.string().max(317)).optional(),
  fromPod: z.array(z.string().max(317)).optional(),
  toPod: z.array(z.string().max(317)).optional(),
  label: z.array(z.string().max(600)).optional(),
  fromLabel: z.array(z.string().max(600)).optional(),
  toLabel: z.array(z.string().max(600)).optional(),
  ip: z.array(z.string().max(64)).optional(),
  fromIp: z.array(z.string().max(64)).optional(),
  toIp: z.array(z.string().max(64)).optional(),
  port: z.array(z.number().int().min(0).max(65535)).optional(),
  fromPort: z.array(z.number().int().min(0).max(65535)).optional(),
  toPort: z.array(z.number().int().min(0).max(65535)).optional(),
  protocol: z.array(z.string().max(16)).optional(),
  dropReasonDesc: z.array(z.string().max(64)).optional(),
  type: z.array(z.string().max(32)).optional(),
  fqdn: list(253),
  fromFqdn: list(253),
  toFqdn: list(253),
  service: list(317),
  fromService: list(317),
  toService: list(317),
  fromNamespace: list(253),
  toNamespace: list(253),
  workload: list(317),
  fromWorkload: list(317),
  toWorkload: list(317),
  identity: list(64),
  fromIdentity: list(64),
  toIdentity: list(64),
  httpStatus: list(8),
  httpMethod: list(16),
  httpPath: list(2000),
  httpUrl: list(2000),
  httpHeader: list(2000),
  nodeName: list(253),
  trafficDirection: list(16),
  tcpFlags: list(64),
  uuid: list(64),
  cluster: list(253),
  fromCluster: list(253),
  toCluster: list(253),
  ipv4: z.boolean().optional(),
  ipv6: z.boolean().optional(),
};
const negatableFlowFilter = z.object(flowFilterFields);
/** the schema lets through exactly the filter flags the flows code knows (a new flag must be added here) */
type Same<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
  ? [A] extends [B]
    ? [B] extends [A]
      ? true
      : false
    : false
  : false;
const filterSchemaMatchesType: Same<z.infer<typeof negatableFlowFilter>, FlowFilterNegations> = true;
void filterSchemaMatchesType;
export const flowFilterSchema = negatableFlowFilter.extend({
  since: z.string().max(64).optional(),
  until: z.string().max(64).optional(),
  last: z.number().int().min(0).optional(),
  first: z.number().int().min(0).optional(),
  follow: z.boolean().optional(),
  /** filters negated with `--not` (they go to the deny list) */
  not: negatableFlowFilter.optional(),
});

const streamId = z.string().min(1).max(64);

const pem = z.string().max(256 * 1024);
/**
 * TLS to Hubble: 'auto' follows the cluster's Relay setting (CA and client certificate from its secrets),
 * 'off' is plaintext, 'files' uses the PEM texts the user picked.
 */
export const hubbleTlsSchema = z.object({
  mode: z.enum(['auto', 'off', 'files']),
  ca: pem.optional(),
  cert: pem.optional(),
  key: pem.optional(),
  serverName: z.string().max(253).optional(),
});
export type HubbleTlsSettings = z.infer<typeof hubbleTlsSchema>;

const textFile = z.object({ name: z.string().max(1000), text: z.string().max(512 * 1024 * 1024) });

/** Every request: method name → schema of its single argument object. */
export const requestSchemas = {
  'app.info': z.object({}),
  'contexts.list': z.object({}),
  'snapshot.openDemo': z.object({}),
  'snapshot.openFiles': z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }),
  'snapshot.openText': z.object({ files: z.array(textFile).min(1).max(1000) }),
  'snapshot.connect': z.object({ context: z.string().min(1).max(1000) }),
  'snapshot.cancel': z.object({ loadId: z.string().min(1).max(64) }),
  'snapshot.get': z.object({ snapshotId }),
  'snapshot.close': z.object({ snapshotId }),
  'snapshot.export': z.object({ snapshotId }),
  'engine.trace': z.object({ snapshotId, question: questionSchema }),
  'engine.lint': z.object({ snapshotId }),
  'diagnose.run': z.object({ snapshotId, question: questionSchema }),
  'report.export': z.object({
    snapshotId,
    question: questionSchema.optional(),
    format: z.enum(['html', 'md', 'json', 'pdf']),
    anonymize: z.boolean().optional(),
  }),
  'check.run': z.object({ snapshotId, expectations: textFile }),
  'flows.start': z.object({
    snapshotId: snapshotId.optional(),
    context: z.string().max(1000).optional(),
    /** a Hubble server to reach directly (host:port), like `hubble observe --server` */
    server: z.string().max(300).optional(),
    /** where Hubble Relay's Service is (default kube-system/hubble-relay) */
    relay: z
      .object({ namespace: z.string().max(253).optional(), service: z.string().max(253).optional() })
      .optional(),
    tls: hubbleTlsSchema.optional(),
    filter: flowFilterSchema,
    bufferSize: z.number().int().min(100).max(5_000_000).optional(),
  }),
  'flows.stop': z.object({ streamId }),
  'flows.close': z.object({ streamId }),
  'flows.importText': z.object({ file: textFile }),
  'flows.view': z.object({
    streamId,
    filter: flowFilterSchema.optional(),
    namespaces: z.array(z.string().max(253)).max(1000).optional(),
    paused: z.boolean().optional(),
  }),
  'flows.rows': z.object({
    streamId,
    generation: z.number().int().min(0),
    from: z.number().int().min(0),
    count: z.number().int().min(1).max(MAX_ROWS_PER_REQUEST),
  }),
  'flows.flow': z.object({
    streamId,
    generation: z.number().int().min(0),
    ordinal: z.number().int().min(0),
  }),
  'flows.exportText': z.object({
    streamId,
    filter: flowFilterSchema.optional(),
    /** the flows the stream's view shows */
    fromView: z.boolean().optional(),
    uuids: z.array(z.string().max(64)).optional(),
    format: z.enum(['json', 'jsonpb']),
  }),
  'app.openExternal': z.object({ url: z.string().url().max(2000) }),
} as const;

export type ApiMethod = keyof typeof requestSchemas;
export type ApiRequest<M extends ApiMethod> = z.infer<(typeof requestSchemas)[M]>;

export interface AppInfo {
  name: string;
  version: string;
  transport: 'ipc' | 'websocket';
  /** what this window opens at start: a context name, snapshot files, or the demo */
  initial:
    | { kind: 'demo' }
    | { kind: 'context'; context: string }
    | { kind: 'files'; paths: string[] }
    | { kind: 'none' };
  platform: string;
  /** true when a real file dialog exists (Electron); browser mode uploads file contents instead */
  nativeFiles: boolean;
  /** wizard question given on the command line (`--from/--to/--port`), to prefill the wizard */
  prefill?: { from?: string; to?: string; port?: string };
}

export interface SnapshotSummary {
  snapshotId: string;
  title: string;
  source: Snapshot['source'];
  takenAt: string;
  counts: {
    namespaces: number;
    pods: number;
    services: number;
    nodes: number;
    policies: Record<string, number>;
  };
  unknownKinds: Record<string, number>;
  loadFindings: Snapshot['loadFindings'];
  partial?: Snapshot['partial'];
  cni?: CniFacts;
  live: boolean;
}

export interface SnapshotExport {
  fileName: string;
  text: string;
}

export interface FlowImportResult {
  streamId: string;
  imported: number;
  errors: { line: number; message: string }[];
}

/** Every request: method name → result type. */
export interface ApiResults {
  'app.info': AppInfo;
  'contexts.list': ContextList;
  'snapshot.openDemo': SnapshotSummary;
  'snapshot.openFiles': SnapshotSummary;
  'snapshot.openText': SnapshotSummary;
  'snapshot.connect': SnapshotSummary;
  'snapshot.cancel': { cancelled: boolean };
  'snapshot.get': Snapshot;
  'snapshot.close': { closed: boolean };
  'snapshot.export': SnapshotExport;
  'engine.trace': TraceResult;
  'engine.lint': LintFinding[];
  'diagnose.run': Diagnosis;
  'report.export': ExportedReport;
  'check.run': CheckRun;
  'flows.start': { streamId: string };
  'flows.stop': { stopped: boolean };
  'flows.close': { closed: boolean };
  'flows.importText': FlowImportResult;
  'flows.view': FlowViewUpdate;
  'flows.rows': FlowRows;
  'flows.flow': { flow: Flow };
  'flows.exportText': SnapshotExport;
  'app.openExternal': { opened: boolean };
}

/** Events pushed from main to the renderer. */
export interface ApiEvents {
  'contexts.changed': ContextList;
  'snapshot.progress': LoadProgress;
  'snapshot.updated': { snapshotId: string; summary: SnapshotSummary; live: LiveStatus };
  /** what the flow inspector shows of a stream changed (at most ten a second; flows themselves are fetched by rows) */
  'flows.view': FlowViewUpdate;
  'flows.state': FlowStreamState;
}
export type ApiEvent = keyof ApiEvents;

export const apiEventNames: ApiEvent[] = [
  'contexts.changed',
  'snapshot.progress',
  'snapshot.updated',
  'flows.view',
  'flows.state',
];

/** A serialisable error that crosses either transport. `code` lets the UI react (e.g. 'unreachable'). */
export interface ApiErrorPayload {
  code: 'bad-input' | 'not-found' | 'unreachable' | 'forbidden' | 'cancelled' | 'unavailable' | 'internal';
  message: string;
  details?: string[];
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorPayload['code'],
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toPayload(): ApiErrorPayload {
    return { code: this.code, message: this.message, details: this.details };
  }
}
