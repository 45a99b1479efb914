import { describe, expect, it } from 'vitest';
import { formatCost, formatCostExact, formatSeconds } from './format.ts';

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

describe('formatCost', () => {
  it.each([
    [0, '$0'],
    // A single small call: the figure the issue saw as `<$0.0001`.
    [0.0000346, '$0.000035'],
    [0.0029, '$0.0029'],
    [0.01234, '$0.012'],
    [0.5, '$0.50'],
    [1.5, '$1.50'],
    [12.345, '$12.35'],
    [2500, '$2.5K'],
    [-0.004, '−$0.004'],
    // Far below a cent (cached embeddings) still shows a figure, not zero.
    [3e-9, '$0.000000003'],
  ])('%s reads %s', (usd, expected) => {
    expect(formatCost(usd)).toBe(expected);
  });

  it.each([
    [0.0000346, '$0.0000346'],
    [0.00012345678, '$0.000123457'],
    [1.23456789, '$1.23457'],
    [2, '$2.00'],
  ])('exactly, %s reads %s', (usd, expected) => {
    expect(formatCostExact(usd)).toBe(expected);
  });
});
