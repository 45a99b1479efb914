/**
 * The redactor's key-prefix pre-check (issue 20): `hasKeyHint` skips the long alternation for
 * texts without `-` or `_` and must answer exactly as that alternation does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasKeyHint } from './redactor.ts';

/** The pre-check as it was written before (commit ef33e1e). */
const REFERENCE =
  /sk-|[sr]k_(?:live|test)_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|AIza|eyJ|earer|-----BEGIN/;

const FRAGMENTS = [
  'sk-',
  'sk_live_',
  'rk_test_',
  'AKIA',
  'ASIA',
  'ghp_',
  'github_pat_',
  'xoxb-',
  'AIza',
  'eyJ',
  'Bearer',
  '-----BEGIN',
  '-',
  '_',
  's',
  'k',
  'A',
  'e',
  ' ',
  'the answer ',
];

describe('hasKeyHint', () => {
  it('answers as the full alternation does, for any text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(hasKeyHint(value)).toBe(REFERENCE.test(value));
      }),
      { numRuns: 5000 },
    );
  });
});
