import { describe, expect, it } from 'vitest';
import { formatSeconds } from './format.ts';

describe('formatSeconds', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    // Rate-limit waits arrive as whole seconds; fractions round up (never "0 s" while waiting).
    [0.2, '1 s'],
    [180, '3 min'],
    [179, '2 min 59 s'],
    [3600, '1 h'],
    [43_200, '12 h'],
    [5400, '1 h 30 min'],
    [86_400, '1 day'],
    [7 * 86_400, '7 days'],
    [90_000, '1 day 1 h'],
  ])('%s s reads %s', (seconds, expected) => {
    expect(formatSeconds(seconds)).toBe(expected);
  });
});
