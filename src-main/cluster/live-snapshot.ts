/**
 * A live snapshot of one kubeconfig context: discovery, access review, then paginated lists (a few in
 * parallel, with progress and cancellation) assembled into the same Snapshot type the engine reads from
 * files. `watchLiveSnapshot` (live-cluster.ts) keeps it current.
 */
import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { LoadProgress } from '@shared/cluster/types';
import { detectCni } from '@shared/cni/detect';
import { emptySnapshot, type AccessGap, type Snapshot } from '@shared/snapshot/types';
import { accessGap, canList, type AccessAnswer } from './access-review';
import { ClusterHttp } from './cluster-http';
import { discover, isServed, type Discovery } from './discovery';
import { ApiStatusError, ClusterUnreachableError, LoadCancelledError } from './errors';
import { contextTarget, loadKubeConfigForContext } from './kubeconfig';
import { listAllPages } from './list-pager';
import {
  SYSTEM_NAMESPACES,
  collectionPath,
  resourceLabel,
  resourceSpecs,
  type ResourceSpec,
  type SnapshotListKey,
} from './resources';
import { sanitizeObject } from './sanitize';

export type Obj = Record<string, unknown>;

export interface LiveLoadOptions {
  kubeconfig?: string;
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
  /** lists running at the same time (default 4) */
  concurrency?: number;
  /** objects per page (default 500) */
  pageSize?: number;
  /** a KubeConfig to use instead of reading the kubeconfig files (tests, callers that already hold one) */
  kubeConfig?: KubeConfig;
}

/** One list (and later one watch): a resource cluster-wide or in one namespace. */
export interface ListUnit {
  id: string;
  spec: ResourceSpec;
  namespace?: string;
  objects: Map<string, Obj>;
  resourceVersion: string;
}

export interface LiveTarget {
  context: string;
  cluster: string;
  server: string;
  namespace?: string;
}

/** Everything a connection holds after the first load; the watcher keeps it current. */
export interface LiveState {
  kc: KubeConfig;
  http: ClusterHttp;
  target: LiveTarget;
  discovery: Discovery;
  units: ListUnit[];
  /** rights missing (access review / 403) */
  accessGaps: AccessGap[];
  /** lists that failed for other reasons (dropped connection after retries), by unit id */
  failures: Map<string, AccessGap>;
  /** the lists behind `failures`, retried in the background by the watcher */
  failedUnits: ListUnit[];
  takenAt: string;
  /** the id progress events carry */
  loadId: string;
}

export function objectKey(o: Obj): string {
  const m = (o.metadata ?? {}) as { namespace?: string; name?: string };
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
}

/** Keeps only the objects a unit is about (ConfigMaps: the CNI ones) and trims them. */
export function acceptObject(spec: ResourceSpec, raw: Obj): Obj | undefined {
  if (spec.names) {
    const name = (raw.metadata as { name?: string } | undefined)?.name;
    if (!name || !spec.names.includes(name)) return undefined;
  }
  return sanitizeObject(spec, raw);
}

async function runPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function unitId(spec: ResourceSpec, namespace?: string): string {
  return `${spec.key}|${spec.group}/${spec.version}/${spec.plural}|${namespace ?? '*'}`;
}

export async function listUnit(
  http: ClusterHttp,
  unit: ListUnit,
  signal?: AbortSignal,
  onPage?: (n: number) => void,
  pageSize?: number,
): Promise<void> {
  const res = await listAllPages(http, collectionPath(unit.spec, unit.namespace), {
    signal,
    onPage,
    pageSize,
  });
  const objects = new Map<string, Obj>();
  for (const raw of res.items) {
    const o = acceptObject(unit.spec, raw);
    if (o) objects.set(objectKey(o), o);
  }
  unit.objects = objects;
  unit.resourceVersion = res.resourceVersion;
}

