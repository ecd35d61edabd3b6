import type { PathSegment } from './source-text';
import { parseCidr, parseIp } from './ip';

/**
 * Field checks mirroring the API server's validation (k8s.io/apimachinery validation and
 * pkg/apis/networking/validation), producing messages in its `field: Invalid value: ...` style.
 */

export interface FieldIssue {
  path: PathSegment[];
  severity: 'error' | 'warning';
  /** `Invalid value: "x": must be ...`, `Required value`, `Unsupported value: ...` */
  detail: string;
}

export class Issues {
  readonly list: FieldIssue[] = [];
  add(path: PathSegment[], detail: string, severity: 'error' | 'warning' = 'error'): void {
    this.list.push({ path, detail, severity });
  }
  required(path: PathSegment[], what = 'Required value'): void {
    this.add(path, what);
  }
  invalid(path: PathSegment[], value: unknown, why: string): void {
    this.add(path, `Invalid value: ${JSON.stringify(value)}: ${why}`);
  }
  unsupported(path: PathSegment[], value: unknown, supported: readonly string[]): void {
    this.add(
      path,
      `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
    );
  }
  forbidden(path: PathSegment[], why: string): void {
    this.add(path, `Forbidden: ${why}`);
  }
}

/** `spec.ingress[0].from[1].ipBlock.cidr` */
export function formatFieldPath(path: PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** Text for any value the user wrote (numbers, booleans, even objects), never throwing. */
export function safeString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    return JSON.stringify(v) ?? '?';
  } catch {
    return '?';
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export type NameRule = 'subdomain' | 'label' | 'dns1035';

export function checkName(issues: Issues, path: PathSegment[], value: unknown, rule: NameRule): void {
  if (value === undefined || value === null || value === '') {
    issues.required(path, 'Required value: name is required');
    return;
  }
  if (typeof value !== 'string') {
    issues.invalid(path, value, 'must be a string');
    return;
  }
  if (rule === 'label') {
    if (value.length > 63 || !DNS1123_LABEL.test(value))
      issues.invalid(
        path,
        value,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      );
  } else if (rule === 'dns1035') {
    if (value.length > 63 || !DNS1035_LABEL.test(value))
      issues.invalid(
        path,
        value,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      );
  } else if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    issues.invalid(
      path,
      value,
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
}

/** `prefix/name` label key syntax, without allocating. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash === -1) return key.length > 0 && key.length <= 63 && QUALIFIED_NAME.test(key);
  const name = key.slice(slash + 1);
  const prefix = key.slice(0, slash);
  return (
    prefix.length > 0 &&
    prefix.length <= 253 &&
    DNS1123_SUBDOMAIN.test(prefix) &&
    name.length > 0 &&
    name.length <= 63 &&
    QUALIFIED_NAME.test(name)
  );
}

export function isLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

export function checkQualifiedName(issues: Issues, path: PathSegment[], key: string): void {
  const slash = key.lastIndexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  if (
    prefix !== undefined &&
    (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    issues.invalid(path, key, 'prefix part must be a lowercase RFC 1123 subdomain');
    return;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name))
    issues.invalid(
      path,
      key,
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)",
    );
}

export function checkLabelValue(issues: Issues, path: PathSegment[], value: string): void {
  if (value.length > 63 || !LABEL_VALUE.test(value))
    issues.invalid(
      path,
      value,
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)",
    );
}

/**
 * Checks a `map[string]string` of labels. Non-string values (an unquoted `true` in YAML) are
 * reported the way the API server rejects them, and converted to strings so the object stays usable.
 */
export function checkLabels(issues: Issues, path: PathSegment[], labels: unknown, validateKeys = true): void {
  if (labels === undefined || labels === null) return;
  if (!isObject(labels)) {
    issues.invalid(path, labels, 'must be a map of string keys to string values');
    return;
  }
  for (const k in labels) {
    const v = labels[k];
    // fast path: a valid key and value allocate nothing
    if (typeof v === 'string' && (!validateKeys || (isQualifiedName(k) && isLabelValue(v)))) continue;
    if (validateKeys) checkQualifiedName(issues, [...path, k], k);
    if (typeof v !== 'string') {
      issues.invalid(
        [...path, k],
        v,
        `must be a string (quote it in YAML: "${safeString(v)}"); treated as the string "${safeString(v)}"`,
      );
      labels[k] = v === null ? '' : safeString(v);
      continue;
    }
    if (validateKeys) checkLabelValue(issues, [...path, k], v);
  }
}

export function checkStringMap(issues: Issues, path: PathSegment[], map: unknown): void {
  checkLabels(issues, path, map, false);
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** metav1.LabelSelector validation (ValidateLabelSelector). */
export function checkLabelSelector(issues: Issues, path: PathSegment[], sel: unknown): void {
  if (sel === undefined || sel === null) return;
  if (!isObject(sel)) {
    issues.invalid(path, sel, 'must be a label selector (matchLabels / matchExpressions)');
    return;
  }
  checkLabels(issues, [...path, 'matchLabels'], sel.matchLabels);
  const exprs = sel.matchExpressions;
  if (exprs === undefined || exprs === null) return;
  if (!Array.isArray(exprs)) {
    issues.invalid([...path, 'matchExpressions'], exprs, 'must be a list');
    return;
  }
  exprs.forEach((e, i) => {
    const p = [...path, 'matchExpressions', i];
    if (!isObject(e)) {
      issues.invalid(p, e, 'must be an object with key, operator and values');
      return;
    }
    if (typeof e.key !== 'string' || !e.key) issues.required([...p, 'key']);
    else checkQualifiedName(issues, [...p, 'key'], e.key);
    const values = e.values;
    if (values !== undefined && values !== null && !Array.isArray(values)) {
      issues.invalid([...p, 'values'], values, 'must be a list of strings');
      return;
    }
    const n = Array.isArray(values) ? values.length : 0;
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (n === 0)
          issues.required(
            [...p, 'values'],
            "Required value: must be specified when `operator` is 'In' or 'NotIn'",
          );
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (n > 0)
          issues.forbidden(
            [...p, 'values'],
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          );
        break;
      case undefined:
        issues.required([...p, 'operator']);
        break;
      default:
        issues.unsupported([...p, 'operator'], e.operator, OPERATORS);
    }
    if (Array.isArray(values))
      values.forEach((v, j) => {
        if (typeof v !== 'string') {
          issues.invalid([...p, 'values', j], v, 'must be a string');
          values[j] = safeString(v);
        } else checkLabelValue(issues, [...p, 'values', j], v);
      });
  });
}

/** IANA_SVC_NAME: at most 15 characters, a-z0-9 and '-', at least one letter, no leading/trailing/double '-'. */
export function isIanaSvcName(v: string): boolean {
  return (
    v.length >= 1 &&
    v.length <= 15 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) &&
    /[a-z]/.test(v) &&
    !v.includes('--')
  );
}

export function checkPortNumber(
  issues: Issues,
  path: PathSegment[],
  v: unknown,
  required = true,
): v is number {
  if (v === undefined || v === null) {
    if (required) issues.required(path);
    return false;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
    issues.invalid(path, v, 'must be between 1 and 65535, inclusive');
    return false;
  }
  return true;
}

/** int-or-string port: 1–65535 or an IANA_SVC_NAME. */
export function checkPortOrName(issues: Issues, path: PathSegment[], v: unknown): void {
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) {
      issues.invalid(path, v, 'a numeric port must be written as a number, not a string');
      return;
    }
    if (!isIanaSvcName(v))
      issues.invalid(
        path,
        v,
        "must be a port number (1-65535) or an IANA_SVC_NAME (at most 15 characters, lower-case alphanumeric or '-', at least one letter)",
      );
    return;
  }
  checkPortNumber(issues, path, v);
}

export function checkProtocol(issues: Issues, path: PathSegment[], v: unknown): void {
  if (v === undefined || v === null) return;
  if (!(PROTOCOLS as readonly unknown[]).includes(v)) issues.unsupported(path, v, PROTOCOLS);
}

export function checkCidr(issues: Issues, path: PathSegment[], v: unknown): ReturnType<typeof parseCidr> {
  if (v === undefined || v === null || v === '') {
    issues.required(path);
    return undefined;
  }
  const c = typeof v === 'string' ? parseCidr(v) : undefined;
  if (!c) issues.invalid(path, v, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
  return c;
}

const V4_FAST = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function checkIp(issues: Issues, path: PathSegment[], v: unknown): void {
  if (v === undefined || v === null || v === '') return;
  if (typeof v === 'string' && V4_FAST.test(v)) return;
  if (typeof v !== 'string' || !parseIp(v)) issues.invalid(path, v, 'must be a valid IP address');
}

export function checkList(issues: Issues, path: PathSegment[], v: unknown): v is unknown[] {
  if (v === undefined || v === null) return false;
  if (!Array.isArray(v)) {
    issues.invalid(path, v, 'must be a list');
    return false;
  }
  return true;
}
