import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../quality/stats/random.ts';
import {
  type BandOptions,
  bandAt,
  bandSeries,
  learnBaseline,
  median,
  robustStats,
  type Sample,
} from './anomaly.ts';
import { makeSeries, runBenchmark, type SeriesShape, STEP_MS } from './synthetic.test-util.ts';

const DAY = 86_400_000;
const OPTIONS: BandOptions = { sensitivity: 3, direction: 'both', minBandWidth: 0, minRelativeWidth: 0.1 };

/** `days` of 5-minute samples of `f(timeMs)` plus seeded noise of relative size `noise`. */
function series(days: number, f: (timeMs: number) => number, noise = 0.05, seed = 1): Sample[] {
  const random = seededRandom(seed);
  const start = Date.UTC(2025, 2, 3);
  return Array.from({ length: (days * DAY) / STEP_MS }, (_, i) => {
    const timeMs = start + i * STEP_MS;
    return { timeMs, value: f(timeMs) * (1 + noise * (random() - 0.5) * 2) };
  });
}
const daily = (timeMs: number) => 100 * (1 + 0.6 * Math.sin((2 * Math.PI * (timeMs % DAY)) / DAY));

describe('robust statistics', () => {
  it.each([
    // Odd and even lengths; an outlier does not move the median.
    [[1, 2, 3], 2],
    [[4, 1, 3, 2], 2.5],
    [[5, 5, 5, 1000], 5],
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('estimates sigma with MAD, falling back to the mean deviation when MAD is 0', () => {
    expect(robustStats([9, 10, 11, 10, 10, 9, 11]).sigma).toBeCloseTo(1.4826, 4);
    // More than half the values equal: MAD is 0, yet the spread is not.
    expect(robustStats([0, 0, 0, 0, 0, 4]).sigma).toBeGreaterThan(0);
  });
});

describe('anomaly bands', () => {
  it('follows a daily cycle: no false alarms over a clean day after 3 days of history', () => {
    const samples = series(4, daily);
    const points = bandSeries(samples, samples.slice((3 * DAY) / STEP_MS), {
      ...OPTIONS,
      historyMs: 3 * DAY,
    });
    expect(points.filter((p) => p.anomalous)).toEqual([]);
    // The band moves with the cycle: its center at the peak is far above the center at the trough.
    const peak = points.find((p) => new Date(p.time).getUTCHours() === 6)!;
    const trough = points.find((p) => new Date(p.time).getUTCHours() === 18)!;
    expect(peak.lower!).toBeGreaterThan(trough.upper!);
  });

  it('flags a spike at once, on the spiking buckets only', () => {
    const samples = series(4, daily);
    const at = (3.5 * DAY) / STEP_MS;
    for (const i of [at, at + 1]) samples[i]!.value! *= 3;
    const points = bandSeries(samples, samples.slice((3 * DAY) / STEP_MS), {
      ...OPTIONS,
      historyMs: 3 * DAY,
    });
    const flagged = points.filter((p) => p.anomalous).map((p) => Date.parse(p.time));
    expect(flagged).toEqual([samples[at]!.timeMs, samples[at + 1]!.timeMs]);
  });

  it('flags a level shift when it starts, then adapts to it within about an hour', () => {
    const shiftAt = Date.UTC(2025, 2, 6, 12);
    const samples = series(4, (t) => daily(t) * (t >= shiftAt ? 1.8 : 1));
    const points = bandSeries(samples, samples.slice((3 * DAY) / STEP_MS), {
      ...OPTIONS,
      historyMs: 3 * DAY,
    });
    const flagged = points.filter((p) => p.anomalous).map((p) => Date.parse(p.time));
    expect(flagged[0]).toBe(shiftAt);
    expect(flagged.every((t) => t < shiftAt + 3600_000)).toBe(true);
  });

  it('uses weekly slots with two weeks of history, daily with two days, rolling before', () => {
    const week = series(15, daily);
    const now = week[week.length - 1]!.timeMs + STEP_MS;
    const method = (days: number) => {
      const history = week.filter((s) => s.timeMs >= now - days * DAY);
      return bandAt(learnBaseline(history), history.slice(-120), now, OPTIONS).method;
    };
    expect([method(14), method(3), method(1)]).toEqual(['weekly', 'daily', 'rolling']);
  });

  it('keeps a minimum band width on a flat series, so it does not flap', () => {
    const flat = series(3, () => 50, 0);
    const band = bandAt(
      learnBaseline(flat),
      flat.slice(-120),
      flat[flat.length - 1]!.timeMs + STEP_MS,
      OPTIONS,
    );
    expect(band.upper - band.center).toBeCloseTo(5, 6);
    const absolute = bandAt(learnBaseline(flat), flat, Date.UTC(2025, 2, 6), {
      ...OPTIONS,
      minBandWidth: 20,
    });
    expect(absolute.upper).toBe(70);
  });

  it('skips buckets without data and watches one side when asked', () => {
    const samples = series(3, () => 100, 0.02);
    for (let i = 0; i < samples.length; i += 3) samples[i]!.value = undefined;
    const baseline = learnBaseline(samples);
    const band = bandAt(baseline, samples.slice(-120), Date.UTC(2025, 2, 6), OPTIONS);
    expect(band.method).toBe('daily');
    expect(band.center).toBeCloseTo(100, 0);
    const [above] = bandSeries(samples, [{ timeMs: Date.UTC(2025, 2, 6), value: 10 }], {
      ...OPTIONS,
      direction: 'above',
      historyMs: 3 * DAY,
    });
    expect(above!.anomalous).toBe(false);
  });
});

describe('labelled synthetic benchmark', () => {
  const shapes: SeriesShape[] = ['traffic', 'latency', 'errorRate'];
  const all = shapes.flatMap((shape) =>
    [1, 2, 3, 4, 5, 6].map((i) => makeSeries(shape, i * 101 + shape.length)),
  );
  const configs = [
    { sensitivity: 3, forBuckets: 0 },
    { sensitivity: 3, forBuckets: 1 },
    { sensitivity: 4, forBuckets: 0 },
    { sensitivity: 4, forBuckets: 1 },
  ];
  const results = configs.map((c) => ({
    ...c,
    score: runBenchmark(all, { ...OPTIONS, ...c, historyMs: 14 * DAY }),
  }));

  it('meets minimum precision and recall, and writes the table to docs/anomaly-benchmark.md', () => {
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    const rows = results.map(
      ({ sensitivity, forBuckets, score: s }) =>
        `| ${sensitivity} | ${forBuckets * 5} min | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.recallByKind.spike)} / ${pct(s.recallByKind.dip)} / ${pct(s.recallByKind.shift)} | ${s.falsePositivesPerDay.toFixed(3)} | ${s.meanDelayMin.toFixed(1)} min | ${s.episodes} |`,
    );
    const table = [
      `Synthetic benchmark: ${all.length} series (${shapes.join(', ')}; 5-minute buckets, 14 days of history then 7 days scored), ${results[0]!.score.events} labelled events. Generated by \`packages/server/src/alerts/anomaly.test.ts\`.`,
      '',
      '| k | for | precision | recall | recall spike / dip / shift | false positives per series-day | mean detection delay | alert episodes |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
    writeFileSync(
      path.join(import.meta.dirname, '../../../../docs/anomaly-benchmark.md'),
      `# Anomaly detection benchmark\n\n${table}`,
    );
    const byKey = (k: number, f: number) =>
      results.find((r) => r.sensitivity === k && r.forBuckets === f)!.score;
    // The documented default (k = 3, for = one bucket).
    expect(byKey(3, 1).precision).toBeGreaterThanOrEqual(0.7);
    expect(byKey(3, 1).recall).toBeGreaterThanOrEqual(0.95);
    expect(byKey(3, 1).falsePositivesPerDay).toBeLessThan(0.3);
    expect(byKey(4, 1).precision).toBeGreaterThanOrEqual(0.9);
    expect(byKey(4, 1).recall).toBeGreaterThanOrEqual(0.9);
    // Every spike and dip is caught at any setting.
    for (const { score } of results) expect(score.recallByKind.spike).toBe(1);
  });
});
