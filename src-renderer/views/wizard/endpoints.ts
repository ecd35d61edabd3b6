import type { Pod } from '@shared/k8s/types';
import type { Snapshot } from '@shared/snapshot/types';
import { matchesLabels } from './labels';

/** One choice in the source/destination picker. `value` is what the engine takes (`ns/pod` or an IP). */
export interface EndpointOption {
  kind: 'pod' | 'workload' | 'service' | 'namespace' | 'external';
  /** what the question gets; for a namespace: a search prefix (`ns/`) to drill in */
  value: string;
  label: string;
  detail: string;
  namespace?: string;
  /** for workloads and services: every pod it stands for */
  pods?: string[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/;

export function isIp(s: string): boolean {
  return IPV4.test(s) || (IPV6.test(s) && s.includes(':'));
}

function podRef(p: Pod): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}

function podIp(p: Pod): string | undefined {
  return p.status?.podIP ?? p.status?.podIPs?.[0]?.ip;
}

/** Deployment name of a pod owned by a ReplicaSet (`api-5c6d7f8b9` with pod-template-hash → `api`). */
export function workloadOf(p: Pod): { kind: string; name: string } | undefined {
  const owner = p.metadata.ownerReferences?.find((o) => o.controller) ?? p.metadata.ownerReferences?.[0];
  if (!owner) return undefined;
  if (owner.kind === 'ReplicaSet') {
    const hash = p.metadata.labels?.['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`))
      return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
    return { kind: 'ReplicaSet', name: owner.name };
  }
  return { kind: owner.kind, name: owner.name };
}

function labelText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .filter(
      ([k]) =>
        k !== 'pod-template-hash' &&
        k !== 'controller-revision-hash' &&
        k !== 'statefulset.kubernetes.io/pod-name',
    )
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Every choice the snapshot offers, pods first. Endpoint pods (with an IP) only. */
export function endpointOptions(snapshot: Snapshot): EndpointOption[] {
  const pods = snapshot.pods.filter((p) => p.metadata.namespace && p.metadata.name);
  const out: EndpointOption[] = [];
  for (const p of pods) {
    const ip = podIp(p);
    out.push({
      kind: 'pod',
      value: podRef(p),
      label: podRef(p),
      detail: [ip, p.spec.hostNetwork ? 'hostNetwork' : undefined, labelText(p.metadata.labels)]
        .filter(Boolean)
        .join(' · '),
      namespace: p.metadata.namespace,
    });
  }
  const workloads = new Map<string, { ns: string; kind: string; name: string; pods: string[] }>();
  for (const p of pods) {
    const w = workloadOf(p);
    if (!w) continue;
    const key = `${p.metadata.namespace}/${w.kind}/${w.name}`;
    const cur = workloads.get(key) ?? { ns: p.metadata.namespace!, kind: w.kind, name: w.name, pods: [] };
    cur.pods.push(podRef(p));
    workloads.set(key, cur);
  }
  for (const w of workloads.values()) {
    out.push({
      kind: 'workload',
      value: w.pods[0],
      label: `${w.ns}/${w.name}`,
      detail: `${w.kind} · ${w.pods.length} pod${w.pods.length === 1 ? '' : 's'}`,
      namespace: w.ns,
      pods: w.pods,
    });
  }
  for (const s of snapshot.services) {
    const sel = s.spec.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    const members = pods.filter(
      (p) => p.metadata.namespace === s.metadata.namespace && matchesLabels(sel, p.metadata.labels ?? {}),
    );
    if (members.length === 0) continue;
    const ports = (s.spec.ports ?? [])
      .map((sp) => `${sp.port}${sp.targetPort !== undefined ? `→${sp.targetPort}` : ''}`)
      .join(', ');
    out.push({
      kind: 'service',
      value: podRef(members[0]),
      label: `svc ${s.metadata.namespace}/${s.metadata.name}`,
      detail: `Service · ${members.length} pod${members.length === 1 ? '' : 's'}${ports ? ` · ports ${ports}` : ''}`,
      namespace: s.metadata.namespace,
      pods: members.map(podRef),
    });
  }
  for (const n of snapshot.namespaces) {
    const count = pods.filter((p) => p.metadata.namespace === n.metadata.name).length;
    out.push({
      kind: 'namespace',
      value: `${n.metadata.name}/`,
      label: n.metadata.name,
      detail: `Namespace · ${count} pod${count === 1 ? '' : 's'} — choose to list them`,
      namespace: n.metadata.name,
    });
  }
  return out;
}

/** Options matching what the user typed (every word must appear); an IP adds an "external address" choice. */
export function searchEndpoints(
  options: EndpointOption[],
  query: string,
  nsFilter: string[] = [],
): EndpointOption[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  const inNs = (o: EndpointOption) => nsFilter.length === 0 || !o.namespace || nsFilter.includes(o.namespace);
  let hits = options.filter(
    (o) => inNs(o) && words.every((w) => `${o.label} ${o.detail}`.toLowerCase().includes(w)),
  );
  // "backend/" lists the namespace's pods, not the namespace itself
  if (q.endsWith('/')) hits = hits.filter((o) => o.kind !== 'namespace');
  const rank = (o: EndpointOption) => {
    const l = o.label.toLowerCase();
    const kindRank = { pod: 0, workload: 1, service: 2, namespace: 3, external: 4 }[o.kind];
    return (l === q ? 0 : l.startsWith(q) ? 1 : 2) * 10 + kindRank;
  };
  hits = hits.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  const raw = query.trim();
  if (isIp(raw)) {
    const pod = options.find((o) => o.kind === 'pod' && o.detail.split(' · ')[0] === raw);
    if (!pod)
      hits.unshift({
        kind: 'external',
        value: raw,
        label: raw,
        detail: 'External address (not a pod in this snapshot)',
      });
  }
  return hits;
}

/** Named container ports of a pod (`http` 8080/TCP), offered for the port field. */
export function namedPorts(
  snapshot: Snapshot | undefined,
  podSpec: string,
): { name: string; port: number; protocol: string }[] {
  if (!snapshot) return [];
  const [ns, name] = podSpec.split('/');
  const pod = snapshot.pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name);
  if (!pod) return [];
  const out: { name: string; port: number; protocol: string }[] = [];
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (p.name) out.push({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' });
    }
  }
  return out;
}
