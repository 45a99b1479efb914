/**
 * uPlot options and columns for a {@link ChartData}: time on x (milliseconds), y from zero,
 * lines joined across empty buckets with their points shown when data is sparse, an optional
 * shaded band, dashed thresholds and marker-only series (anomalies).
 */
import type uPlot from 'uplot';
import type { ChartData, ChartSeries } from './series.ts';

/** Colors read from the theme's CSS variables (canvas cannot use `var(--x)`). */
export interface ChartTheme {
  /** Resolves a CSS color or `var(--name)` to a color the canvas accepts. */
  color: (css: string) => string;
  axis: string;
  grid: string;
}

const PALETTE = ['--c1', '--c2', '--c3', '--c5', '--c6', '--c7', '--c4', '--c8'];

/** The CSS color of the n-th line. */
export function seriesColor(n: number): string {
  return `var(${PALETTE[n % PALETTE.length]!})`;
}

/** Fraction of buckets with a value under which a line also shows its points. */
const SPARSE_RATIO = 0.5;

const toColumn = (values: readonly (number | undefined)[]) => values.map((v) => (v === undefined ? null : v));

/** True when a line has so few values that its points should show (a lone value has no line). */
export function isSparse(values: readonly (number | undefined)[]): boolean {
  const defined = values.filter((v) => v !== undefined).length;
  return defined > 0 && (defined <= 2 || defined / values.length < SPARSE_RATIO);
}

/** The columns uPlot draws: times, each series, then the band's upper and lower edges. */
export function chartColumns(data: ChartData): uPlot.AlignedData {
  const columns: (number | null)[][] = data.series.map((s) => toColumn(s.values));
  if (data.band) columns.push(toColumn(data.band.upper), toColumn(data.band.lower));
  return [data.times, ...columns] as uPlot.AlignedData;
}

function lineSeries(s: ChartSeries, n: number, theme: ChartTheme): uPlot.Series {
  const stroke = theme.color(s.color ?? seriesColor(n));
  if (s.style === 'points')
    return {
      label: s.name,
      stroke,
      width: 0,
      paths: () => null,
      points: { show: true, size: 8, width: 1.5, fill: stroke, stroke: theme.axis },
    };
  return {
    label: s.name,
    stroke,
    width: s.style === 'dash' ? 1.2 : 1.6,
    dash: s.style === 'dash' ? [5, 4] : undefined,
    spanGaps: true,
    points: { show: s.style !== 'dash' && isSparse(s.values), size: 5, fill: stroke },
  };
}

/** Options of the chart (without size, hooks and plugins, which the component adds). */
export function chartOptions(
  data: ChartData,
  theme: ChartTheme,
  format: (n: number | undefined) => string,
): Omit<uPlot.Options, 'width' | 'height'> {
  const series: uPlot.Series[] = [{}, ...data.series.map((s, n) => lineSeries(s, n, theme))];
  const bands: uPlot.Band[] = [];
  if (data.band) {
    const edge = theme.color(data.band.color ?? 'var(--c2)');
    const base = series.length;
    series.push(
      {
        label: `${data.band.name} (upper)`,
        stroke: edge,
        width: 0.5,
        spanGaps: false,
        points: { show: false },
      },
      {
        label: `${data.band.name} (lower)`,
        stroke: edge,
        width: 0.5,
        spanGaps: false,
        points: { show: false },
      },
    );
    bands.push({ series: [base, base + 1], fill: withAlpha(edge, 0.18) });
  }
  const axisCommon = {
    stroke: theme.axis,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { show: false },
    font: '10px system-ui, sans-serif',
  };
  return {
    ms: 1,
    series,
    bands,
    legend: { show: false },
    cursor: { drag: { x: true, y: false }, points: { size: 7 }, focus: { prox: 24 } },
    scales: {
      x: { time: true },
      y: { range: (_u, min, max) => [Math.min(0, min ?? 0), max !== null && max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      {
        ...axisCommon,
        size: 26,
        space: 64,
        values: (_u, splits, _i, _space, incr) => splits.map((t) => timeLabel(t, incr)),
      },
      {
        ...axisCommon,
        size: 52,
        space: 28,
        values: (_u, splits) => splits.map((v) => format(v)),
      },
    ],
  };
}

/** An x-axis label in the browser's locale, 24-hour: `Dec 6` per day, `18:45` per minute, `18:45:30` below. */
function timeLabel(ms: number, incrementMs: number): string {
  const d = new Date(ms);
  if (incrementMs >= 86_400_000) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (incrementMs < 60_000) options.second = '2-digit';
  return d.toLocaleTimeString(undefined, options);
}

/** `#rrggbb` (or `rgb(…)`) with an alpha channel, for band fills. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const n = Number.parseInt(hex[1]!, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color.trim());
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : color;
}
