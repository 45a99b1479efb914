import { describe, expect, it } from 'vitest';
import type { SeriesResult } from '../api-types.ts';
import { bucketTimes, groupTotals, toChartData } from './series.ts';
import { pickStep, previousWindow, relativeChange, resolveWindow } from './time-range.ts';

const T0 = Date.parse('2026-11-14T10:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const grouped: SeriesResult = {
  step: 60,
  from: iso(0),
  to: iso(3),
  groupBy: 'model',
  source: 'rollup',
  series: [
    { group: { model: 'small' }, points: [{ time: iso(0), requests: 1, costUsd: 0.1, latencyP95: 100 }] },
    {
      group: { model: 'big' },
      points: [
        { time: iso(1), requests: 3, errors: 1, costUsd: 1, latencyP95: 200 },
        { time: iso(2), requests: 1, costUsd: 0.5, latencyP95: 600 },
      ],
    },
    { group: { model: '' }, points: [] },
  ],
  totals: {},
};

describe('series shaping', () => {
  it('lays buckets over the whole window', () => {
    expect(bucketTimes(grouped)).toEqual([T0, T0 + 60_000, T0 + 120_000]);
  });

  it('fills missing buckets with 0 for counts and leaves latency gaps', () => {
    const requests = toChartData(grouped, ['requests']);
    expect(requests.series.map((s) => s.name)).toEqual(['big', 'small', '(none)']);
    expect(requests.series[0]!.values).toEqual([0, 3, 1]);
    const latency = toChartData({ ...grouped, groupBy: null, series: [grouped.series[1]!] }, [
      'latencyP95',
      'requests',
    ]);
    expect(latency.series[0]!.values).toEqual([undefined, 200, 600]);
    expect(latency.series[1]!.values).toEqual([0, 3, 1]);
  });

  it('sums groups for breakdowns, busiest first, weighting p95 by requests', () => {
    const [big, small] = groupTotals(grouped);
    expect(big).toMatchObject({ label: 'big', requests: 4, errors: 1, costUsd: 1.5, latencyP95: 300 });
    expect(small).toMatchObject({ label: 'small', requests: 1 });
    expect(groupTotals(grouped, 'costUsd')[0]!.label).toBe('big');
  });
});

describe('time windows', () => {
  it('resolves presets against now and keeps custom ranges', () => {
    expect(resolveWindow({ range: '1h' }, T0)).toEqual({ fromMs: T0 - 3600_000, toMs: T0 });
    expect(resolveWindow({}, T0)).toEqual({ fromMs: T0 - 86_400_000, toMs: T0 });
    expect(resolveWindow({ from: iso(0), to: iso(5) }, 0)).toEqual({ fromMs: T0, toMs: T0 + 300_000 });
  });
  it('gives the previous window of equal length', () => {
    expect(previousWindow({ fromMs: 100, toMs: 160 })).toEqual({ fromMs: 40, toMs: 100 });
  });
  it('keeps charts between 60 and 120 points where it can', () => {
    // Under an hour a whole minute gives too few points: sub-minute steps (raw spans) take over.
    expect(pickStep({ fromMs: 0, toMs: 15 * 60_000 })).toBe(10);
    expect(pickStep({ fromMs: 0, toMs: 5 * 60_000 })).toBe(5);
    expect(pickStep({ fromMs: 0, toMs: 3600_000 })).toBe(60);
    expect(pickStep({ fromMs: 0, toMs: 86_400_000 })).toBe(900);
    expect(pickStep({ fromMs: 0, toMs: 7 * 86_400_000 })).toBe(3 * 3600);
  });
  it('computes relative change only against a non-zero base', () => {
    expect(relativeChange(150, 100)).toBe(0.5);
    expect(relativeChange(5, 0)).toBeUndefined();
  });
});
