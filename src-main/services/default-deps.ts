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
import type { ServiceDeps } from './deps';

function unavailable(what: string): never {
  throw new ApiError('unavailable', `${what} is not available in this build yet`);
}

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
    exportReport: async () => unavailable('report export'),
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
    createFlowStreams: () => ({
      start: async () => unavailable('flow streaming'),
      stop: async () => false,
      importText: async () => unavailable('flow import'),
      exportText: async () => unavailable('flow export'),
      dispose: () => {},
    }),
  };
}
