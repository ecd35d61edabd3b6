import { parseAllDocuments } from 'yaml';
import type { Fix } from '../engine/types';
import type { KubeObject, Labels } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';

/** Thrown when a fix cannot be applied to a snapshot (unknown object, unsupported command). */
export class FixApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixApplyError';
  }
}

type ListKey = {
  [K in keyof Snapshot]: Snapshot[K] extends KubeObject[] ? K : never;
}[keyof Snapshot];

/** Which snapshot list an object of this apiVersion/kind lives in. */
export function listFor(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ListKey | undefined {
  const calico = /projectcalico\.org/.test(obj.apiVersion ?? '');
  switch (obj.kind) {
    case 'Namespace':
      return 'namespaces';
    case 'Pod':
      return 'pods';
    case 'Service':
      return 'services';
    case 'Node':
      return 'nodes';
    case 'NetworkPolicy':
      return calico ? 'calicoNetworkPolicies' : 'networkPolicies';
    case 'GlobalNetworkPolicy':
      return 'calicoGlobalNetworkPolicies';
    case 'AdminNetworkPolicy':
      return 'adminNetworkPolicies';
    case 'BaselineAdminNetworkPolicy':
      return 'baselineAdminNetworkPolicies';
    case 'ClusterNetworkPolicy':
      return 'clusterNetworkPolicies';
    case 'CiliumNetworkPolicy':
      return 'ciliumNetworkPolicies';
    case 'CiliumClusterwideNetworkPolicy':
      return 'ciliumClusterwideNetworkPolicies';
    case 'DaemonSet':
      return 'daemonSets';
    case 'Deployment':
      return 'deployments';
    case 'ConfigMap':
      return 'configMaps';
    default:
      return undefined;
  }
}

function sameObject(a: KubeObject, b: { kind: string; namespace?: string; name: string }): boolean {
  return (
    a.kind === b.kind && a.metadata.name === b.name && (a.metadata.namespace ?? '') === (b.namespace ?? '')
  );
}

function upsert(snapshot: Snapshot, obj: KubeObject): void {
  const key = listFor(obj);
  if (!key) throw new FixApplyError(`cannot apply a ${obj.kind}: the snapshot does not hold this kind`);
  const list = snapshot[key] as KubeObject[];
  const ref = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
  const i = list.findIndex(
    (o) => sameObject(o, ref) && o.apiVersion.split('/')[0] === obj.apiVersion.split('/')[0],
  );
  if (i >= 0) list[i] = obj;
  else list.push(obj);
}

function parseObjects(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new FixApplyError(`the fix's YAML is invalid: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const items =
      (value as { kind?: string }).kind === 'List' ? ((value as { items?: unknown[] }).items ?? []) : [value];
    for (const item of items) {
      const o = item as Partial<KubeObject>;
      if (!o || typeof o !== 'object' || !o.kind || !o.apiVersion || !o.metadata?.name)
        throw new FixApplyError(
          "the fix's YAML must hold Kubernetes objects with apiVersion, kind and metadata.name",
        );
      out.push(o as KubeObject);
    }
  }
  return out;
}

/** Splits a command line into words, honouring single and double quotes. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  let cur = '';
  let last = -1;
  while ((m = re.exec(command))) {
    const part = m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3];
    if (last === m.index && words.length) {
      cur = words.pop()! + part;
    } else cur = part;
    words.push(cur);
    last = re.lastIndex;
  }
  return words;
}

const NAMESPACE_KINDS = new Set(['namespace', 'namespaces', 'ns']);
const POD_KINDS = new Set(['pod', 'pods', 'po']);

/** `kubectl label namespace|pod NAME [-n NS] k=v [k2=v2] [k-] [--overwrite]` applied to a copy. */
function applyLabelCommand(snapshot: Snapshot, command: string): void {
  const words = shellWords(command.trim());
  if (words[0] !== 'kubectl' || words[1] !== 'label')
    throw new FixApplyError(`only "kubectl label" commands can be applied to a snapshot: ${command}`);
  let namespace: string | undefined;
  let overwrite = false;
  const rest: string[] = [];
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    if (w === '-n' || w === '--namespace') namespace = words[++i];
    else if (w.startsWith('--namespace=')) namespace = w.slice('--namespace='.length);
    else if (w === '--overwrite' || w === '--overwrite=true') overwrite = true;
    else if (w.startsWith('-')) continue;
    else rest.push(w);
  }
  let [kind, name] = rest;
  let changes = rest.slice(2);
  if (kind?.includes('/')) {
    [kind, name] = kind.split('/', 2);
    changes = rest.slice(1);
  }
  if (!kind || !name || changes.length === 0)
    throw new FixApplyError(`cannot read the label command: ${command}`);
  let target: KubeObject | undefined;
  if (NAMESPACE_KINDS.has(kind)) target = snapshot.namespaces.find((n) => n.metadata.name === name);
  else if (POD_KINDS.has(kind))
    target = snapshot.pods.find(
      (p) => p.metadata.name === name && p.metadata.namespace === (namespace ?? 'default'),
    );
  else throw new FixApplyError(`labelling ${kind} is not supported in a what-if: ${command}`);
  if (!target)
    throw new FixApplyError(
      `${kind} ${namespace && POD_KINDS.has(kind) ? `${namespace}/` : ''}${name} is not in the snapshot`,
    );
  const labels: Labels = { ...(target.metadata.labels ?? {}) };
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) {
      delete labels[c.slice(0, -1)];
      continue;
    }
    const eq = c.indexOf('=');
    if (eq <= 0) throw new FixApplyError(`cannot read the label "${c}" in: ${command}`);
    const key = c.slice(0, eq);
    const value = c.slice(eq + 1);
    if (labels[key] !== undefined && labels[key] !== value && !overwrite)
      throw new FixApplyError(`${name} already has ${key}=${labels[key]}; the command needs --overwrite`);
    labels[key] = value;
  }
  target.metadata = { ...target.metadata, labels };
}

/**
 * What-if: returns a COPY of the snapshot with the fix applied (a `kubectl label` command, a patched
 * object, or new objects). The input snapshot is not modified. CNI facts are kept as they are.
 */
export function applyFix(snapshot: Snapshot, fix: Fix): Snapshot {
  const copy = structuredClone(snapshot);
  if (fix.patch) {
    const objs = parseObjects(fix.patch.after);
    if (objs.length !== 1) throw new FixApplyError('a patch must hold exactly one object');
    const ref = fix.patch.object;
    const key = listFor(objs[0]);
    const list = key ? (copy[key] as KubeObject[]) : [];
    const i = list.findIndex((o) => sameObject(o, ref));
    if (i < 0)
      throw new FixApplyError(
        `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} is not in the snapshot`,
      );
    list[i] = objs[0];
  } else if (fix.yaml) {
    for (const obj of parseObjects(fix.yaml)) upsert(copy, obj);
  } else if (fix.command) {
    applyLabelCommand(copy, fix.command);
  } else {
    throw new FixApplyError('this fix has no command, patch or YAML to apply');
  }
  copy.takenAt = new Date().toISOString();
  return copy;
}
