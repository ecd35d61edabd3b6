import { describe, expect, it } from 'vitest';
import { FlowStore } from './flow-store';

describe('FlowStore ring buffer', () => {
  it('keeps the newest flows and counts evictions', () => {
    const s = new FlowStore(3);
    for (let i = 0; i < 7; i++) s.push({ uuid: String(i) });
    expect(s.size).toBe(3);
    expect(s.evicted).toBe(4);
    expect(s.received).toBe(7);
    expect(s.toArray().map((f) => f.uuid)).toEqual(['4', '5', '6']);
    expect(s.at(0)?.uuid).toBe('4');
    expect(s.last()?.uuid).toBe('6');
    expect(s.at(3)).toBeUndefined();
  });
  it('does not evict below capacity and rejects a bad size', () => {
    const s = new FlowStore(10);
    s.pushMany([{ uuid: 'a' }, { uuid: 'b' }]);
    expect([s.size, s.evicted]).toEqual([2, 0]);
    s.clear();
    expect(s.size).toBe(0);
    expect(() => new FlowStore(0)).toThrow(/positive integer/);
  });
});
