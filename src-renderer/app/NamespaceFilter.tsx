import { useCallback, useMemo, useRef, useState } from 'react';
import { useSession } from '../stores/session';
import { useDismiss } from '../lib/hooks';

/** Multi-select namespace filter ("All namespaces" = empty selection). */
export function NamespaceFilter() {
  const snapshot = useSession((s) => s.snapshot);
  const selected = useSession((s) => s.namespaces);
  const setNamespaces = useSession((s) => s.setNamespaces);
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const all = useMemo(() => (snapshot?.namespaces ?? []).map((n) => n.metadata.name).sort(), [snapshot]);
  const shown = all.filter((n) => n.includes(q.trim()));
  const label =
    selected.length === 0
      ? 'All namespaces'
      : selected.length === 1
        ? selected[0]
        : `${selected.length} namespaces`;

  return (
    <div className="ns-filter" ref={ref}>
      <button
        type="button"
        className="btn"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        disabled={!snapshot}
        data-testid="namespace-filter"
      >
        <span className="faint">ns:</span> {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="popover ns-popover" role="group" aria-label="Namespace filter">
          <input
            className="input"
            placeholder="Filter namespaces"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoFocus
            aria-label="Filter namespaces"
          />
          <label className="checkbox ns-all">
            <input type="checkbox" checked={selected.length === 0} onChange={() => setNamespaces([])} />
            All namespaces
          </label>
          <div className="ns-list">
            {shown.map((n) => (
              <label key={n} className="checkbox">
                <input
                  type="checkbox"
                  checked={selected.includes(n)}
                  onChange={(e) =>
                    setNamespaces(e.target.checked ? [...selected, n] : selected.filter((x) => x !== n))
                  }
                />
                <span className="mono">{n}</span>
              </label>
            ))}
            {shown.length === 0 && <p className="faint">No namespace matches.</p>}
          </div>
        </div>
      )}
    </div>
  );
}
