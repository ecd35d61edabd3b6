import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ApiError,
  requestSchemas,
  type ApiMethod,
  type ApiRequest,
  type ApiResults,
  type AppInfo,
} from '@shared/api/contract';
import type { LiveStatus } from '@shared/cluster/types';
import type { Engine } from '@shared/engine/types';
import type { Snapshot } from '@shared/snapshot/types';
import { APP_NAME, APP_VERSION } from '../version';
import { assetPath } from '../paths';
import type { FlowStreams, ServiceDeps } from './deps';
import { EventBus } from './event-bus';
import { isAllowedExternalUrl } from './external-links';
import { SnapshotRegistry } from './snapshot-registry';
import { summarizeSnapshot } from './snapshot-summary';

export interface ApiSessionOptions {
  transport: AppInfo['transport'];
  initial: AppInfo['initial'];
  prefill?: AppInfo['prefill'];
  deps: ServiceDeps;
  kubeconfig?: string;
  /** Electron: a native file dialog exists, so any path the user picked may be opened */
  nativeFiles: boolean;
  /** paths `snapshot.openFiles` accepts when nativeFiles is false (the ones given at startup) */
  startupPaths?: string[];
  demoPath?: string;
  openExternal?: (url: string) => Promise<boolean>;
  renderPdf?: (html: string) => Promise<Uint8Array>;
  /** shared across sessions: the kubeconfig watcher feeding contexts.changed */
  contexts?: ContextsHub;
}

/** Lists kubeconfig contexts once and pushes changes to every subscribed session. */
export interface ContextsHub {
  list(): ReturnType<ServiceDeps['listContexts']>;
  subscribe(bus: EventBus): () => void;
}

type Handlers = { [M in ApiMethod]: (arg: ApiRequest<M>) => Promise<ApiResults[M]> };

export const DEMO_FILE = 'cluster.yaml';

/**
 * The API of one window (Electron) or one browser connection: every method of the contract,
 * arguments validated with the contract's schemas, results typed by it, events on its own bus.
 */
export class ApiSession {
  readonly events = new EventBus();
  private readonly registry: SnapshotRegistry<Engine>;
  private readonly loads = new Map<string, AbortController>();
  private flows?: FlowStreams;
  private readonly handlers: Handlers;
  private unsubscribeContexts?: () => void;
  private disposed = false;

  constructor(private readonly opts: ApiSessionOptions) {
    this.registry = new SnapshotRegistry((s) => opts.deps.createEngine(s));
    if (opts.contexts) this.unsubscribeContexts = opts.contexts.subscribe(this.events);
    this.handlers = this.buildHandlers();
  }

  /** Validates `arg` against the method's schema and runs it. Throws ApiError (or a domain error). */
  async call(method: string, arg: unknown): Promise<unknown> {
    if (this.disposed) throw new ApiError('unavailable', 'this window has been closed');
    if (!Object.hasOwn(requestSchemas, method))
      throw new ApiError('bad-input', `unknown API method "${method}"`);
    const m = method as ApiMethod;
    const parsed = (requestSchemas[m] as z.ZodType).safeParse(arg ?? {});
    if (!parsed.success) {
      const details = parsed.error.issues.map(
        (i) => `${i.path.length ? i.path.join('.') : '(argument)'}: ${i.message}`,
      );
      throw new ApiError('bad-input', `invalid argument for ${m}: ${details[0]}`, details);
    }
    const handler = this.handlers[m] as (a: unknown) => Promise<unknown>;
    return handler(parsed.data);
  }

  private open(snapshot: Snapshot): ApiResults['snapshot.openDemo'] {
    const id = this.registry.add(snapshot);
    return summarizeSnapshot(id, snapshot, false);
  }

  private flowStreams(): FlowStreams {
    if (!this.flows) {
      this.flows = this.opts.deps.createFlowStreams({
        kubeconfig: this.opts.kubeconfig,
        onView: (v) => this.events.emit('flows.view', v),
        onState: (s) => this.events.emit('flows.state', s),
      });
    }
    return this.flows;
  }

  private assertOpenablePaths(paths: string[]): void {
    if (this.opts.nativeFiles) return;
    const allowed = new Set(this.opts.startupPaths ?? []);
    const refused = paths.filter((p) => !allowed.has(p));
    if (refused.length) {
      throw new ApiError(
        'forbidden',
        `browser mode opens files by upload; only the files given on the command line can be opened by path (refused: ${refused.join(', ')})`,
      );
    }
  }

