import type { ContextList } from '@shared/cluster/types';
import type { ContextsHub } from './api-session';
import type { ServiceDeps } from './deps';
import type { EventBus } from './event-bus';

/**
 * One kubeconfig watcher for the whole app: lists contexts on demand and pushes `contexts.changed`
 * to every open window when a kubeconfig file changes. A kubeconfig that does not parse shows up
 * in `problems`, never as a crash.
 */
export function createContextsHub(
  deps: Pick<ServiceDeps, 'listContexts' | 'watchContexts'>,
  kubeconfig?: string,
): ContextsHub & { close(): void } {
  const buses = new Set<EventBus>();
  let stopWatch: (() => void) | undefined;
  const safeList = (): ContextList => {
    try {
      return deps.listContexts({ kubeconfig });
    } catch (err) {
      return { contexts: [], problems: [{ file: kubeconfig, message: (err as Error).message }] };
    }
  };
  const ensureWatch = () => {
    if (stopWatch) return;
    try {
      stopWatch = deps.watchContexts({ kubeconfig }, (list) => {
        for (const bus of buses) bus.emit('contexts.changed', list);
      });
    } catch (err) {
      process.stderr.write(`netpol-doctor: not watching kubeconfig files: ${(err as Error).message}\n`);
      stopWatch = () => {};
    }
  };
  return {
    list: safeList,
    subscribe(bus) {
      buses.add(bus);
      ensureWatch();
      return () => {
        buses.delete(bus);
      };
    },
    close() {
      stopWatch?.();
      stopWatch = undefined;
      buses.clear();
    },
  };
}
