/**
 * Raw JSON requests to the API server, authenticated by client-node (certificates, tokens, exec plugins,
 * OIDC) from one per-context KubeConfig. Lists stay plain JSON (the wire format the engine reads from
 * files) instead of client-node's model classes, which convert dates and cost time on 10k pods.
 */
import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { fetch, type Dispatcher } from 'undici';
import {
  ApiStatusError,
  ClusterUnreachableError,
  ExecPluginError,
  LoadCancelledError,
  type ClusterFailureKind,
} from './errors';

export interface RequestOptions {
  signal?: AbortSignal;
  /** whole-request timeout (headers and body) */
  timeoutMs?: number;
  body?: unknown;
  method?: 'GET' | 'POST';
}

export interface KubeStatus {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
  metadata?: { continue?: string };
}

export const CONNECT_TIMEOUT_MS = 7000;
export const EXEC_TIMEOUT_MS = 30_000;

class ExecPluginTimeout extends Error {}

export class ClusterHttp {
  readonly server: string;
  private dispatcher: Dispatcher | undefined;
  private readonly execCommand: string | undefined;

  constructor(readonly kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the KubeConfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    const exec = (kc.getCurrentUser()?.exec ?? kc.getCurrentUser()?.authProvider?.config?.exec) as
      { command?: string; args?: string[] } | undefined;
    this.execCommand = exec?.command ? [exec.command, ...redactArgs(exec.args ?? [])].join(' ') : undefined;
  }

  /** Headers and the TLS dispatcher for one request (exec plugins run here, their tokens are cached). */
  async authenticate(url: string): Promise<{ headers: Record<string, string>; dispatcher?: Dispatcher }> {
    const ctx = new RequestContext(url, HttpMethod.GET);
    let timer: NodeJS.Timeout | undefined;
    try {
      const auth = this.kc.applySecurityAuthentication(ctx);
      if (this.execCommand) {
        // A plugin waiting for an interactive login would hang forever: give up with a clear message.
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ExecPluginTimeout()), EXEC_TIMEOUT_MS);
        });
        await Promise.race([auth, timeout]);
      } else await auth;
    } catch (err) {
      throw this.authError(err);
    } finally {
      clearTimeout(timer);
    }
    const fresh = ctx.getDispatcher() as Dispatcher | undefined;
    // client-node builds a new undici Agent per call; keep the first one so connections are reused.
    if (!this.dispatcher) this.dispatcher = fresh;
    else if (fresh && fresh !== this.dispatcher) void fresh.close().catch(() => undefined);
    return { headers: ctx.getHeaders(), dispatcher: this.dispatcher };
  }

  private authError(err: unknown): Error {
    const e = err as NodeJS.ErrnoException;
    if (this.execCommand && err instanceof ExecPluginTimeout) {
      return new ExecPluginError(
        this.execCommand,
        '',
        `it did not finish within ${EXEC_TIMEOUT_MS / 1000} s (it may be waiting for an interactive login: log in with it in a terminal first)`,
        this.server,
      );
    }
    if (this.execCommand) {
      if (e?.code === 'ENOENT') {
        return new ExecPluginError(
          this.execCommand,
          '',
          `the command was not found on PATH (${process.env.PATH ?? ''}). Install it, or start the app from a terminal where it works.`,
          this.server,
        );
      }
      const stderr = e instanceof Error ? e.message : String(err);
      return new ExecPluginError(
        this.execCommand,
        stderr,
        'it exited with an error (log in with it in a terminal, then retry)',
        this.server,
      );
    }
    return new ClusterUnreachableError(
      `cannot prepare credentials for ${this.server}: ${(err as Error)?.message ?? String(err)}`,
      'other',
      this.server,
    );
  }

  async requestJson<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const url = this.server + path;
    if (opts.signal?.aborted) throw new LoadCancelledError();
    const { headers, dispatcher } = await this.authenticate(url);
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res;
    try {
      res = await fetch(url, {
        method: opts.method ?? 'GET',
        headers: {
          ...headers,
          Accept: 'application/json',
          ...(opts.body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: opts.body ? JSON.stringify(opts.body) : undefined,
        dispatcher,
        signal,
      });
    } catch (err) {
      if (opts.signal?.aborted) throw new LoadCancelledError();
      throw describeNetworkError(err, this.server, timeout.aborted);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (opts.signal?.aborted) throw new LoadCancelledError();
      throw describeNetworkError(err, this.server, timeout.aborted);
    }
    if (res.status >= 200 && res.status < 300) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ClusterUnreachableError(
          `the API server at ${this.server} answered ${path} with something that is not JSON`,
          'server-error',
          this.server,
        );
      }
    }
    let status: KubeStatus = {};
    try {
      status = JSON.parse(text) as KubeStatus;
    } catch {
      /* not a Status object */
    }
    if (res.status === 401) {
      throw new ClusterUnreachableError(
        `the API server at ${this.server} rejected the credentials (401 Unauthorized): the token or certificate is invalid or expired${this.execCommand ? ` (credential plugin: ${this.execCommand})` : ''}`,
        'unauthorized',
        this.server,
      );
    }
    throw new ApiStatusError(
      res.status,
      path,
      status.reason,
      status.message || `${res.status} ${res.statusText} for ${path}`,
    );
  }

  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    // destroy, not close: close() would wait for a connect still pending on an unresponsive server
    if (d) await d.destroy().catch(() => undefined);
  }
}

