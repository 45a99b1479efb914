import { describe, expect, it } from 'vitest';
import { makeSpan } from '../query/test-helpers.ts';
import { renderExposition } from './exposition.ts';
import { MetricsRegistry } from './registry.ts';
import { observerOf } from './test-helpers.ts';

describe('argus_gen_ai_perplexity', () => {
  it('observes the perplexity of GenAI spans that carried logprobs, and only those', () => {
    const registry = new MetricsRegistry();
    observerOf(registry)([
      makeSpan({ perplexity: 1.2 }),
      makeSpan({ perplexity: 4 }),
      makeSpan({}),
      makeSpan({ kind: 'tool', perplexity: 9 }),
    ]);
    const lines = renderExposition(registry.families(), 'prometheus')
      .split('\n')
      .filter((l) => l.startsWith('argus_gen_ai_perplexity'));
    const value = (suffix: string) =>
      Number(
        lines
          .find((l) => l.includes(suffix))
          ?.split(' ')
          .at(-1),
      );
    expect(value('_count{')).toBe(2);
    expect(value('_sum{')).toBeCloseTo(5.2, 12);
    expect(value('le="1.25"}')).toBe(1);
    expect(value('le="5"}')).toBe(2);
  });
});
