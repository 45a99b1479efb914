import { describe, expect, it } from 'vitest';
import { ruleChartGeometry } from './band-geometry.ts';

const box = { width: 110, height: 110, left: 10, right: 0, top: 0, bottom: 10 };

describe('rule chart geometry', () => {
  it('maps times and values into the plot box, with the threshold line', () => {
    const g = ruleChartGeometry(
      [
        { timeMs: 0, value: 0 },
        { timeMs: 50, value: 50 },
        { timeMs: 100, value: 100 },
      ],
      { fromMs: 0, toMs: 100, box, threshold: 50 },
    );
    expect(g.x(0)).toBe(10);
    expect(g.x(100)).toBe(110);
    expect(g.y(0)).toBe(100);
    expect(g.ticks[0]).toEqual({ value: 0, y: 100 });
    expect(g.ticks.at(-1)!.value).toBeGreaterThanOrEqual(100);
    expect(g.line.startsWith('M10,100L60,')).toBe(true);
    expect(g.thresholdY).toBe(g.y(50));
    expect(g.band).toBe('');
  });

  it('breaks the line at missing values and the band into runs, and marks anomalies', () => {
    const g = ruleChartGeometry(
      [
        { timeMs: 0, value: 10, lower: 5, upper: 15 },
        { timeMs: 25, value: 12, lower: 5, upper: 15 },
        { timeMs: 50 },
        { timeMs: 75, value: 40, lower: 5, upper: 15, anomalous: true },
        { timeMs: 100, value: 11, lower: 6, upper: 16 },
      ],
      { fromMs: 0, toMs: 100, box },
    );
    expect(g.line.match(/M/g)).toHaveLength(2);
    expect(g.band.match(/M/g)).toHaveLength(2);
    expect(g.band.match(/Z/g)).toHaveLength(2);
    // First run: upper left→right, then lower right→left.
    expect(g.band.split('Z')[0]).toBe(
      `M${g.x(0)},${g.y(15)}L${g.x(25)},${g.y(15)}L${g.x(25)},${g.y(5)}L${g.x(0)},${g.y(5)}`,
    );
    expect(g.anomalies).toEqual([{ x: g.x(75), y: g.y(40), timeMs: 75, value: 40 }]);
    expect(g.thresholdY).toBeUndefined();
  });

  it('has a sane axis with no data', () => {
    const g = ruleChartGeometry([], { fromMs: 0, toMs: 100, box });
    expect(g.line).toBe('');
    expect(g.ticks[0]?.value).toBe(0);
    expect(g.ticks.at(-1)?.value).toBe(1);
  });
});
