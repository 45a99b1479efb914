/**
 * Property-based: whatever a client puts where logprobs go — any JSON value, JSON text, broken
 * text, hostile shapes around the real keys — the parser never throws: it answers tokens whose
 * logprobs are finite and ≤ 0, or a clear error; and the figures of what it reads are finite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractConfidence } from './extract.ts';
import { parseLogprobs } from './parse.ts';
import { confidenceOf } from './stats.ts';

const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, -1e308, 5e-324),
);
const anyValue = fc.oneof(
  fc.jsonValue(),
  hostileNumber,
  fc.string(),
  fc.constant(undefined),
  fc.constant(Object.create(null)),
);
const entry = fc.record(
  {
    token: anyValue,
    logprob: fc.oneof(hostileNumber, anyValue),
    top_logprobs: fc.oneof(anyValue, fc.array(fc.record({ token: anyValue, logprob: hostileNumber }))),
  },
  { requiredKeys: [] },
);
const payload = fc.oneof(
  anyValue,
  fc.array(entry),
  fc.record({ content: fc.oneof(fc.array(entry), anyValue) }),
  fc.record({
    tokens: fc.oneof(fc.array(anyValue), anyValue),
    token_logprobs: fc.array(fc.oneof(hostileNumber, anyValue)),
    top_logprobs: fc.oneof(fc.array(fc.dictionary(fc.string(), fc.oneof(hostileNumber, anyValue))), anyValue),
  }),
  fc.array(hostileNumber),
);

describe('parseLogprobs (property)', () => {
  it('never throws; tokens are finite and ≤ 0, errors are clear', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          payload,
          payload.map((p) => JSON.stringify(p) ?? ''),
        ),
        (input) => {
          const parsed = parseLogprobs(input);
          if (!parsed.ok) {
            expect(parsed.error).toMatch(/^Cannot read logprobs: the payload \S/);
            return;
          }
          expect(parsed.tokens.length).toBeGreaterThan(0);
          for (const t of parsed.tokens) {
            expect(typeof t.token).toBe('string');
            expect(Number.isFinite(t.logprob) && t.logprob <= 0).toBe(true);
            for (const a of t.top) expect(Number.isFinite(a.logprob) && a.logprob <= 0).toBe(true);
          }
          const c = confidenceOf(parsed.tokens);
          expect(c.perplexity).toBeGreaterThanOrEqual(1);
          for (const v of [c.logprobMean, c.logprobMin, c.lowProbShare, c.topEntropyMean])
            if (v !== undefined) expect(Number.isNaN(v)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('broken JSON text of a valid payload is an error, never a throw', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1 }), fc.nat(), (entries, cut) => {
        const text = JSON.stringify(entries);
        const broken = text.slice(0, cut % text.length);
        expect(() => parseLogprobs(broken)).not.toThrow();
      }),
    );
  });

  it('exp(−mean) of valid logprobs is the perplexity, whatever events carry them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -30, max: 0, noNaN: true }), { minLength: 1, maxLength: 50 }),
        anyValue,
        (logprobs, junk) => {
          const content = logprobs.map((logprob) => ({ token: 'x', logprob }));
          const found = extractConfidence({
            events: [
              { name: 'exception', attributes: { 'logprobs.content': junk } },
              { name: 'gen_ai.choice.logprobs', attributes: { 'logprobs.content': JSON.stringify(content) } },
            ],
          });
          let sum = 0;
          for (const l of logprobs) sum += l;
          expect(found.confidence?.perplexity).toBe(Math.exp(-(sum / logprobs.length)));
        },
      ),
    );
  });
});
