import { describe, expect, it } from 'vitest';
import { chartColumns, chartOptions, isSparse, withAlpha } from './chart-options.ts';
import type { ChartData } from './series.ts';

const theme = {
  color: (css: string) => (css.startsWith('var(') ? '#8b7cf6' : css),
  axis: '#555',
  grid: '#222',
};

describe('chart options', () => {
  it('shows the points of sparse lines (a lone value would draw nothing)', () => {
    expect(isSparse([undefined, 3, undefined, undefined])).toBe(true);
    expect(isSparse([1, 2, 3, undefined])).toBe(false);
    expect(isSparse([undefined, undefined])).toBe(false);
  });

  it('lays out times, series, then the band edges, with gaps as null', () => {
    const data: ChartData = {
      times: [0, 60_000],
      stepMs: 60_000,
      series: [{ name: 'p95', values: [5, undefined] }],
      band: { name: 'expected band', lower: [1, 1], upper: [9, undefined] },
    };
    expect(chartColumns(data)).toEqual([
      [0, 60_000],
      [5, null],
      [9, null],
      [1, 1],
    ]);
    const options = chartOptions(data, theme, String);
    // x, the line, upper and lower edges; the band fills between the last two.
    expect(options.series).toHaveLength(4);
    expect(options.bands).toEqual([{ series: [2, 3], fill: 'rgba(139, 124, 246, 0.18)' }]);
    expect(options.ms).toBe(1);
  });

  it('draws marker-only and dashed series without a path or with a dash', () => {
    const data: ChartData = {
      times: [0],
      stepMs: 60_000,
      series: [
        { name: 'anomalous', values: [4], style: 'points' },
        { name: 'threshold', values: [2], style: 'dash' },
      ],
    };
    const [, points, dash] = chartOptions(data, theme, String).series;
    expect(points?.paths?.({} as never, 1, 0, 0)).toBeNull();
    expect(dash?.dash).toEqual([5, 4]);
  });

  it('adds an alpha channel to hex and rgb colors', () => {
    expect(withAlpha('#ff0000', 0.5)).toBe('rgba(255, 0, 0, 0.5)');
    expect(withAlpha('rgb(1, 2, 3)', 0.2)).toBe('rgba(1, 2, 3, 0.2)');
  });
});
