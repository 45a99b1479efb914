import { describe, expect, it } from 'vitest';
import type { SeriesResult } from '../api-types.ts';
import { firstDataMs, narrowToData, probeStep } from './data-window.ts';

const NOW = Date.parse('2026-12-06T18:00:00Z');
const DAY = { fromMs: NOW - 86_400_000, toMs: NOW };

function probe(points: [minutesAgo: number, requests: number][]): SeriesResult {
  return {
    step: 60,
    from: new Date(DAY.fromMs).toISOString(),
    to: new Date(DAY.toMs).toISOString(),
    groupBy: null,
    source: 'rollup',
    series: [
      {
        group: {},
        points: points.map(([ago, requests]) => ({
          time: new Date(NOW - ago * 60_000).toISOString(),
          requests,
        })),
      },
    ],
    totals: {},
  } as unknown as SeriesResult;
}

describe('narrowToData', () => {
  it('narrows a day with 30 minutes of fresh data to those minutes and a margin', () => {
    const window = narrowToData(
      DAY,
      probe([
        [30, 4],
        [10, 9],
        [1, 2],
      ]),
    );
    expect(window.toMs).toBe(NOW);
    // 30 minutes of data, 15 % margin before the first bucket: 34.5 minutes.
    expect(window.fromMs).toBe(NOW - 34.5 * 60_000);
  });

  it('keeps a window of at least 5 minutes for a burst that just arrived', () => {
    expect(narrowToData(DAY, probe([[1, 3]])).fromMs).toBe(NOW - 5 * 60_000);
  });

  it('keeps the whole window when data spreads over more than a quarter of it', () => {
    expect(
      narrowToData(
        DAY,
        probe([
          [10 * 60, 1],
          [5, 1],
        ]),
      ),
    ).toEqual(DAY);
  });

  it('keeps the whole window without data or a probe (buckets of zero do not count)', () => {
    expect(narrowToData(DAY, probe([[30, 0]]))).toEqual(DAY);
    expect(narrowToData(DAY, undefined)).toEqual(DAY);
  });
});

describe('probe', () => {
  it('reads per-minute buckets over a day and coarser ones over a week', () => {
    expect(probeStep(DAY)).toBe(60);
    expect(probeStep({ fromMs: 0, toMs: 7 * 86_400_000 })).toBe(600);
  });

  it('finds the first bucket with requests in any group', () => {
    const result = probe([
      [20, 0],
      [15, 2],
    ]);
    expect(firstDataMs(result)).toBe(NOW - 15 * 60_000);
  });
});
