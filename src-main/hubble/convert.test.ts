import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { joinTimestamp, splitTimestamp } from '@shared/flows/time';
import { stringToTs, tsToString } from './convert';

describe('tsToString', () => {
  it('prints every Timestamp exactly as joinTimestamp does, in any order of seconds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            seconds: fc.integer({ min: 0, max: 4_102_444_800 }),
            nanos: fc.oneof(
              fc.integer({ min: 0, max: 999_999_999 }),
              fc.integer({ min: 0, max: 999 }).map((ms) => ms * 1_000_000),
              fc.integer({ min: 0, max: 999_999 }).map((us) => us * 1000),
              fc.constant(0),
            ),
            asString: fc.boolean(),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (list) => {
          for (const { seconds, nanos, asString } of list) {
            const got = tsToString({ seconds: asString ? String(seconds) : seconds, nanos });
            expect(got).toBe(joinTimestamp(seconds, nanos));
            expect(splitTimestamp(got!)).toEqual([seconds, nanos]);
          }
        },
      ),
    );
  });

  it('round-trips RFC 3339 strings and treats a missing Timestamp as no time', () => {
    for (const t of ['2026-11-30T10:00:00Z', '2026-11-30T10:00:00.5Z', '2026-11-30T10:00:00.000000001Z'])
      expect(tsToString(stringToTs(t))).toBe(joinTimestamp(...splitTimestamp(t)));
    expect(tsToString(undefined)).toBeUndefined();
    expect(tsToString({})).toBe('1970-01-01T00:00:00Z');
  });
});
