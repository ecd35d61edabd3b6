import { useMemo } from 'react';
import { createTwoFilesPatch, structuredPatch } from 'diff';

/** A unified diff of two YAML texts, coloured, with line numbers of the new version. */
export function DiffView({ before, after, name }: { before: string; after: string; name: string }) {
  const hunks = useMemo(
    () => structuredPatch(name, name, before, after, 'current', 'fixed', { context: 3 }).hunks,
    [before, after, name],
  );
  if (hunks.length === 0) return <p className="muted">No change.</p>;
  return (
    <div className="diff" role="group" aria-label={`Changes to ${name}`} tabIndex={0}>
      <div className="diff-file mono">{name}</div>
      {hunks.map((h, i) => {
        let newLine = h.newStart;
        return (
          <div key={i} className="diff-hunk">
            <div className="diff-line hunk mono">
              @@ -{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
            </div>
            {h.lines.map((l, j) => {
              const kind = l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : 'ctx';
              const num = kind === 'del' ? '' : String(newLine++);
              return (
                <div key={j} className={`diff-line ${kind} mono`}>
                  <span className="diff-num" aria-hidden="true">
                    {num}
                  </span>
                  <span className="diff-sign" aria-hidden="true">
                    {kind === 'add' ? '+' : kind === 'del' ? '−' : ' '}
                  </span>
                  <span className="visually-hidden">
                    {kind === 'add' ? 'added: ' : kind === 'del' ? 'removed: ' : ''}
                  </span>
                  <span className="diff-text">{l.slice(1)}</span>
                </div>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}

export function unifiedPatch(name: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, '', '', { context: 3 });
}
