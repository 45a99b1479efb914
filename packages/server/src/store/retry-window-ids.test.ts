/**
 * The retry filter reads ids digit by digit (issue 20): every text must give the word that
 * `parseInt(slice, 16)` gave before (ids are lowercase hex; anything else keeps parseInt's reading).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexWord } from './retry-window.ts';

/** The word as it was computed before (commit ef33e1e). */
function reference(text: string, from: number): number {
  const word = Number.parseInt(text.slice(from, from + 8), 16);
  return Number.isNaN(word) ? 0 : word >>> 0;
}

describe('hexWord', () => {
  it('reads every text as parseInt did', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 0, maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxg+- '), maxLength: 40 }),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, fc.nat(40), (value, from) => {
        expect(hexWord(value, from)).toBe(reference(value, from));
      }),
      { numRuns: 5000 },
    );
  });
});
