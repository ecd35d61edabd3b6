import { describe, expect, it } from 'vitest';
import type { Flow } from '@shared/flows/types';
import { FlowStore } from './flow-store';
import { FlowView } from './flow-view';

let n = 0;
function flow(verdict: 'FORWARDED' | 'DROPPED', ns = 'backend'): Flow {
  n++;
  return {
    uuid: `f${n}`,
    time: `2026-11-30T10:00:${String(n % 60).padStart(2, '0')}Z`,
    verdict,
    source: { namespace: 'frontend', pod_name: `web-${n}` },
    destination: { namespace: ns, pod_name: 'api-0' },
    l4: { TCP: { source_port: 40000 + n, destination_port: 8080 } },
  };
}

function uuids(view: FlowView): string[] {
  const s = view.state();
  return view.rows(s.base, 1000).rows.map((r) => r.uuid ?? '');
}

describe('FlowView of a ring buffer', () => {
  it('shows the held flows that pass the filter, counted by verdict, updated by what arrives', () => {
    const store = new FlowStore(100);
    const flows = [flow('FORWARDED'), flow('DROPPED'), flow('DROPPED')];
    store.pushMany(flows);
    const view = new FlowView(store);
    view.configure({ filter: { verdict: ['DROPPED'] } });
    expect(view.state()).toMatchObject({ total: 2, counts: { DROPPED: 2 } });
    expect(uuids(view)).toEqual([flows[1].uuid, flows[2].uuid]);

    const more = [flow('FORWARDED'), flow('DROPPED')];
    store.pushMany(more);
    expect(view.sync()).toBe(true);
    expect(view.state()).toMatchObject({ total: 3, counts: { DROPPED: 3 } });
    expect(uuids(view).at(-1)).toBe(more[1].uuid);
    // nothing new: no change
    expect(view.sync()).toBe(false);
  });

  it('drops what the ring buffer evicts and moves its base, so ordinals keep naming the same flows', () => {
    const store = new FlowStore(4);
    const flows = Array.from({ length: 4 }, () => flow('FORWARDED'));
    store.pushMany(flows);
    const view = new FlowView(store);
    const ordinalOfThird = view.rows(0, 10).rows[2].ordinal;
    store.pushMany([flow('DROPPED'), flow('DROPPED')]);
    view.sync();
    expect(view.state()).toMatchObject({ base: 2, total: 4, counts: { FORWARDED: 2, DROPPED: 2 } });
    expect(view.flow(ordinalOfThird)).toBe(flows[2]);
    expect(view.flow(0)).toBeUndefined();
    // rows asked for from an ordinal already gone start at the oldest held one
    expect(view.rows(0, 3).rows.map((r) => r.ordinal)).toEqual([2]);
    expect(view.rows(2, 3).rows.map((r) => r.uuid)).toEqual([
      flows[2].uuid,
      flows[3].uuid,
      store.atSeq(4)?.uuid,
    ]);
  });

  it('a paused view stays as it was (even when the buffer evicts) and counts new matching flows; resume catches up', () => {
    const store = new FlowStore(3);
    store.pushMany([flow('DROPPED'), flow('DROPPED')]);
    const view = new FlowView(store);
    view.configure({ filter: { verdict: ['DROPPED'] }, paused: true });
    const frozen = uuids(view);
    // the manager syncs after every batch
    for (const f of [flow('DROPPED'), flow('FORWARDED'), flow('DROPPED'), flow('DROPPED')]) {
      store.push(f);
      view.sync();
    }
    expect(uuids(view)).toEqual(frozen);
    expect(view.state()).toMatchObject({ paused: true, newWhilePaused: 3, total: 2 });

    view.configure({ filter: { verdict: ['DROPPED'] }, paused: false });
    // the buffer holds the last three (FORWARDED, DROPPED, DROPPED): the view shows its two DROPPED
    expect(view.state()).toMatchObject({ paused: false, newWhilePaused: 0, total: 2 });
    expect(uuids(view)).toEqual([store.atSeq(4)?.uuid, store.atSeq(5)?.uuid]);
  });

  it('a new filter or namespace list rebuilds the view as a new generation', () => {
    const store = new FlowStore(10);
    store.pushMany([flow('DROPPED', 'backend'), flow('DROPPED', 'data'), flow('FORWARDED', 'data')]);
    const view = new FlowView(store);
    const g0 = view.state().generation;
    view.configure({ namespaces: ['data'] });
    expect(view.state()).toMatchObject({ total: 2, counts: { DROPPED: 1, FORWARDED: 1 } });
    expect(view.state().generation).toBeGreaterThan(g0);
    const g1 = view.state().generation;
    view.configure({ namespaces: ['data'] });
    expect(view.state().generation).toBe(g1);
    view.configure({ namespaces: ['data'], filter: { not: { verdict: ['DROPPED'] } } });
    expect(view.state()).toMatchObject({ total: 1, counts: { FORWARDED: 1 } });
    expect(view.isGeneration(g1)).toBe(false);
  });
});
