import { ApiError } from '@shared/api/contract';
import type { ServiceDeps } from './deps';

function unavailable(what: string): never {
  throw new ApiError('unavailable', `${what} is not available in this build yet`);
}

/** The real domain modules behind the API services. */
export function defaultDeps(): ServiceDeps {
  return {
    loadSnapshotFiles: async () => unavailable('loading snapshot files'),
    parseSnapshotTexts: () => unavailable('parsing snapshots'),
    exportSnapshotYaml: () => unavailable('snapshot export'),
    createEngine: () => unavailable('the policy engine'),
    lintSnapshot: () => unavailable('lint'),
    diagnose: () => unavailable('the diagnosis wizard'),
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
