import type { LintFinding } from '../../engine/types';
import type { Snapshot } from '../../snapshot/types';

/** Problems found while loading (invalid objects, duplicates, unknown kinds, dropped Secrets) as lint findings. */
export function loadFindingsAsLint(snapshot: Snapshot, out: LintFinding[]): void {
  for (const f of snapshot.loadFindings) {
    const at = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
    out.push({
      rule: f.code,
      severity: f.severity,
      object: f.object ?? { kind: 'File', name: f.file ?? '' },
      message: `${at}${f.message}`,
    });
  }
}
