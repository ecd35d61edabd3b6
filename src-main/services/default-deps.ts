import { ApiError } from '@shared/api/contract';
import { createEngine } from '@shared/engine';
import { diagnose } from '@shared/diagnose';
import { parseSnapshotTexts } from '@shared/snapshot/parse';
import { exportSnapshotYaml } from '@shared/snapshot/export';
import { lintSnapshot } from '@shared/lint';
import { parseExpectations, runCheck } from '@shared/check';
import { loadSnapshotFiles } from '../snapshot/load-files';
import { listContexts, watchKubeconfigs } from '../cluster/contexts';
import { watchLiveSnapshot } from '../cluster/live-snapshot';
import { FlowStreamManager } from '../hubble/stream-manager';
import { exportReport } from '../report/export';
import type { ServiceDeps } from './deps';

/** The real domain modules behind the API services. */
export function defaultDeps(): ServiceDeps {
  return {
    loadSnapshotFiles: (paths) => loadSnapshotFiles(paths),
    parseSnapshotTexts,
    exportSnapshotYaml,
    createEngine: (snapshot) => createEngine(snapshot),
    lintSnapshot: (snapshot, engine) => lintSnapshot(snapshot, engine),
    diagnose: (engine, question) =>
      diagnose(engine, question, { lint: lintSnapshot(engine.snapshot, engine) }),
    exportReport: async ({ snapshot, engine, question, format, anonymize, renderPdf }) => {
      const src = snapshot.source;
      const base = {
        snapshot,
        engine,
        question,
        anonymize,
        ...(src.type === 'context' ? { contextName: src.context, server: src.server } : {}),
      };
      if (format !== 'pdf' || !renderPdf) return exportReport({ ...base, format });
      // Electron: print the same self-contained HTML with webContents.printToPDF
      const html = await exportReport({ ...base, format: 'html' });
      const pdf = await renderPdf(html.content);
      return {
        fileName: html.fileName.replace(/\.html$/, '.pdf'),
        mime: 'application/pdf',
        content: Buffer.from(pdf).toString('base64'),
        encoding: 'base64',
      };
    },
    runCheckText: (engine, text, fileName) => runCheck(engine, parseExpectations(text, fileName)),
    listContexts: (opts) => listContexts(opts),
    watchContexts: (opts, onChange) => {
      const w = watchKubeconfigs(onChange, opts);
      return () => w.close();
    },
    openLive: async (context, opts) => {
      const live = await watchLiveSnapshot(context, {
        kubeconfig: opts.kubeconfig,
        snapshotId: opts.snapshotId,
        signal: opts.signal,
        onProgress: opts.onProgress,
        onUpdate: opts.onUpdate,
        onStatus: opts.onStatus,
      });
      return { snapshot: live.snapshot, stop: () => void live.stop() };
    },
    createFlowStreams: (opts) => {
      const manager = new FlowStreamManager();
      manager.on('view', opts.onView);
      manager.on('state', opts.onState);
      return {
        start: async ({ context, server, relay, tls, filter, bufferSize }) => {
          const files =
            tls?.mode === 'files'
              ? { ca: tls.ca, cert: tls.cert, key: tls.key, serverName: tls.serverName }
              : undefined;
          if (files && !!files.cert !== !!files.key)
            throw new ApiError('bad-input', 'mutual TLS needs both the client certificate and its key');
          for (const [what, pem] of [
            ['CA certificate', files?.ca],
            ['client certificate', files?.cert],
            ['client key', files?.key],
          ] as const)
            if (pem !== undefined && !/-----BEGIN [A-Z0-9 ]+-----/.test(pem))
              throw new ApiError('bad-input', `the ${what} file is not PEM (no "-----BEGIN ...-----" line)`);
          if (server)
            return manager.start({
              source: { kind: 'server', address: server, tls: files },
              filter,
              bufferSize,
            });
          if (context)
            return manager.start({
              source: {
                kind: 'relay',
                context,
                kubeconfig: opts.kubeconfig,
                namespace: relay?.namespace || undefined,
                service: relay?.service || undefined,
                tls: files ?? (tls?.mode === 'off' ? 'off' : 'auto'),
              },
              filter,
              bufferSize,
            });
          throw new ApiError(
            'bad-input',
            'live flows need a cluster context (with Hubble Relay) or a Hubble server address; for a snapshot file, import a recorded flow file instead',
          );
        },
        stop: (streamId) => manager.stop(streamId),
        close: async (streamId) => {
          const had = manager.has(streamId);
          await manager.release(streamId);
          return had;
        },
        view: ({ streamId, ...settings }) => manager.setView(streamId, settings),
        rows: ({ streamId, generation, from, count }) => manager.viewRows(streamId, generation, from, count),
        flow: ({ streamId, generation, ordinal }) => manager.viewFlow(streamId, generation, ordinal),
        importText: async (file) => {
          const r = manager.importText(file.text);
          return { streamId: r.streamId, imported: r.imported, errors: r.errors };
        },
        exportText: async (req) => {
          if (!manager.has(req.streamId))
            throw new ApiError('not-found', `flow stream ${req.streamId} does not exist`);
          const r = manager.exportText(req.streamId, {
            filter: req.filter,
            fromView: req.fromView,
            uuids: req.uuids,
            format: req.format,
          });
          return { fileName: r.fileName, text: r.text };
        },
        dispose: () => {
          void manager.stopAll();
          manager.removeAllListeners();
        },
      };
    },
  };
}