/** Connects, reviews access, lists everything allowed. Throws only when the cluster cannot be used at all. */
export async function connectAndList(context: string, opts: LiveLoadOptions = {}): Promise<LiveState> {
  const { signal } = opts;
  const loadId = randomUUID();
  const concurrency = opts.concurrency ?? 4;
  let objects = 0;
  const progress = (p: Omit<LoadProgress, 'loadId' | 'objects'>) =>
    opts.onProgress?.({ loadId, objects, ...p });
  const cancelled = () => signal?.aborted === true;

  progress({ phase: 'connecting', done: 0, total: 0, message: `connecting to context ${context}` });
  const kc = opts.kubeConfig ?? loadKubeConfigForContext(context, opts.kubeconfig);
  const t = contextTarget(kc);
  const target: LiveTarget = {
    context,
    cluster: t.cluster,
    server: t.server,
    ...(t.namespace ? { namespace: t.namespace } : {}),
  };
  const http = new ClusterHttp(kc);
  try {
    progress({ phase: 'discovery', done: 0, total: 0, message: 'discovering served API groups' });
    const discovery = await discover(http, signal);
    const specs = resourceSpecs(discovery.calico).filter((s) => isServed(discovery, s));

    progress({ phase: 'access-review', done: 0, total: specs.length, message: 'checking what you may list' });
    const clusterWide = new Map<SnapshotListKey, AccessAnswer>();
    let reviewed = 0;
    await runPool(
      specs.filter((s) => s.scope === 'all'),
      concurrency,
      async (s) => {
        clusterWide.set(s.key, await canList(http, s, undefined, signal));
        reviewed++;
        progress({ phase: 'access-review', done: reviewed, total: specs.length, current: resourceLabel(s) });
      },
    );

    const accessGaps: AccessGap[] = [];
    const failures = new Map<string, AccessGap>();
    const failedUnits: ListUnit[] = [];
    const units: ListUnit[] = [];
    const newUnit = (spec: ResourceSpec, namespace?: string): ListUnit => ({
      id: unitId(spec, namespace),
      spec,
      namespace,
      objects: new Map(),
      resourceVersion: '',
    });
    let done = 0;
    let total = 1;
    let lastNetworkError: ClusterUnreachableError | undefined;

    const runUnit = async (unit: ListUnit): Promise<'ok' | 'forbidden'> => {
      progress({
        phase: 'listing',
        done,
        total,
        current: resourceLabel(unit.spec) + (unit.namespace ? ` in ${unit.namespace}` : ''),
      });
      try {
        await listUnit(
          http,
          unit,
          signal,
          (n) => {
            objects += n;
            progress({
              phase: 'listing',
              done,
              total,
              current: resourceLabel(unit.spec) + (unit.namespace ? ` in ${unit.namespace}` : ''),
            });
          },
          opts.pageSize,
        );
        units.push(unit);
        return 'ok';
      } catch (err) {
        if (err instanceof LoadCancelledError || cancelled()) throw new LoadCancelledError();
        if (err instanceof ApiStatusError && err.statusCode === 403) return 'forbidden';
        if (err instanceof ApiStatusError && err.statusCode === 404 && unit.spec.optional) return 'ok'; // CRD removed meanwhile
        const reason = err instanceof Error ? err.message : String(err);
        failures.set(unit.id, {
          verb: 'list',
          resource: unit.spec.plural,
          ...(unit.spec.group ? { group: unit.spec.group } : {}),
          ...(unit.namespace ? { namespace: unit.namespace } : {}),
          message: `could not list ${resourceLabel(unit.spec)}${unit.namespace ? ` in namespace ${unit.namespace}` : ''}: ${reason}`,
        });
        failedUnits.push(unit);
        if (err instanceof ClusterUnreachableError) lastNetworkError = err;
        return 'ok';
      } finally {
        done++;
        progress({ phase: 'listing', done, total });
      }
    };

    // 1. Namespaces first: per-namespace fallbacks need them.
    const nsSpec = specs.find((s) => s.key === 'namespaces')!;
    let namespaces: string[];
    total = 1;
    const nsUnit = newUnit(nsSpec);
    const nsAnswer = clusterWide.get('namespaces');
    if (nsAnswer !== 'denied' && (await runUnit(nsUnit)) === 'ok' && !failures.has(nsUnit.id)) {
      namespaces = [...nsUnit.objects.values()].map((o) => (o.metadata as { name: string }).name).sort();
    } else {
      if (!failures.has(nsUnit.id)) accessGaps.push(accessGap(nsSpec, undefined));
      namespaces = [...new Set([target.namespace ?? 'default', 'kube-system'])];
    }
    const systemNamespaces = nsUnit.objects.size
      ? SYSTEM_NAMESPACES.filter((n) => namespaces.includes(n))
      : ['kube-system'];

    // 2. Plan the other lists: cluster-wide where allowed, else per namespace where allowed.
    const planned: ListUnit[] = [];
    const perNamespaceChecks: { spec: ResourceSpec; namespace: string }[] = [];
    for (const spec of specs) {
      if (spec.key === 'namespaces') continue;
      if (spec.scope === 'system') {
        for (const ns of systemNamespaces) perNamespaceChecks.push({ spec, namespace: ns });
        continue;
      }
      const answer = clusterWide.get(spec.key) ?? 'unknown';
      if (answer !== 'denied') planned.push(newUnit(spec));
      else if (!spec.namespaced) accessGaps.push(accessGap(spec, undefined));
      else for (const ns of namespaces) perNamespaceChecks.push({ spec, namespace: ns });
    }
    if (perNamespaceChecks.length) {
      let checked = 0;
      progress({
        phase: 'access-review',
        done: 0,
        total: perNamespaceChecks.length,
        message: 'checking per-namespace rights',
      });
      const denied = new Map<ResourceSpec, string[]>();
      await runPool(perNamespaceChecks, concurrency, async ({ spec, namespace }) => {
        const a = await canList(http, spec, namespace, signal);
        if (a === 'denied') denied.set(spec, [...(denied.get(spec) ?? []), namespace]);
        else planned.push(newUnit(spec, namespace));
        progress({ phase: 'access-review', done: ++checked, total: perNamespaceChecks.length });
      });
      for (const [spec, nss] of denied) {
        const asked = perNamespaceChecks.filter((c) => c.spec === spec).length;
        // Denied everywhere: one sentence instead of one per namespace.
        if (nss.length === asked && nss.length > 1)
          accessGaps.push({
            ...accessGap(spec, undefined),
            message: `cannot list ${resourceLabel(spec)} in any namespace`,
          });
        else for (const ns of nss) accessGaps.push(accessGap(spec, ns));
      }
    }

    // 3. List, a few at a time. A cluster-wide list answered 403 falls back to per-namespace lists.
    total = 1 + planned.length;
    const fallback: ListUnit[] = [];
    await runPool(sortUnits(planned), concurrency, async (unit) => {
      const r = await runUnit(unit);
      if (r === 'forbidden') {
        if (!unit.namespace && unit.spec.namespaced && unit.spec.scope === 'all') {
          for (const ns of namespaces) fallback.push(newUnit(unit.spec, ns));
          total += namespaces.length;
        } else accessGaps.push(accessGap(unit.spec, unit.namespace));
      }
    });
    await runPool(fallback, concurrency, async (unit) => {
      if ((await runUnit(unit)) === 'forbidden') accessGaps.push(accessGap(unit.spec, unit.namespace));
    });

    if (!units.length && lastNetworkError) throw lastNetworkError;
    progress({ phase: 'done', done: total, total, message: `loaded ${objects} objects` });
    return {
      loadId,
      kc,
      http,
      target,
      discovery,
      units,
      accessGaps: sortGaps(accessGaps),
      failures,
      failedUnits,
      takenAt: new Date().toISOString(),
    };
  } catch (err) {
    await http.close();
    if (err instanceof LoadCancelledError || cancelled()) {
      progress({ phase: 'cancelled', done: 0, total: 0, message: 'cancelled' });
      throw new LoadCancelledError();
    }
    progress({
      phase: 'failed',
      done: 0,
      total: 0,
      message: err instanceof Error ? err.message : String(err),
    });
    throw err;
  }
}

