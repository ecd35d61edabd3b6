import type { SnapshotSummary } from '@shared/api/contract';

/** "Demo cluster", "context prod-eu (cluster prod, https://…)", "3 files" — what the title bar shows. */
export function describeSource(s: SnapshotSummary): { kind: string; name: string; detail: string } {
  const src = s.source;
  if (src.type === 'demo')
    return { kind: 'Demo', name: s.title || 'Demo cluster', detail: 'bundled demo snapshot' };
  if (src.type === 'context')
    return {
      kind: 'Context',
      name: src.context,
      detail:
        [src.cluster && `cluster ${src.cluster}`, src.server].filter(Boolean).join(' · ') || 'live cluster',
    };
  const names = src.paths.map((p) => p.split(/[\\/]/).pop() ?? p);
  return {
    kind: 'Snapshot',
    name: s.title || (names.length === 1 ? names[0] : `${names.length} files`),
    detail: names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} +${names.length - 3}`,
  };
}
