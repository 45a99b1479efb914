import { describe, expect, it } from 'vitest';
import { ruleChartData } from './rule-chart-data.ts';

describe('ruleChartData', () => {
  it('draws a threshold rule as the metric and a dashed constant line, sorted by time', () => {
    const data = ruleChartData(
      [{ timeMs: 120_000, value: 5 }, { timeMs: 60_000, value: 2 }, { timeMs: 180_000 }],
      { metric: 'errorRate', threshold: 4, stepMs: 60_000 },
    );
    expect(data.times).toEqual([60_000, 120_000, 180_000]);
    expect(data.series.map((s) => [s.name, s.style])).toEqual([
      ['errorRate', undefined],
      ['threshold', 'dash'],
    ]);
    // A bucket without a value is a gap, not zero.
    expect(data.series[0]!.values).toEqual([2, 5, undefined]);
    expect(data.series[1]!.values).toEqual([4, 4, 4]);
    expect(data.band).toBeUndefined();
  });

  it('draws an anomaly rule as the band (only where both edges exist) and markers on anomalies', () => {
    const data = ruleChartData(
      [
        { timeMs: 0, value: 1, lower: 0.5, upper: 1.5 },
        { timeMs: 60_000, value: 9, lower: 0.5, upper: 1.5, anomalous: true },
        { timeMs: 120_000, value: 1, lower: 0.5 },
      ],
      { metric: 'latencyP95', stepMs: 60_000 },
    );
    expect(data.band?.upper).toEqual([1.5, 1.5, undefined]);
    expect(data.band?.lower).toEqual([0.5, 0.5, undefined]);
    const anomalies = data.series.find((s) => s.name === 'anomalous');
    expect(anomalies?.style).toBe('points');
    expect(anomalies?.values).toEqual([undefined, 9, undefined]);
  });

  it('keeps the step it was given when there is one point', () => {
    expect(ruleChartData([{ timeMs: 5, value: 1 }], { metric: 'requests', stepMs: 300_000 }).stepMs).toBe(
      300_000,
    );
  });
});