const SECRET_ARG = /secret|token|password|passwd|credential|api-?key|private-?key/i;

/** Plugin arguments as shown to users: values of secret-looking flags become ***. */
export function redactArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    if (a.startsWith('-') && eq > 0 && SECRET_ARG.test(a.slice(0, eq))) out.push(`${a.slice(0, eq)}=***`);
    else if (
      a.startsWith('-') &&
      eq < 0 &&
      SECRET_ARG.test(a) &&
      i + 1 < args.length &&
      !args[i + 1].startsWith('-')
    ) {
      out.push(a, '***');
      i++;
    } else out.push(a);
  }
  return out;
}

function causeChain(err: unknown): { code?: string; message: string; name?: string }[] {
  const out: { code?: string; message: string; name?: string }[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    const x = e as { code?: string; message?: string; name?: string; cause?: unknown };
    out.push({ code: x.code, message: x.message ?? String(e), name: x.name });
    e = x.cause;
  }
  return out;
}

/** Maps connection failures to one clear sentence: refused, DNS, TLS, expired certificate, timeout, reset. */
export function describeNetworkError(
  err: unknown,
  server: string,
  timedOut = false,
): ClusterUnreachableError {
  if (err instanceof ClusterUnreachableError) return err;
  const chain = causeChain(err);
  const codes = chain.map((c) => c.code).filter(Boolean) as string[];
  const has = (...cs: string[]) => codes.some((c) => cs.includes(c));
  const detail = chain[chain.length - 1]?.message ?? String(err);
  let kind: ClusterFailureKind = 'other';
  let msg: string;
  if (
    timedOut ||
    chain.some((c) => c.name === 'TimeoutError') ||
    has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT')
  ) {
    kind = 'timeout';
    msg = `the API server at ${server} did not answer in time (timeout)`;
  } else if (has('ECONNREFUSED')) {
    kind = 'connection-refused';
    msg = `cannot connect to the API server at ${server}: connection refused (is the cluster running and the address right?)`;
  } else if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME')) {
    kind = 'dns';
    msg = `cannot resolve the API server host of ${server} (DNS lookup failed)`;
  } else if (has('CERT_HAS_EXPIRED')) {
    kind = 'certificate-expired';
    msg = `the API server certificate of ${server} has expired`;
  } else if (
    codes.some((c) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/.test(c)) ||
    /certificate|SSL|TLS/i.test(detail)
  ) {
    kind = /expired/i.test(detail) ? 'certificate-expired' : 'tls';
    msg =
      kind === 'certificate-expired'
        ? `TLS handshake with ${server} failed: a certificate has expired (${detail})`
        : `TLS handshake with ${server} failed: ${detail} (check certificate-authority-data and the client certificate)`;
  } else if (
    has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED') ||
    /other side closed|socket hang up|terminated/i.test(detail)
  ) {
    kind = 'connection-reset';
    msg = `the API server at ${server} closed the connection (${detail})`;
  } else if (has('EHOSTUNREACH', 'ENETUNREACH')) {
    kind = 'connection-refused';
    msg = `cannot reach the API server at ${server}: host unreachable`;
  } else {
    msg = `cannot talk to the API server at ${server}: ${detail}`;
  }
  return new ClusterUnreachableError(msg, kind, server);
}

/** Failures worth retrying: dropped connections, server overload, 5xx. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ClusterUnreachableError)
    return err.kind === 'connection-reset' || err.kind === 'server-error' || err.kind === 'timeout';
  if (err instanceof ApiStatusError) return err.statusCode === 429 || err.statusCode >= 500;
  return false;
}
