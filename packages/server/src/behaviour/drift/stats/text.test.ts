import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../quality/stats/random.ts';
import { rocAuc } from './auc.ts';
import { textDrift } from './text.ts';

const COOKING = ['recipe', 'bake', 'oven', 'flour', 'sauce', 'garlic', 'simmer', 'pasta', 'dough', 'butter'];
const TRAVEL = [
  'flight',
  'hotel',
  'passport',
  'airport',
  'visa',
  'luggage',
  'beach',
  'train',
  'museum',
  'booking',
];
const COMMON = ['how', 'do', 'i', 'best', 'way', 'quick', 'question', 'about', 'need', 'help'];

function texts(topic: readonly string[], n: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: n }, () =>
    [pick(COMMON), pick(COMMON), pick(topic), pick(COMMON), pick(topic), pick(topic)].join(' '),
  );
}

describe('text drift', () => {
  // scikit-learn's roc_auc_score documentation example.
  it('ROC AUC by ranks', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(rocAuc([1, 1, 1], [false, true, true])).toBe(0.5);
  });

  it('flags a topic shift and names words of both topics', () => {
    const result = textDrift(texts(COOKING, 150, 1), texts(TRAVEL, 150, 2));
    expect(result.drifted).toBe(true);
    expect(result.statistic).toBeGreaterThan(0.9);
    expect(result.words.reference.map((w) => w.word)).toEqual(expect.arrayContaining(['oven', 'flour']));
    expect(result.words.current.map((w) => w.word)).toEqual(expect.arrayContaining(['flight', 'hotel']));
    expect(result.typical.current).toHaveLength(5);
  });

  it('does not flag two samples of one topic mix', () => {
    const mix = (seed: number) => [...texts(COOKING, 75, seed), ...texts(TRAVEL, 75, seed + 1)];
    const result = textDrift(mix(10), mix(20));
    expect(result.drifted).toBe(false);
    expect(result.statistic).toBeLessThan(result.threshold);
  });
});
