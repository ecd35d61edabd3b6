import type { LabelSelector, Labels } from '../k8s/types';

/**
 * metav1.LabelSelector semantics. `{}` matches everything. matchLabels and matchExpressions are ANDed.
 * NotIn matches when the key is absent. This is the single implementation every module uses.
 */
export function matchesSelector(selector: LabelSelector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  if (selector.matchLabels) {
    for (const k in selector.matchLabels) {
      if (l[k] !== selector.matchLabels[k]) return false;
    }
  }
  if (selector.matchExpressions) {
    for (const e of selector.matchExpressions) {
      const has = Object.prototype.hasOwnProperty.call(l, e.key);
      switch (e.operator) {
        case 'In':
          if (!has || !(e.values ?? []).includes(l[e.key])) return false;
          break;
        case 'NotIn':
          if (has && (e.values ?? []).includes(l[e.key])) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (
    !!selector &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/** `app=web,tier!=db,env in (a,b)` style rendering, the way kubectl prints selectors. */
export function formatSelector(selector: LabelSelector | undefined): string {
  if (!selector) return '<none>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.length ? parts.join(',') : '<all>';
}
