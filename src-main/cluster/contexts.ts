/** The context picker's data: every context of the merged kubeconfig files, never credentials. */
import fs from 'node:fs';
import path from 'node:path';
import type { ContextInfo, ContextList } from '@shared/cluster/types';
import { clearKubeconfigCache, kubeconfigPaths, readKubeconfigs } from './kubeconfig';

export function listContexts(opts: { kubeconfig?: string; env?: NodeJS.ProcessEnv } = {}): ContextList {
  const merged = readKubeconfigs(opts.kubeconfig, opts.env);
  const contexts: ContextInfo[] = merged.contexts.map((c) => ({
    name: c.context.name,
    cluster: c.context.cluster,
    user: c.context.user,
    ...(c.context.namespace ? { namespace: c.context.namespace } : {}),
    ...(c.cluster?.server ? { server: redactServer(c.cluster.server) } : {}),
    sourceFile: c.sourceFile,
  }));
  const current =
    merged.current && contexts.some((c) => c.name === merged.current) ? merged.current : undefined;
  return { ...(current ? { current } : {}), contexts, problems: merged.problems };
}

/** A server URL without any userinfo part (https://user:pass@host is legal but must not be shown). */
function redactServer(server: string): string {
  try {
    const u = new URL(server);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      return u.toString().replace(/\/$/, server.endsWith('/') ? '/' : '');
    }
  } catch {
    /* not a URL: shown as written */
  }
  return server;
}

export interface KubeconfigWatcher {
  close(): void;
}

/**
 * Watches the kubeconfig files (and their directories, so files created, replaced by an editor's rename
 * or deleted are seen) and calls onChange with the fresh ContextList, debounced.
 */
export function watchKubeconfigs(
  onChange: (list: ContextList) => void,
  opts: { kubeconfig?: string; debounceMs?: number; env?: NodeJS.ProcessEnv } = {},
): KubeconfigWatcher {
  const { files } = kubeconfigPaths(opts.kubeconfig, opts.env);
  const names = new Set(files.map((f) => path.basename(f)));
  const dirs = [...new Set(files.map((f) => path.dirname(f)))];
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (closed) return;
      clearKubeconfigCache();
      onChange(listContexts(opts));
    }, opts.debounceMs ?? 250);
  };
  for (const dir of dirs) {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (!name || names.has(name.toString())) fire();
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // the directory does not exist (yet): nothing to watch there
    }
  }
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
