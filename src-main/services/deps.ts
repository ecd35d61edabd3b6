import type { ApiRequest, FlowImportResult, HubbleTlsSettings, SnapshotExport } from '@shared/api/contract';
import type { CheckRun } from '@shared/check/types';
import type { ContextList, LiveStatus, LoadProgress } from '@shared/cluster/types';
import type { Diagnosis, Question } from '@shared/diagnose/types';
import type { Engine, LintFinding } from '@shared/engine/types';
import type { Flow, FlowFilterOptions, FlowStreamState } from '@shared/flows/types';
import type { FlowRows, FlowViewUpdate } from '@shared/flows/view';
import type { ExportedReport, ReportFormat } from '@shared/report/types';
import type { Snapshot, SnapshotSource } from '@shared/snapshot/types';

/**
 * The domain functions the API services call. `default-deps.ts` wires the real modules; the
 * services themselves only know these signatures (so each domain lands without touching them).
 */
export interface ServiceDeps {
  loadSnapshotFiles(paths: string[]): Promise<Snapshot>;
  parseSnapshotTexts(files: { name: string; text: string }[], source?: SnapshotSource): Snapshot;
  exportSnapshotYaml(snapshot: Snapshot): string;
  createEngine(snapshot: Snapshot): Engine;
  lintSnapshot(snapshot: Snapshot, engine: Engine): LintFinding[];
  diagnose(engine: Engine, question: Question): Diagnosis;
  exportReport(input: ReportRequest): Promise<ExportedReport>;
  runCheckText(engine: Engine, text: string, fileName: string): CheckRun;
  listContexts(opts: { kubeconfig?: string }): ContextList;
  /** calls onChange with a fresh list whenever a kubeconfig file changes; returns stop */
  watchContexts(opts: { kubeconfig?: string }, onChange: (list: ContextList) => void): () => void;
  /**
   * Connects to a context, lists everything and keeps watching: resolves with the first snapshot
   * once the lists are done; onUpdate/onStatus report later changes until stop().
   */
  openLive(context: string, opts: LiveOpenOptions): Promise<LiveConnection>;
  createFlowStreams(opts: FlowStreamsOptions): FlowStreams;
}

export interface LiveOpenOptions {
  kubeconfig?: string;
  snapshotId: string;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
  onUpdate: (snapshot: Snapshot, status: LiveStatus) => void;
  onStatus: (status: LiveStatus) => void;
}

export interface LiveConnection {
  snapshot: Snapshot;
  stop(): void;
}

export interface ReportRequest {
  snapshot: Snapshot;
  engine: Engine;
  question?: Question;
  format: ReportFormat;
  anonymize?: boolean;
  /** Electron: render HTML to PDF with webContents.printToPDF */
  renderPdf?: (html: string) => Promise<Uint8Array>;
}

export interface FlowStreamsOptions {
  kubeconfig?: string;
  onView(view: FlowViewUpdate): void;
  onState(state: FlowStreamState): void;
}

export interface FlowStartRequest {
  snapshot?: Snapshot;
  context?: string;
  server?: string;
  relay?: { namespace?: string; service?: string };
  tls?: HubbleTlsSettings;
  filter: FlowFilterOptions;
  bufferSize?: number;
}

/** The per-session flow streams (FlowStreamManager). */
export interface FlowStreams {
  start(req: FlowStartRequest): Promise<{ streamId: string }>;
  stop(streamId: string): Promise<boolean>;
  /** stops the stream and forgets its flows */
  close(streamId: string): Promise<boolean>;
  importText(file: { name: string; text: string }): Promise<FlowImportResult>;
  view(req: ApiRequest<'flows.view'>): FlowViewUpdate;
  rows(req: ApiRequest<'flows.rows'>): FlowRows;
  flow(req: ApiRequest<'flows.flow'>): Flow;
  exportText(req: {
    streamId: string;
    filter?: FlowFilterOptions;
    fromView?: boolean;
    uuids?: string[];
    format: 'json' | 'jsonpb';
  }): Promise<SnapshotExport>;
  dispose(): void;
}
