/** Small readers over a snapshot's system workloads: find a DaemonSet/Deployment, its pods, their health. */
import type { ComponentHealth, NodeAgentHealth, Snapshot } from '../snapshot/types';
import type { Container, DaemonSet, Deployment, Pod } from '../k8s/types';
import { matchesSelector } from '../engine/selector';

export type Workload = DaemonSet | Deployment;

export function findDaemonSet(s: Snapshot, test: (d: DaemonSet) => boolean): DaemonSet | undefined {
  return s.daemonSets.find(test);
}

export function findDeployment(s: Snapshot, test: (d: Deployment) => boolean): Deployment | undefined {
  return s.deployments.find(test);
}

export const byName =
  (names: string[], namespace?: string) =>
  (w: { metadata: { name: string; namespace?: string } }): boolean =>
    names.includes(w.metadata.name) && (namespace === undefined || w.metadata.namespace === namespace);

export const byNamePrefix =
  (prefix: string) =>
  (w: { metadata: { name: string } }): boolean =>
    w.metadata.name === prefix || w.metadata.name.startsWith(`${prefix}-`);

export function templateLabel(w: Workload, key: string): string | undefined {
  return w.spec?.template?.metadata?.labels?.[key] ?? w.metadata.labels?.[key];
}

export function containersOf(w: Workload): Container[] {
  return w.spec?.template?.spec?.containers ?? [];
}

/** "quay.io/cilium/cilium:v1.18.2@sha256:..." → "v1.18.2" */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon <= lastSlash) return undefined;
  return noDigest.slice(colon + 1) || undefined;
}

/** "v1.18.2" → "1.18.2"; other tags unchanged. */
export function versionFromTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  return /^v\d/.test(tag) ? tag.slice(1) : tag;
}

export function containerImage(w: Workload | undefined, preferred: string[]): string | undefined {
  if (!w) return undefined;
  const cs = containersOf(w);
  const c = cs.find((x) => preferred.includes(x.name)) ?? cs[0];
  return c?.image;
}

/** Pods a DaemonSet/Deployment runs: owner reference (DaemonSet) or its selector, same namespace. */
export function podsOf(s: Snapshot, w: Workload): Pod[] {
  const ns = w.metadata.namespace;
  const sel = w.spec?.selector;
  return s.pods.filter((p) => {
    if (p.metadata.namespace !== ns) return false;
    if (
      w.kind === 'DaemonSet' &&
      p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === w.metadata.name)
    )
      return true;
    return sel && (sel.matchLabels || sel.matchExpressions) ? matchesSelector(sel, p.metadata.labels) : false;
  });
}

/** Pods with this label in any namespace (when the workload itself could not be read). */
export function podsWithLabel(s: Snapshot, key: string, value: string): Pod[] {
  return s.pods.filter((p) => p.metadata.labels?.[key] === value);
}

export function podReady(p: Pod): { ready: boolean; reason?: string } {
  const phase = p.status?.phase;
  if (phase && phase !== 'Running') return { ready: false, reason: `pod ${p.metadata.name} is ${phase}` };
  const cond = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (cond)
    return cond.status === 'True'
      ? { ready: true }
      : { ready: false, reason: `pod ${p.metadata.name} is not Ready` };
  const cs = p.status?.containerStatuses;
  if (cs && cs.length) {
    const bad = cs.filter((c) => !c.ready);
    return bad.length
      ? {
          ready: false,
          reason: `container ${bad.map((c) => c.name).join(', ')} of ${p.metadata.name} not ready`,
        }
      : { ready: true };
  }
  return phase === 'Running'
    ? { ready: true }
    : { ready: false, reason: `pod ${p.metadata.name} has no status` };
}

export function daemonSetHealth(
  s: Snapshot,
  ds: DaemonSet | undefined,
  name: string,
  namespace: string,
  preferred: string[],
): ComponentHealth {
  if (!ds) return { name, namespace, kind: 'DaemonSet', present: false };
  const pods = podsOf(s, ds);
  const desired = ds.status?.desiredNumberScheduled ?? (pods.length || undefined);
  const ready =
    ds.status?.numberReady ?? (pods.length ? pods.filter((p) => podReady(p).ready).length : undefined);
  const version = versionFromTag(imageTag(containerImage(ds, preferred)));
  return {
    name: ds.metadata.name,
    namespace: ds.metadata.namespace ?? namespace,
    kind: 'DaemonSet',
    present: true,
    ...(desired !== undefined ? { desired } : {}),
    ...(ready !== undefined ? { ready } : {}),
    ...(version ? { version } : {}),
  };
}

export function deploymentHealth(
  dep: Deployment | undefined,
  name: string,
  namespace: string,
): ComponentHealth {
  if (!dep) return { name, namespace, kind: 'Deployment', present: false };
  const desired = dep.spec?.replicas ?? dep.status?.replicas ?? 1;
  const ready = dep.status?.readyReplicas ?? 0;
  const version = versionFromTag(imageTag(containerImage(dep, [name])));
  return {
    name: dep.metadata.name,
    namespace: dep.metadata.namespace ?? namespace,
    kind: 'Deployment',
    present: true,
    desired,
    ready,
    ...(version ? { version } : {}),
  };
}

/**
 * Agent readiness per node: every node of the snapshot gets an entry (no agent pod there = not ready);
 * without a Node list, the nodes the agent pods run on.
 */
export function nodeAgentHealth(s: Snapshot, agentPods: Pod[], agentName: string): NodeAgentHealth[] {
  const byNode = new Map<string, Pod[]>();
  for (const p of agentPods) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    const arr = byNode.get(n) ?? [];
    arr.push(p);
    byNode.set(n, arr);
  }
  const nodeNames = s.nodes.length ? s.nodes.map((n) => n.metadata.name) : [...byNode.keys()];
  return [...new Set(nodeNames)].sort().map((node) => {
    const pods = byNode.get(node) ?? [];
    if (!pods.length) return { node, ready: false, reason: `no ${agentName} pod on this node` };
    const results = pods.map((p) => ({ p, r: podReady(p) }));
    const good = results.find((x) => x.r.ready);
    if (good) return { node, pod: good.p.metadata.name, ready: true };
    const first = results[0];
    return {
      node,
      pod: first.p.metadata.name,
      ready: false,
      reason: first.r.reason ?? `${agentName} not ready`,
    };
  });
}

export function componentSummary(c: ComponentHealth): string {
  if (!c.present) return `${c.kind} ${c.namespace}/${c.name} not found`;
  const counts = c.desired !== undefined ? ` ${c.ready ?? 0}/${c.desired} ready` : '';
  return `${c.kind} ${c.namespace}/${c.name}${counts}${c.version ? ` (${c.version})` : ''}`;
}

/** Go flag parsing: the LAST occurrence of --name=value wins. */
export function lastFlag(args: string[] | undefined, name: string): string | undefined {
  let value: string | undefined;
  const list = args ?? [];
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    for (const prefix of [`--${name}`, `-${name}`]) {
      if (a === prefix) {
        const next = list[i + 1];
        value = next !== undefined && !next.startsWith('-') ? next : 'true';
      } else if (a.startsWith(`${prefix}=`)) value = a.slice(prefix.length + 1);
    }
  }
  return value;
}
