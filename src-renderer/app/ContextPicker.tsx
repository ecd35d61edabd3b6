import { useEffect, useMemo, useRef, useState } from 'react';
import type { ContextList } from '@shared/cluster/types';
import { api } from '../api';
import { useSession } from '../stores/session';
import { toastError } from '../stores/toasts';
import { readFiles } from '../lib/download';
import { ago } from '../lib/time';

interface Item {
  id: string;
  section: 'Start' | 'Kubeconfig contexts' | 'Recent';
  title: string;
  subtitle?: string;
  badge?: string;
  run(): void;
}

/** Ctrl/Cmd+K: pick a kubeconfig context, the demo, snapshot files, or a recent item. */
export function ContextPicker() {
  const open = useSession((s) => s.pickerOpen);
  if (!open) return null;
  return <PickerDialog />;
}

function PickerDialog() {
  const setOpen = useSession((s) => s.setPickerOpen);
  const recent = useSession((s) => s.recent);
  const summary = useSession((s) => s.summary);
  const [contexts, setContexts] = useState<ContextList | undefined>();
  const [ctxError, setCtxError] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    let alive = true;
    api.contexts
      .list()
      .then((c) => alive && setContexts(c))
      .catch((e: unknown) => {
        if (alive) setCtxError(e instanceof Error ? e.message : String(e));
      });
    const off = api.contexts.onChanged((c) => setContexts(c));
    const el = returnFocus.current;
    return () => {
      alive = false;
      off();
      if (el instanceof HTMLElement) el.focus();
    };
  }, []);

  const close = () => setOpen(false);
  const act = (fn: () => Promise<void>) => () => {
    close();
    fn().catch((e: unknown) => toastError('Could not open', e));
  };
  const s = useSession.getState();

  const items = useMemo<Item[]>(() => {
    const list: Item[] = [
      {
        id: 'demo',
        section: 'Start',
        title: 'Open demo',
        subtitle: 'A small Cilium cluster with four classic policy mistakes',
        run: act(s.openDemo),
      },
      {
        id: 'files',
        section: 'Start',
        title: 'Open snapshot files…',
        subtitle: 'kubectl get … -o yaml|json output, or a saved Netpol Doctor snapshot',
        run: () => fileInput.current?.click(),
      },
    ];
    for (const c of contexts?.contexts ?? []) {
      list.push({
        id: `ctx:${c.name}`,
        section: 'Kubeconfig contexts',
        title: c.name,
        subtitle: [c.server ?? c.cluster, c.namespace && `ns ${c.namespace}`, c.sourceFile]
          .filter(Boolean)
          .join(' · '),
        badge: c.name === contexts?.current ? 'current' : undefined,
        run: act(() => s.connect(c.name)),
      });
    }
    for (const r of recent) {
      if (r.kind === 'files' && r.paths.length === 0) continue;
      list.push({
        id: `recent:${r.kind}:${r.label}`,
        section: 'Recent',
        title: r.label,
        subtitle: `${r.kind === 'context' ? 'context' : r.kind === 'demo' ? 'demo' : 'files'} · ${ago(r.at)}`,
        run: act(() =>
          r.kind === 'demo'
            ? s.openDemo()
            : r.kind === 'context'
              ? s.connect(r.context)
              : s.openPaths(r.paths),
        ),
      });
    }
    return list;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [contexts, recent]);

  const needle = q.trim().toLowerCase();
  const shown = needle
    ? items.filter((i) => `${i.title} ${i.subtitle ?? ''}`.toLowerCase().includes(needle))
    : items;
  const activeIdx = Math.min(active, Math.max(0, shown.length - 1));

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((activeIdx + 1) % Math.max(1, shown.length));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((activeIdx - 1 + shown.length) % Math.max(1, shown.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      shown[activeIdx]?.run();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') {
      // keep focus inside the dialog
      const f = dialogRef.current?.querySelectorAll<HTMLElement>('input, button, [tabindex="0"]');
      if (!f || f.length === 0) return;
      const first = f[0];
      const last = f[f.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  let lastSection = '';
  return (
    <div className="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal picker"
        role="dialog"
        aria-modal="true"
        aria-labelledby="picker-title"
        ref={dialogRef}
        onKeyDown={onKey}
        data-testid="context-picker"
      >
        <div className="picker-head">
          <h2 id="picker-title">Open a cluster or snapshot</h2>
          {summary && <span className="faint">Esc to go back</span>}
        </div>
        <input
          ref={inputRef}
          className="input picker-search"
          placeholder="Search contexts, files, recent…"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls="picker-list"
          aria-activedescendant={shown[activeIdx] ? `pick-${activeIdx}` : undefined}
          aria-label="Search contexts and snapshots"
        />
        <ul className="picker-list" id="picker-list" role="listbox" aria-label="Contexts and snapshots">
          {shown.map((it, i) => {
            const head = it.section !== lastSection ? it.section : undefined;
            lastSection = it.section;
            return (
              <li key={it.id} role="presentation">
                {head && (
                  <div className="picker-section" role="presentation">
                    {head}
                  </div>
                )}
                <div
                  id={`pick-${i}`}
                  role="option"
                  aria-selected={i === activeIdx}
                  className={`picker-item ${i === activeIdx ? 'active' : ''}`}
                  onPointerMove={() => setActive(i)}
                  onClick={() => it.run()}
                >
                  <div className="picker-title">
                    {it.title} {it.badge && <span className="pill info">{it.badge}</span>}
                  </div>
                  {it.subtitle && <div className="picker-sub">{it.subtitle}</div>}
                </div>
              </li>
            );
          })}
          {shown.length === 0 && <li className="faint picker-none">Nothing matches “{q}”.</li>}
        </ul>
        {(ctxError || (contexts && (contexts.problems.length > 0 || contexts.contexts.length === 0))) && (
          <div className="picker-problems">
            {ctxError && <p>Could not read kubeconfig contexts: {ctxError}</p>}
            {contexts && contexts.contexts.length === 0 && !ctxError && (
              <p className="faint">
                No kubeconfig contexts found (KUBECONFIG or ~/.kube/config). The demo and files still work.
              </p>
            )}
            {contexts?.problems.map((p, i) => (
              <p key={i}>
                <span aria-hidden="true">⚠ </span>
                {p.file && <span className="mono">{p.file}: </span>}
                {p.message}
              </p>
            ))}
          </div>
        )}
        <div className="picker-foot faint">
          <span className="kbd">↑</span> <span className="kbd">↓</span> to move ·{' '}
          <span className="kbd">Enter</span> to open · <span className="kbd">Esc</span> to close
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept=".yaml,.yml,.json,.txt"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="snapshot-file-input"
          onChange={async (e) => {
            const files = e.target.files;
            if (!files || files.length === 0) return;
            const texts = await readFiles(files);
            e.target.value = '';
            close();
            await useSession.getState().openTexts(texts);
          }}
        />
      </div>
    </div>
  );
}
