import { describe, expect, it } from 'vitest';
import { questions, TOPICS } from '../../../../test/support/drift-traffic.ts';
import { rocAuc } from './auc.ts';
import { textDrift } from './text.ts';

describe('text drift', () => {
  // scikit-learn's roc_auc_score documentation example.
  it('ROC AUC by ranks', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(rocAuc([1, 1, 1], [false, true, true])).toBe(0.5);
  });

  it('flags a topic shift and names words of both topics', () => {
    const result = textDrift(questions('cooking', 150, 1), questions('travel', 150, 2));
    expect(result.drifted).toBe(true);
    expect(result.statistic).toBeGreaterThan(0.9);
    expect(result.words.reference.some((w) => (TOPICS.cooking as readonly string[]).includes(w.word))).toBe(
      true,
    );
    expect(result.words.current.some((w) => (TOPICS.travel as readonly string[]).includes(w.word))).toBe(
      true,
    );
    expect(result.words.current.some((w) => (TOPICS.cooking as readonly string[]).includes(w.word))).toBe(
      false,
    );
    expect(result.typical.current).toHaveLength(5);
  });

  it('does not flag two samples of one topic mix', () => {
    const mix = (seed: number) => questions(['cooking', 'travel'], 150, seed);
    const result = textDrift(mix(10), mix(20));
    expect(result.drifted).toBe(false);
    expect(result.statistic).toBeLessThan(result.threshold);
  });
});
