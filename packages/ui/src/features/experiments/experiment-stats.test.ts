import type { ExperimentItemResult } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import {
  changeOf,
  countChanges,
  formatDelta,
  formatInterval,
  formatPValue,
  histogramOf,
  pairRuns,
} from './experiment-stats.ts';

const run = (itemId: string, scores: Record<string, number>, repetition = 0): ExperimentItemResult => ({
  itemId,
  repetition,
  output: '',
  scores,
  costUsd: 0,
});

describe('histogramOf', () => {
  it('bins 0–1 scores into ten bins, the top value in the last bin', () => {
    const h = histogramOf([0, 0.05, 0.5, 1, 1]);
    expect(h.edges).toHaveLength(11);
    expect(h.counts[0]).toBe(2);
    expect(h.counts[5]).toBe(1);
    expect(h.counts[9]).toBe(2);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('widens the scale to a judge scale above 1', () => {
    const h = histogramOf([1, 5], 5);
    expect(h.edges[0]).toBe(0);
    expect(h.edges.at(-1)).toBe(5);
    expect(h.counts).toEqual([0, 1, 0, 0, 1]);
  });

  it('ignores values that are not finite', () => {
    expect(histogramOf([Number.NaN, 0.3]).counts.reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('pairRuns', () => {
  it('pairs by item and repetition and classifies each pair', () => {
    const pairs = pairRuns(
      [run('a', { em: 1 }), run('b', { em: 0 }), run('c', { em: 1 }), run('d', { em: 1, j: 0 })],
      [
        run('a', { em: 0 }),
        run('b', { em: 1 }),
        run('c', { em: 1 }),
        run('d', { em: 0, j: 1 }),
        run('e', { em: 1 }),
      ],
    );
    expect(pairs.map((p) => [p.itemId, p.change])).toEqual([
      ['a', 'regressed'],
      ['b', 'improved'],
      ['c', 'unchanged'],
      ['d', 'mixed'],
      ['e', 'unpaired'],
    ]);
    expect(pairs[0]?.deltas).toEqual({ em: -1 });
    expect(countChanges(pairs)).toEqual({ improved: 1, regressed: 1, unchanged: 1, mixed: 1, unpaired: 1 });
  });

  it('keeps repetitions apart', () => {
    const pairs = pairRuns([run('a', { em: 1 }, 0), run('a', { em: 1 }, 1)], [run('a', { em: 1 }, 1)]);
    expect(pairs.map((p) => [p.repetition, p.change])).toEqual([
      [0, 'unpaired'],
      [1, 'unchanged'],
    ]);
  });

  // A pair with no evaluator scored on both sides (an errored run) changed nothing measurable.
  it('calls a pair without common scores unchanged', () => {
    expect(changeOf({}, true)).toBe('unchanged');
  });
});

describe('formats', () => {
  it.each([
    [0.0004, 'p < 0.001'],
    [0.0342, 'p = 0.034'],
    [1, 'p = 1'],
  ])('p-value %s → %s', (p, text) => expect(formatPValue(p)).toBe(text));

  it('signs differences with a true minus and brackets intervals', () => {
    expect(formatDelta(-0.4)).toBe('−0.4');
    expect(formatDelta(0.125)).toBe('+0.125');
    expect(formatDelta(0)).toBe('0');
    expect(formatInterval([-0.55, -0.25])).toBe('[-0.55, -0.25]');
  });
});
