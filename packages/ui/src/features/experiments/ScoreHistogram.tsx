/**
 * The distribution of one evaluator's scores over an experiment's item runs: uPlot bars, one
 * per bin, with the theme's colors (redrawn when the theme changes) and the counts as text for
 * screen readers and tests.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fitWidth, readTheme, useThemeName } from '../../components/TimeChart.tsx';
import { seriesColor } from '../../lib/chart-options.ts';
import { formatScore, histogramOf } from './experiment-stats.ts';

/** Props of {@link ScoreHistogram}. */
export interface ScoreHistogramProps {
  name: string;
  values: readonly number[];
  /** Palette index of the bars. */
  color?: number;
  height?: number;
}

/** The histogram. */
export function ScoreHistogram({ name, values, color = 0, height = 140 }: ScoreHistogramProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const theme = useThemeName();
  const { edges, counts } = histogramOf(values);
  const key = JSON.stringify(counts) + edges.at(-1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the bins; `theme` redraws
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const t = readTheme(host);
    const width = (edges[1] ?? 1) - (edges[0] ?? 0);
    const centers = counts.map((_, i) => (edges[i] ?? 0) + width / 2);
    const fill = t.color(seriesColor(color));
    const bars = uPlot.paths.bars?.({ size: [0.9, Number.POSITIVE_INFINITY], align: 0 });
    const plot = new uPlot(
      {
        width: Math.max(160, host.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [edges[0] ?? 0, edges.at(-1) ?? 1] },
          y: { range: (_u, _lo, hi) => [0, Math.max(1, hi)] },
        },
        axes: [
          {
            stroke: t.axis,
            grid: { show: false },
            ticks: { stroke: t.grid },
            values: (_u, ticks) => ticks.map((v) => formatScore(v)),
          },
          { stroke: t.axis, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid }, size: 36 },
        ],
        series: [
          {},
          { label: name, fill: `${fill}`, stroke: fill, width: 0, paths: bars, points: { show: false } },
        ],
      },
      [centers, counts],
      host,
    );
    const stopFitting = fitWidth(plot, host, height);
    return () => {
      stopFitting();
      plot.destroy();
    };
  }, [key, theme, height, color, name]);
  const text = counts
    .map((c, i) => `${formatScore(edges[i])}–${formatScore(edges[i + 1])}: ${c}`)
    .filter((_, i) => (counts[i] ?? 0) > 0)
    .join(', ');
  return (
    <div className="chart" data-histogram={name}>
      <div ref={hostRef} role="img" aria-label={`Distribution of ${name}: ${text || 'no scores'}`} />
    </div>
  );
}
