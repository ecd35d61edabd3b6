/**
 * Label selectors as Hubble's `--label` filters take them (Kubernetes selector syntax over Cilium labels):
 * `app=web`, `app!=web`, `app in (web,api)`, `app notin (x)`, `app`, `!app`, comma-separated (AND).
 * A key with a source prefix (`k8s:app`) matches only labels of that source; a key without one matches
 * any source (`app` matches `k8s:app=web`).
 */
export interface LabelRequirement {
  source?: string;
  key: string;
  op: 'exists' | 'notexists' | 'in' | 'notin';
  values: string[];
}

export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseKey(raw: string, selector: string): { source?: string; key: string } {
  const k = raw.trim();
  if (!k || /[\s=!()]/.test(k))
    throw new LabelSelectorError(`invalid label selector "${selector}": bad key "${raw}"`);
  const i = k.indexOf(':');
  if (i > 0) return { source: k.slice(0, i), key: k.slice(i + 1) };
  return { key: k };
}

/** Parses a selector string into requirements (all must hold). Throws LabelSelectorError. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (const part of splitTopLevel(selector)) {
    let m: RegExpExecArray | null;
    if ((m = /^(.+?)\s+(in|notin)\s*\((.*)\)$/.exec(part))) {
      const values = m[3]
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      reqs.push({ ...parseKey(m[1], selector), op: m[2] === 'in' ? 'in' : 'notin', values });
    } else if ((m = /^(.+?)\s*(==|!=|=)\s*(.*)$/.exec(part))) {
      reqs.push({ ...parseKey(m[1], selector), op: m[2] === '!=' ? 'notin' : 'in', values: [m[3].trim()] });
    } else if ((m = /^!\s*(.+)$/.exec(part))) {
      reqs.push({ ...parseKey(m[1], selector), op: 'notexists', values: [] });
    } else {
      reqs.push({ ...parseKey(part, selector), op: 'exists', values: [] });
    }
  }
  if (!reqs.length) throw new LabelSelectorError(`invalid label selector "${selector}": empty`);
  return reqs;
}

interface ParsedLabel {
  source: string;
  key: string;
  value: string;
}

/** Cilium label strings (`k8s:app=web`, `reserved:host`) → source/key/value. */
export function parseCiliumLabels(labels: readonly string[] | undefined): ParsedLabel[] {
  const out: ParsedLabel[] = [];
  for (const l of labels ?? []) {
    const eq = l.indexOf('=');
    const kv = eq >= 0 ? l.slice(0, eq) : l;
    const value = eq >= 0 ? l.slice(eq + 1) : '';
    const colon = kv.indexOf(':');
    out.push(
      colon > 0
        ? { source: kv.slice(0, colon), key: kv.slice(colon + 1), value }
        : { source: 'unspec', key: kv, value },
    );
  }
  return out;
}

function lookup(labels: ParsedLabel[], r: LabelRequirement): ParsedLabel[] {
  return labels.filter(
    (l) => l.key === r.key && (r.source === undefined || r.source === 'any' || r.source === l.source),
  );
}

/** True when every requirement holds for these labels. */
export function matchLabelRequirements(reqs: LabelRequirement[], labels: ParsedLabel[]): boolean {
  for (const r of reqs) {
    const hits = lookup(labels, r);
    switch (r.op) {
      case 'exists':
        if (!hits.length) return false;
        break;
      case 'notexists':
        if (hits.length) return false;
        break;
      case 'in':
        if (!hits.some((h) => r.values.includes(h.value))) return false;
        break;
      case 'notin':
        if (hits.some((h) => r.values.includes(h.value))) return false;
        break;
    }
  }
  return true;
}
