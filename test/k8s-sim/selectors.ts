/**
 * `labelSelector` and `fieldSelector` query strings, parsed and matched the way the API server does
 * (k8s.io/apimachinery/pkg/labels and fields). Parse errors become 400 BadRequest.
 */

export class SelectorError extends Error {}

type LabelReq =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const KEY_RE = /^([a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string, whole: string): string {
  if (!KEY_RE.test(key) || key.length > 316) {
    throw new SelectorError(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.' (in "${whole}")`,
    );
  }
  return key;
}

function checkValue(value: string, whole: string): string {
  if (!VALUE_RE.test(value) || value.length > 63) {
    throw new SelectorError(
      `unable to parse requirement: values[0][${whole}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
    );
  }
  return value;
}

function parseLabelReq(part: string): LabelReq {
  let m = /^!\s*(\S+)$/.exec(part);
  if (m) return { key: checkKey(m[1]!, part), op: 'notexists' };
  m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (m) {
    const values = m[3]!
      .split(',')
      .map((v) => v.trim())
      .map((v) => checkValue(v, part));
    return { key: checkKey(m[1]!, part), op: m[2] as 'in' | 'notin', values };
  }
  m = /^([^=!<>\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (m) {
    const op = m[2] === '!=' ? 'notin' : 'in';
    return { key: checkKey(m[1]!, part), op, values: [checkValue(m[3]!, part)] };
  }
  m = /^([^=!<>\s]+)\s*([<>])\s*(-?\d+)$/.exec(part);
  if (m) return { key: checkKey(m[1]!, part), op: m[2] === '>' ? 'gt' : 'lt', value: Number(m[3]) };
  m = /^([^=!<>\s()]+)$/.exec(part);
  if (m) return { key: checkKey(m[1]!, part), op: 'exists' };
  throw new SelectorError(`unable to parse requirement: found '${part}', expected: identifier`);
}

export function parseLabelSelector(selector: string | null | undefined): LabelMatcher | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const reqs = splitTopLevel(selector).map(parseLabelReq);
  return (labels) => {
    const l = labels ?? {};
    return reqs.every((req) => {
      const has = Object.prototype.hasOwnProperty.call(l, req.key);
      const v = l[req.key];
      switch (req.op) {
        case 'exists':
          return has;
        case 'notexists':
          return !has;
        case 'in':
          return has && req.values.includes(v!);
        case 'notin':
          return !has || !req.values.includes(v!);
        case 'gt':
          return has && /^-?\d+$/.test(v!) && Number(v) > req.value;
        case 'lt':
          return has && /^-?\d+$/.test(v!) && Number(v) < req.value;
      }
      return false;
    });
  };
}

export type FieldMatcher = (obj: Record<string, unknown>) => boolean;

/** Field labels the API server supports per kind (besides metadata.name and metadata.namespace). */
const FIELDS_BY_KIND: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  Node: ['spec.unschedulable'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  ReplicaSet: ['status.replicas'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'reason', 'type'],
};

function fieldValue(obj: Record<string, unknown>, field: string): string {
  if (field === 'status.podIPs') {
    const ips = (obj.status as { podIPs?: { ip: string }[] } | undefined)?.podIPs ?? [];
    return ips.map((p) => p.ip).join(',');
  }
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null)
    return field === 'spec.hostNetwork' || field === 'spec.unschedulable' ? 'false' : '';
  return String(cur);
}

export function parseFieldSelector(
  selector: string | null | undefined,
  kind: string,
): FieldMatcher | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(FIELDS_BY_KIND[kind] ?? [])]);
  const reqs = selector.split(',').map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    if (!allowed.has(m[1]!)) throw new SelectorError(`field label not supported: ${m[1]}`);
    return { field: m[1]!, neg: m[2] === '!=', value: m[3]! };
  });
  return (obj) =>
    reqs.every((req) => {
      const v =
        req.field === 'status.podIPs' ? fieldValue(obj, req.field).split(',') : [fieldValue(obj, req.field)];
      const hit = v.includes(req.value);
      return req.neg ? !hit : hit;
    });
}
