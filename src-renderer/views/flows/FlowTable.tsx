import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Flow } from '@shared/flows/types';
import { useFlows } from '../../stores/flows';
import { flowRow, verdictClass } from './flow-format';

const ROW_H = 30;

/** Virtualized flow table; newest at the bottom, following the live edge while the user is there. */
export function FlowTable({ flows }: { flows: Flow[] }) {
  const selected = useFlows((s) => s.selected);
  const select = useFlows((s) => s.select);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atEdge = useRef(true);
  const v = useVirtualizer({
    count: flows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
  });

  useEffect(() => {
    if (atEdge.current && flows.length > 0) v.scrollToIndex(flows.length - 1, { align: 'end' });
  }, [flows.length, v]);

  const selIdx = selected ? flows.indexOf(selected) : -1;

  const onKey = (e: React.KeyboardEvent) => {
    if (flows.length === 0) return;
    let next = selIdx;
    if (e.key === 'ArrowDown') next = Math.min(flows.length - 1, selIdx + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, selIdx < 0 ? flows.length - 1 : selIdx - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = flows.length - 1;
    else if (e.key === 'PageDown') next = Math.min(flows.length - 1, selIdx + 15);
    else if (e.key === 'PageUp') next = Math.max(0, selIdx - 15);
    else if (e.key === 'Escape') {
      select(undefined);
      return;
    } else return;
    e.preventDefault();
    select(flows[next]);
    v.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div
      className="flow-table card"
      role="grid"
      aria-label="Flows"
      aria-rowcount={flows.length + 1}
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
        aria-activedescendant={selIdx >= 0 ? `flow-${selIdx}` : undefined}
        onScroll={(e) => {
          const el = e.currentTarget;
          atEdge.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_H * 2;
        }}
      >
        <div className="ft-inner" style={{ height: v.getTotalSize() }}>
          {v.getVirtualItems().map((item) => {
            const f = flows[item.index];
            const r = flowRow(f);
            return (
              <div
                key={item.key}
                id={`flow-${item.index}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={f === selected}
                className={`ft-row ${f === selected ? 'selected' : ''} v-${verdictClass(r.verdict)}`}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => select(f === selected ? undefined : f)}
                data-verdict={r.verdict}
              >
                <div role="gridcell" className="mono faint">
                  {r.time}
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
                <div
                  role="gridcell"
                  className={`ell ${r.defaultDeny ? 'default-deny' : ''}`}
                  title={r.policies}
                >
                  {r.policies}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
