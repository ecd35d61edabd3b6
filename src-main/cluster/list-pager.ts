/** Paginated lists (`limit` + `continue`) with retries of dropped connections and 410 on an expired continue. */
import { ApiStatusError, LoadCancelledError } from './errors';
import { isRetryable, type ClusterHttp } from './cluster-http';

export const PAGE_SIZE = 500;
export const LIST_ATTEMPTS = 4;

interface KubeList {
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items?: Record<string, unknown>[];
}

export interface ListResult {
  items: Record<string, unknown>[];
  resourceVersion: string;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LoadCancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new LoadCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Lists every page of a collection. A page that fails with a dropped connection or a 5xx is retried (same
 * continue token, backoff 0.3 s, 1 s, 2 s); when the continue token expired (410) the list restarts once.
 * `onPage` receives each page's items (already transformed by the caller if it wants).
 */
export async function listAllPages(
  http: ClusterHttp,
  path: string,
  opts: {
    signal?: AbortSignal;
    pageSize?: number;
    query?: Record<string, string>;
    onPage?: (count: number) => void;
  } = {},
): Promise<ListResult> {
  let restarted = false;
  for (;;) {
    const items: Record<string, unknown>[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const q = new URLSearchParams({ ...(opts.query ?? {}), limit: String(opts.pageSize ?? PAGE_SIZE) });
        if (cont) q.set('continue', cont);
        const page = await withRetries(
          () => http.requestJson<KubeList>(`${path}?${q.toString()}`, { signal: opts.signal }),
          opts.signal,
        );
        const got = page.items ?? [];
        for (const it of got) items.push(it);
        opts.onPage?.(got.length);
        cont = page.metadata?.continue || undefined;
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      } while (cont);
      return { items, resourceVersion };
    } catch (err) {
      if (!restarted && err instanceof ApiStatusError && err.statusCode === 410 && cont) {
        restarted = true;
        continue;
      }
      throw err;
    }
  }
}

export async function withRetries<T>(
  fn: () => Promise<T>,
  signal?: AbortSignal,
  attempts = LIST_ATTEMPTS,
): Promise<T> {
  const delays = [300, 1000, 2000, 4000];
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (signal?.aborted) throw new LoadCancelledError();
      if (i + 1 >= attempts || !isRetryable(err)) {
        if (i > 0 && err instanceof Error && !/attempts\)$/.test(err.message))
          err.message = `${err.message} (after ${i + 1} attempts)`;
        throw err;
      }
      await sleep(delays[Math.min(i, delays.length - 1)], signal);
    }
  }
}