  private buildHandlers(): Handlers {
    const { deps } = this.opts;
    const reg = this.registry;
    return {
      'app.info': async () => ({
        name: APP_NAME,
        version: APP_VERSION,
        transport: this.opts.transport,
        initial: this.opts.initial,
        platform: process.platform,
        nativeFiles: this.opts.nativeFiles,
        ...(this.opts.prefill && Object.keys(this.opts.prefill).length ? { prefill: this.opts.prefill } : {}),
      }),
      'app.openExternal': async ({ url }) => {
        if (!isAllowedExternalUrl(url))
          throw new ApiError('forbidden', `not opening ${url}: only https documentation links are opened`);
        return { opened: this.opts.openExternal ? await this.opts.openExternal(url) : false };
      },
      'contexts.list': async () =>
        this.opts.contexts
          ? this.opts.contexts.list()
          : deps.listContexts({ kubeconfig: this.opts.kubeconfig }),
      'snapshot.openDemo': async () => {
        const file = this.opts.demoPath ?? assetPath('demo', DEMO_FILE);
        let snapshot: Snapshot;
        try {
          snapshot = await deps.loadSnapshotFiles([file]);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (
            code === 'ENOENT' ||
            /ENOENT|no such file|not found|does not exist/i.test((err as Error).message)
          ) {
            throw new ApiError(
              'not-found',
              `the demo snapshot is missing (${file}); reinstall the app or open your own snapshot files`,
            );
          }
          throw err;
        }
        return this.open({ ...snapshot, source: { type: 'demo', paths: [file] } });
      },
      'snapshot.openFiles': async ({ paths }) => {
        this.assertOpenablePaths(paths);
        return this.open(await deps.loadSnapshotFiles(paths));
      },
      'snapshot.openText': async ({ files }) =>
        this.open(deps.parseSnapshotTexts(files, { type: 'files', paths: files.map((f) => f.name) })),
      'snapshot.connect': async ({ context }) => {
        const loadId = randomUUID();
        const snapshotId = randomUUID();
        const ac = new AbortController();
        this.loads.set(loadId, ac);
        const emitUpdate = (snapshot: Snapshot, live: LiveStatus) => {
          if (!reg.has(snapshotId)) return;
          this.events.emit('snapshot.updated', {
            snapshotId,
            summary: summarizeSnapshot(snapshotId, snapshot, live.watching),
            live: { ...live, snapshotId },
          });
        };
        try {
          const conn = await deps.openLive(context, {
            kubeconfig: this.opts.kubeconfig,
            snapshotId,
            signal: ac.signal,
            onProgress: (p) => this.events.emit('snapshot.progress', { ...p, loadId }),
            onUpdate: (s, live) => {
              if (!reg.has(snapshotId)) return;
              reg.replace(snapshotId, s);
              emitUpdate(s, live);
            },
            onStatus: (live) => {
              if (reg.has(snapshotId)) emitUpdate(reg.get(snapshotId), live);
            },
          });
          if (ac.signal.aborted || this.disposed) {
            conn.stop();
            throw new ApiError('cancelled', `loading ${context} was cancelled`);
          }
          reg.add(conn.snapshot, snapshotId);
          reg.setLive(snapshotId, { stop: () => conn.stop() });
          return summarizeSnapshot(snapshotId, conn.snapshot, true);
        } catch (err) {
          if (ac.signal.aborted) throw new ApiError('cancelled', `loading ${context} was cancelled`);
          throw err;
        } finally {
          this.loads.delete(loadId);
        }
      },
      'snapshot.cancel': async ({ loadId }) => {
        const ac = this.loads.get(loadId);
        if (!ac) return { cancelled: false };
        ac.abort();
        return { cancelled: true };
      },
      'snapshot.get': async ({ snapshotId }) => reg.get(snapshotId),
      'snapshot.close': async ({ snapshotId }) => ({ closed: reg.close(snapshotId) }),
      'snapshot.export': async ({ snapshotId }) => {
        const snapshot = reg.get(snapshotId);
        const stamp = snapshot.takenAt.replace(/[:.]/g, '-');
        const base =
          snapshot.source.type === 'context'
            ? snapshot.source.context.replace(/[^A-Za-z0-9._-]+/g, '_')
            : 'snapshot';
        return { fileName: `${base}-${stamp}.yaml`, text: deps.exportSnapshotYaml(snapshot) };
      },
      'engine.trace': async ({ snapshotId, question }) => reg.engine(snapshotId).trace(question),
      'engine.lint': async ({ snapshotId }) => deps.lintSnapshot(reg.get(snapshotId), reg.engine(snapshotId)),
      'diagnose.run': async ({ snapshotId, question }) => deps.diagnose(reg.engine(snapshotId), question),
      'report.export': async ({ snapshotId, question, format, anonymize }) =>
        deps.exportReport({
          snapshot: reg.get(snapshotId),
          engine: reg.engine(snapshotId),
          question,
          format,
          anonymize,
          renderPdf: this.opts.renderPdf,
        }),
      'check.run': async ({ snapshotId, expectations }) =>
        deps.runCheckText(reg.engine(snapshotId), expectations.text, expectations.name),
      'flows.start': async ({ snapshotId, context, server, relay, tls, filter, bufferSize }) => {
        const snapshot = snapshotId ? reg.get(snapshotId) : undefined;
        const ctx = context ?? (snapshot?.source.type === 'context' ? snapshot.source.context : undefined);
        return this.flowStreams().start({
          snapshot,
          context: ctx,
          server: server || undefined,
          relay,
          tls,
          filter,
          bufferSize,
        });
      },
      'flows.stop': async ({ streamId }) => ({ stopped: await this.flowStreams().stop(streamId) }),
      'flows.close': async ({ streamId }) => ({ closed: await this.flowStreams().close(streamId) }),
      'flows.importText': async ({ file }) => this.flowStreams().importText(file),
      'flows.view': async (req) => this.flowStreams().view(req),
      'flows.rows': async (req) => this.flowStreams().rows(req),
      'flows.flow': async (req) => ({ flow: this.flowStreams().flow(req) }),
      'flows.exportText': async (req) => this.flowStreams().exportText(req),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const ac of this.loads.values()) ac.abort();
    this.loads.clear();
    this.registry.dispose();
    this.flows?.dispose();
    this.unsubscribeContexts?.();
    this.events.clear();
  }
}
