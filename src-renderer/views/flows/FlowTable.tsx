import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { FlowViewUpdate } from '@shared/flows/view';
import { useFlows } from '../../stores/flows';
import { localTime, verdictClass } from './flow-format';
import { rowCache } from './row-cache';

/** every row has this height (CSS .ft-row), so the window is arithmetic: no measuring */
const ROW_H = 30;
const OVERSCAN = 10;

/**
 * The flow table: a fixed-height window over main's view of the stream (row i is ordinal base + i), newest
 * at the bottom, following the live edge while the user is there. When the buffer evicts old flows and the
 * user has scrolled up, the scroll position moves with the rows so what they read stays put.
 */
export function FlowTable({ view }: { view: FlowViewUpdate }) {
  const selected = useFlows((s) => s.selected?.ordinal);
  const select = useFlows((s) => s.select);
  useSyncExternalStore(rowCache.subscribe, rowCache.getVersion);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atEdge = useRef(true);
  const [win, setWin] = useState({ top: 0, height: 600 });
  const { base, total } = view;
  const prevBase = useRef(base);

  // keep the rows under the reader when older ones leave the view; follow the edge otherwise
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const shift = base - prevBase.current;
    prevBase.current = base;
    if (atEdge.current) el.scrollTop = el.scrollHeight;
    else if (shift > 0) el.scrollTop = Math.max(0, el.scrollTop - shift * ROW_H);
    setWin({ top: el.scrollTop, height: el.clientHeight });
  }, [base, total, view.generation]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWin({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(win.top / ROW_H) - OVERSCAN);
  const last = Math.min(total, Math.ceil((win.top + win.height) / ROW_H) + OVERSCAN);

  useEffect(() => {
    rowCache.ensure(base + first, base + last);
  }, [base, first, last, view.generation, total]);

  const selIdx = selected !== undefined ? selected - base : -1;

  const scrollIntoView = (i: number) => {
    const el = scrollRef.current;
    if (!el) return;
    if (i * ROW_H < el.scrollTop) el.scrollTop = i * ROW_H;
    else if ((i + 1) * ROW_H > el.scrollTop + el.clientHeight)
      el.scrollTop = (i + 1) * ROW_H - el.clientHeight;
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (total === 0) return;
    const cur = selIdx >= 0 && selIdx < total ? selIdx : -1;
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(total - 1, cur + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, cur < 0 ? total - 1 : cur - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = total - 1;
    else if (e.key === 'PageDown') next = Math.min(total - 1, cur + 15);
    else if (e.key === 'PageUp') next = Math.max(0, cur - 15);
    else if (e.key === 'Escape') {
      select(undefined);
      return;
    } else return;
    e.preventDefault();
    select(base + next);
    scrollIntoView(next);
  };

  const rows = [];
  for (let i = first; i < last; i++) {
    const ordinal = base + i;
    const r = rowCache.get(ordinal);
    const isSel = ordinal === selected;
    rows.push(
      r ? (
        <div
          key={ordinal}
          id={`flow-${ordinal}`}
          role="row"
          aria-rowindex={i + 2}
          aria-selected={isSel}
          className={`ft-row ${isSel ? 'selected' : ''} v-${verdictClass(r.verdict)}`}
          style={{ transform: `translateY(${i * ROW_H}px)` }}
          onClick={() => select(isSel ? undefined : ordinal)}
          data-verdict={r.verdict}
        >
          <div role="gridcell" className="mono faint" title={r.time}>
            {localTime(r.time)}
          </div>
          <div role="gridcell" className="mono ell" title={r.src}>
            {r.src}
          </div>
          <div role="gridcell" className="mono ell" title={r.dst}>
            {r.dst}
          </div>
          <div role="gridcell" className="mono">
            {r.port}
          </div>
          <div role="gridcell">
            <span className={`pill ${verdictClass(r.verdict)}`}>{r.verdict}</span>
          </div>
          <div role="gridcell" className="ell" title={r.dropReason}>
            {r.dropReason}
          </div>
          <div role="gridcell" className="faint">
            {r.direction}
          </div>
          <div role="gridcell" className={`ell ${r.defaultDeny ? 'default-deny' : ''}`} title={r.policies}>
            {r.policies}
          </div>
        </div>
      ) : (
        <div
          key={ordinal}
          role="row"
          aria-rowindex={i + 2}
          aria-busy="true"
          className="ft-row ft-loading"
          style={{ transform: `translateY(${i * ROW_H}px)` }}
        >
          <div role="gridcell" className="faint">
            …
          </div>
        </div>
      ),
    );
  }

  return (
    <div
      className="flow-table card"
      role="grid"
      aria-label="Flows"
      aria-rowcount={total + 1}
      data-testid="flow-table"
    >
      <div className="ft-row ft-head" role="row">
        <div role="columnheader">Time</div>
        <div role="columnheader">Source</div>
        <div role="columnheader">Destination</div>
        <div role="columnheader">Port</div>
        <div role="columnheader">Verdict</div>
        <div role="columnheader">Drop reason</div>
        <div role="columnheader">Direction</div>
        <div role="columnheader">Policies</div>
      </div>
      <div
        className="ft-scroll"
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKey}
        aria-label="Flow rows: arrow keys select, Escape clears"
        aria-activedescendant={selIdx >= 0 && selIdx < total ? `flow-${selected}` : undefined}
        onScroll={(e) => {
          const el = e.currentTarget;
          atEdge.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_H * 2;
          setWin({ top: el.scrollTop, height: el.clientHeight });
        }}
      >
        <div className="ft-inner" style={{ height: total * ROW_H }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
