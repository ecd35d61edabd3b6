/** Cluster-access types shared by main, CLI and renderer. Never carries credentials. */

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  /** API server URL (no credentials) */
  server?: string;
  /** kubeconfig file this context came from */
  sourceFile: string;
}

export interface ContextList {
  current?: string;
  contexts: ContextInfo[];
  /** files that could not be read or parsed, duplicate names ignored, ... */
  problems: { file?: string; message: string }[];
}

export interface LoadProgress {
  loadId: string;
  phase:
    'connecting' | 'access-review' | 'discovery' | 'listing' | 'watching' | 'done' | 'failed' | 'cancelled';
  /** resources finished / total */
  done: number;
  total: number;
  /** objects received so far */
  objects: number;
  current?: string;
  message?: string;
}

export interface LiveStatus {
  snapshotId: string;
  /** ISO time of the last applied watch event or list */
  lastUpdated: string;
  watching: boolean;
  message?: string;
}
