import { describe, expect, it } from 'vitest';
import { formatSelector, matchesSelector } from './selector';

describe('label selectors (metav1.LabelSelector)', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    ['empty selector matches everything', {}, true],
    ['matchLabels equal', { matchLabels: { app: 'web' } }, true],
    ['matchLabels value differs', { matchLabels: { app: 'api' } }, false],
    ['matchLabels key missing', { matchLabels: { env: 'prod' } }, false],
    [
      'In with value',
      { matchExpressions: [{ key: 'app', operator: 'In' as const, values: ['web', 'x'] }] },
      true,
    ],
    [
      'In with absent key',
      { matchExpressions: [{ key: 'env', operator: 'In' as const, values: ['a'] }] },
      false,
    ],
    [
      'NotIn with absent key matches',
      { matchExpressions: [{ key: 'env', operator: 'NotIn' as const, values: ['a'] }] },
      true,
    ],
    [
      'NotIn with listed value',
      { matchExpressions: [{ key: 'app', operator: 'NotIn' as const, values: ['web'] }] },
      false,
    ],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' as const }] }, true],
    [
      'DoesNotExist on present key',
      { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' as const }] },
      false,
    ],
    [
      'labels and expressions are ANDed',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['back'] }],
      },
      false,
    ],
  ])('%s', (_name, selector, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected);
  });

  it('formats like kubectl', () => {
    expect(
      formatSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a', 'b'] }],
      }),
    ).toBe('app=web,env notin (a,b)');
    expect(formatSelector({})).toBe('<all>');
  });
});
