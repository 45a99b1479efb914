import { describe, expect, it } from 'vitest';
import { cosine } from './vectors.ts';

describe('cosine', () => {
  it.each([
    // Same direction, different length: similarity ignores magnitude.
    { a: [1, 2, 3], b: [2, 4, 6], expected: 1 },
    // Opposite directions.
    { a: [1, 0], b: [-1, 0], expected: -1 },
    // Orthogonal.
    { a: [1, 0], b: [0, 1], expected: 0 },
    // An all-zero vector has no direction: 0 rather than NaN.
    { a: [0, 0], b: [1, 1], expected: 0 },
    // Unequal lengths compare the common prefix.
    { a: [1, 0, 5], b: [1, 0], expected: 1 },
  ])('cosine($a, $b) is $expected', ({ a, b, expected }) => {
    expect(cosine(a, b)).toBeCloseTo(expected, 12);
  });
});