/** Pods first: the biggest list starts early and overlaps the small ones. */
function sortUnits(units: ListUnit[]): ListUnit[] {
  const weight = (u: ListUnit) => (u.spec.key === 'pods' ? 0 : u.spec.key === 'services' ? 1 : 2);
  return [...units].sort((a, b) => weight(a) - weight(b));
}

function sortGaps(gaps: AccessGap[]): AccessGap[] {
  return [...gaps].sort((a, b) => a.message.localeCompare(b.message));
}

const LIST_KEYS: SnapshotListKey[] = [
  'namespaces',
  'pods',
  'services',
  'nodes',
  'networkPolicies',
  'adminNetworkPolicies',
  'baselineAdminNetworkPolicies',
  'clusterNetworkPolicies',
  'ciliumNetworkPolicies',
  'ciliumClusterwideNetworkPolicies',
  'calicoNetworkPolicies',
  'calicoGlobalNetworkPolicies',
  'daemonSets',
  'deployments',
  'configMaps',
  'calicoTiers',
];

/** Builds the engine's Snapshot from the current list/watch state (sorted, CNI facts detected). */
export function assembleSnapshot(
  state: Pick<LiveState, 'units' | 'target' | 'accessGaps' | 'failures' | 'discovery' | 'takenAt'>,
): Snapshot {
  const snap = emptySnapshot(
    {
      type: 'context',
      context: state.target.context,
      cluster: state.target.cluster,
      server: state.target.server,
    },
    state.takenAt,
  );
  const byKey = new Map<SnapshotListKey, Obj[]>();
  for (const unit of state.units) {
    const arr = byKey.get(unit.spec.key) ?? [];
    for (const o of unit.objects.values()) arr.push(o);
    byKey.set(unit.spec.key, arr);
  }
  const target = snap as unknown as Record<SnapshotListKey, Obj[]>;
  for (const key of LIST_KEYS) {
    if (key === 'calicoTiers' && !byKey.has(key)) continue; // optional list: only when Calico serves tiers
    const arr = byKey.get(key) ?? [];
    arr.sort((a, b) => {
      const ka = objectKey(a);
      const kb = objectKey(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    target[key] = arr;
  }
  const gaps = [...state.accessGaps, ...state.failures.values()];
  if (gaps.length) snap.partial = { gaps };
  snap.cni = detectCni(snap, { apiGroupVersions: state.discovery.groupVersions });
  return snap;
}

/** Lists everything the context's user may list and returns a Snapshot (partial when rights are missing). */
export async function loadLiveSnapshot(context: string, opts: LiveLoadOptions = {}): Promise<Snapshot> {
  const state = await connectAndList(context, opts);
  try {
    return assembleSnapshot(state);
  } finally {
    await state.http.close();
  }
}

export { watchLiveSnapshot, LiveCluster } from './live-cluster';
