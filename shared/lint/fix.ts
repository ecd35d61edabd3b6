import { stringify } from 'yaml';
import type { ObjectRef } from '../k8s/types';
import type { Fix } from '../engine/types';

type Obj = Record<string, unknown>;

export function toYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The object the way a user writes it: no status, no server-managed metadata. */
export function cleanObject(obj: unknown): Obj {
  const o = JSON.parse(JSON.stringify(obj ?? {})) as Obj;
  const md = (o.metadata ?? {}) as Obj;
  const meta: Obj = { name: md.name };
  if (md.namespace !== undefined) meta.namespace = md.namespace;
  if (md.labels !== undefined) meta.labels = md.labels;
  const out: Obj = { apiVersion: o.apiVersion, kind: o.kind, metadata: meta };
  if (o.spec !== undefined) out.spec = o.spec;
  return out;
}

export function refOf(
  obj: { kind: string; metadata: { name: string; namespace?: string } },
  kind = obj.kind,
): ObjectRef {
  return obj.metadata.namespace !== undefined
    ? { kind, namespace: obj.metadata.namespace, name: obj.metadata.name }
    : { kind, name: obj.metadata.name };
}

/** A before/after fix of `obj`, where `mutate` edits a clean copy. */
export function patchFix(
  obj: { kind: string; metadata: { name: string; namespace?: string } },
  description: string,
  mutate: (copy: Obj) => void,
  command?: string,
): Fix {
  const before = cleanObject(obj);
  const after = cleanObject(obj);
  mutate(after);
  return {
    description,
    ...(command ? { command } : {}),
    yaml: toYaml(after),
    patch: { object: refOf(obj), before: toYaml(before), after: toYaml(after) },
  };
}

/** Shell-quotes one argument for a copy-pasteable command. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `kubectl -n NS patch networkpolicy NAME --type=json -p '[...]'` */
export function jsonPatchCommand(
  resource: string,
  namespace: string | undefined,
  name: string,
  ops: unknown[],
): string {
  return `kubectl${namespace ? ` -n ${shq(namespace)}` : ''} patch ${resource} ${shq(name)} --type=json -p ${shq(JSON.stringify(ops))}`;
}

/** JSON-pointer escaping (RFC 6901) for label keys such as `kubernetes.io/metadata.name`. */
export function pointer(...parts: (string | number)[]): string {
  return '/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}
