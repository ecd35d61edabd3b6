/**
 * Typed errors of cluster access. Every message is one sentence a user can act on and never carries
 * credentials (no tokens, keys, exec plugin environment).
 */

/** A kubeconfig file that cannot be read or parsed, or a context that refers to something missing. */
export class KubeconfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export class UnknownContextError extends Error {
  constructor(
    readonly context: string,
    readonly known: string[],
    note?: string,
  ) {
    super(
      (known.length
        ? `unknown context "${context}"; known contexts: ${known.join(', ')}`
        : `unknown context "${context}": no contexts found in the kubeconfig`) + (note ? ` (${note})` : ''),
    );
    this.name = 'UnknownContextError';
  }
}

export type ClusterFailureKind =
  | 'connection-refused'
  | 'dns'
  | 'tls'
  | 'certificate-expired'
  | 'timeout'
  | 'connection-reset'
  | 'unauthorized'
  | 'exec-plugin'
  | 'server-error'
  | 'other';

/** The API server cannot be reached or refuses us: the CLI maps this to exit 3. */
export class ClusterUnreachableError extends Error {
  constructor(
    message: string,
    readonly kind: ClusterFailureKind,
    readonly server?: string,
  ) {
    super(message);
    this.name = 'ClusterUnreachableError';
  }
}

/** An exec credential plugin that could not be started or failed: shows the command and its stderr. */
export class ExecPluginError extends ClusterUnreachableError {
  constructor(
    readonly command: string,
    readonly stderr: string,
    detail: string,
    server?: string,
  ) {
    super(
      `the credential plugin failed: ${command}\n  ${detail}${stderr.trim() ? `\n  plugin stderr: ${stderr.trim().split('\n').join('\n  ')}` : ''}`,
      'exec-plugin',
      server,
    );
    this.name = 'ExecPluginError';
  }
}

/** A non-2xx answer of the API server with its Status message. */
export class ApiStatusError extends Error {
  constructor(
    readonly statusCode: number,
    readonly path: string,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiStatusError';
  }
}

export class LoadCancelledError extends Error {
  constructor() {
    super('loading the snapshot was cancelled');
    this.name = 'LoadCancelledError';
  }
}
