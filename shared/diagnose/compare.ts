import { formatSelector } from '../engine/selector';
import type { LabelSelector, Labels } from '../k8s/types';
import type { LabelComparison } from './types';

/**
 * Compares a label selector with an object's actual labels, key by key, so the wizard can show
 * exactly which key or value differs. Semantics follow metav1.LabelSelector (policy-semantics.md §0).
 */
export function compareSelector(
  selector: LabelSelector,
  labels: Labels,
  target: LabelComparison['target'],
  targetName: string,
): LabelComparison {
  const differences: LabelComparison['differences'] = [];
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(k))
      differences.push({
        key: k,
        expected: v,
        message: `${targetName} has no label ${k} (wanted ${k}=${v})`,
      });
    else if (labels[k] !== v)
      differences.push({
        key: k,
        expected: v,
        actual: labels[k],
        message: `${targetName} has ${k}=${labels[k]}, the selector wants ${k}=${v}`,
      });
  }
  for (const e of selector.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has(e.key))
          differences.push({
            key: e.key,
            expected: values.join(','),
            message: `${targetName} has no label ${e.key} (wanted one of ${values.join(', ')})`,
          });
        else if (!values.includes(labels[e.key]))
          differences.push({
            key: e.key,
            expected: values.join(','),
            actual: labels[e.key],
            message: `${targetName} has ${e.key}=${labels[e.key]}, not one of ${values.join(', ')}`,
          });
        break;
      case 'NotIn':
        if (has(e.key) && values.includes(labels[e.key]))
          differences.push({
            key: e.key,
            actual: labels[e.key],
            message: `${targetName} has ${e.key}=${labels[e.key]}, which the selector excludes`,
          });
        break;
      case 'Exists':
        if (!has(e.key)) differences.push({ key: e.key, message: `${targetName} has no label ${e.key}` });
        break;
      case 'DoesNotExist':
        if (has(e.key))
          differences.push({
            key: e.key,
            actual: labels[e.key],
            message: `${targetName} has label ${e.key}, which the selector requires to be absent`,
          });
        break;
      default:
        differences.push({ key: e.key, message: `unknown selector operator ${String(e.operator)}` });
    }
  }
  return {
    selector: formatSelector(selector),
    target,
    targetName,
    labels: { ...labels },
    matched: differences.length === 0,
    differingKeys: [...new Set(differences.map((d) => d.key))],
    differences,
  };
}

export function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : '(no labels)';
}

/** The highlight string for a comparison: `key=value` as the object has it, or the missing `key`. */
export function highlightOf(c: LabelComparison): string | undefined {
  const d = c.differences[0];
  if (!d) return undefined;
  return d.actual !== undefined ? `${d.key}=${d.actual}` : d.key;
}
