import { ApiError } from '@shared/api/contract';
import { createEngine } from '@shared/engine';
import { diagnose } from '@shared/diagnose';
import { parseSnapshotTexts } from '@shared/snapshot/parse';
import { exportSnapshotYaml } from '@shared/snapshot/export';
import { loadSnapshotFiles } from '../snapshot/load-files';
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
    lintSnapshot: () => unavailable('lint'),
    diagnose: (engine, question) => diagnose(engine, question),
    exportReport: async () => unavailable('report export'),
    runCheckText: () => unavailable('check'),
    listContexts: () => ({ contexts: [], problems: [] }),
    watchContexts: () => () => {},
    loadLiveSnapshot: async () => unavailable('live cluster access'),
    watchLiveSnapshot: () => () => {},
    createFlowStreams: () => ({
      start: async () => unavailable('flow streaming'),
      stop: async () => false,
      importText: async () => unavailable('flow import'),
      exportText: async () => unavailable('flow export'),
      dispose: () => {},
    }),
  };
}
