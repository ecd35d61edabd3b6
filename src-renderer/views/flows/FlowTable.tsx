import { useEffect, useLayoutEffect, useRef, useSyncExternalStore, type CSSProperties } from 'react';
import { List, useListRef } from 'react-window';
import type { FlowViewUpdate } from '@shared/flows/view';
import { useFlows } from '../../stores/flows';
import { localTime, verdictClass } from './flow-format';
import { rowCache } from './row-cache';

/** every row has this height (CSS .ft-row), so react-window's window is arithmetic: no measuring */
const ROW_H = 30;
const OVERSCAN = 10;

interface RowProps {
  base: number;
  selected: number | undefined;
  select: (ordinal: number | undefined) => void;
  /** the row cache's version: rows re-render when fetched rows arrive */
  version: number;
}

/** One row of main's view (ordinal base + index), or a placeholder until its cells arrive. */
function FlowRowView({
  index,
  style,
  base,
  selected,
  select,
}: { index: number; style: CSSProperties } & RowProps) {
  const ordinal = base + index;
  const r = rowCache.get(ordinal);
  if (!r)
    return (
      <div role="row" aria-rowindex={index + 2} aria-busy="true" className="ft-row ft-loading" style={style}>
        <div role="gridcell" className="faint">
          …
        </div>
      </div>
    );
  const isSel = ordinal === selected;
  return (
    <div
      id={`flow-${ordinal}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={isSel}
      className={`ft-row ${isSel ? 'selected' : ''} v-${verdictClass(r.verdict)}`}
      style={style}
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
  );
}

/**
 * The flow table: react-window over main's view of the stream (row i is ordinal base + i), newest at the
 * bottom, following the live edge while the user is there. When the buffer evicts old flows and the user
 * has scrolled up, the scroll position moves with the rows so what they read stays put. Rows on screen are
 * fetched from main as they come into view (row-cache.ts).
 */
export function FlowTable({ view }: { view: FlowViewUpdate }) {
  const selected = useFlows((s) => s.selected?.ordinal);
  const select = useFlows((s) => s.select);
  const version = useSyncExternalStore(rowCache.subscribe, rowCache.getVersion);
  const listRef = useListRef(null);
  const atEdge = useRef(true);
  const { base, total } = view;
  const prevBase = useRef(base);
  /** the rows react-window renders (overscan included), as indexes */
  const rendered = useRef({ start: 0, stop: -1 });

  // keep the rows under the reader when older ones leave the view; follow the edge otherwise
  useLayoutEffect(() => {
    const el = listRef.current?.element;
    const shift = base - prevBase.current;
    prevBase.current = base;
    if (!el) return;
    if (atEdge.current) el.scrollTop = el.scrollHeight;
    else if (shift > 0) el.scrollTop = Math.max(0, el.scrollTop - shift * ROW_H);
  }, [base, total, view.generation, listRef]);

  // a view update can bring rows into the rendered range without changing it
  useEffect(() => {
    const { start, stop } = rendered.current;
    if (stop >= start) rowCache.ensure(base + start, base + stop + 1);
  }, [base, total, view.generation]);

  useEffect(() => {
    const el = listRef.current?.element;
    if (!el) return;
    const onScroll = () => {
      atEdge.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_H * 2;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [listRef]);

  const selIdx = selected !== undefined ? selected - base : -1;

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
    listRef.current?.scrollToRow({ index: next, align: 'auto' });
  };

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
      <List
        listRef={listRef}
        className="ft-scroll"
        role="rowgroup"
        tabIndex={0}
        onKeyDown={onKey}
        aria-label="Flow rows: arrow keys select, Escape clears"
        aria-activedescendant={selIdx >= 0 && selIdx < total ? `flow-${selected}` : undefined}
        rowComponent={FlowRowView}
        rowCount={total}
        rowHeight={ROW_H}
        rowKey={rowKey}
        rowProps={{ base, selected, select, version }}
        overscanCount={OVERSCAN}
        onRowsRendered={(_visible, all) => {
          rendered.current = { start: all.startIndex, stop: all.stopIndex };
          rowCache.ensure(base + all.startIndex, base + all.stopIndex + 1);
        }}
      />
    </div>
  );
}

/** rows are keyed by ordinal, so a row keeps its element while older rows leave the view */
function rowKey(index: number, props: RowProps): number {
  return props.base + index;
}
