/**
 * The one time-series chart of the console, drawn by uPlot: drag to zoom (double-click
 * resets), a crosshair tooltip with exact values, legend entries that hide and show lines,
 * and click-to-drill on a bucket.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type ChartTheme, chartColumns, chartOptions, seriesColor } from '../lib/chart-options.ts';
import type { ChartData } from '../lib/series.ts';

/** What a click on the chart picked: the bucket and the nearest line. */
export interface ChartPick {
  fromMs: number;
  toMs: number;
  series?: string;
}

/** Props of {@link TimeChart}. */
export interface TimeChartProps {
  data: ChartData;
  /** Axis labels. */
  format: (n: number | undefined) => string;
  /** Tooltip values (exact); `format` when absent. */
  formatExact?: (n: number | undefined) => string;
  height?: number;
  label: string;
  onPick?: (pick: ChartPick) => void;
}

/** Calls `onChange` when the theme (the root's `data-theme`) changes. */
function subscribeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

/** The theme's name (the root's `data-theme`); a chart that depends on it redraws in the new colors. */
export function useThemeName(): string {
  return useSyncExternalStore(subscribeTheme, () => document.documentElement.dataset.theme ?? '');
}

/** Keeps `plot` as wide as `host`; returns the function that stops it. */
export function fitWidth(plot: uPlot, host: HTMLElement, height: number): () => void {
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry?.contentRect.width ?? 0);
    if (width > 0) plot.setSize({ width, height });
  });
  observer.observe(host);
  return () => observer.disconnect();
}

/** The chart colors of the theme in effect at `el`. */
export function readTheme(el: HTMLElement): ChartTheme {
  const style = getComputedStyle(el);
  const color = (css: string) => {
    const name = /^var\((--[\w-]+)\)$/.exec(css)?.[1];
    return name ? style.getPropertyValue(name).trim() || '#888' : css;
  };
  return { color, axis: color('var(--text-faint)'), grid: color('var(--border)') };
}

function tooltipRows(u: uPlot, data: ChartData, idx: number, format: (n: number | undefined) => string) {
  const rows: [string, string, string][] = [];
  data.series.forEach((s, n) => {
    const value = s.values[idx];
    if (!u.series[n + 1]?.show || (s.style === 'points' && value === undefined)) return;
    rows.push([s.name, String(u.series[n + 1]?.stroke ?? ''), format(value)]);
  });
  const band = data.band;
  if (band && band.lower[idx] !== undefined && band.upper[idx] !== undefined)
    rows.push([band.name, 'transparent', `${format(band.lower[idx])} – ${format(band.upper[idx])}`]);
  return rows;
}

function renderTip(tip: HTMLDivElement, timeMs: number, rows: [string, string, string][]) {
  const head = document.createElement('div');
  head.className = 'faint tip-time';
  head.textContent = new Date(timeMs).toLocaleString(undefined, { hour12: false });
  const lines = rows.map(([name, color, value]) => {
    const row = document.createElement('div');
    row.className = 'tip-row';
    const label = document.createElement('span');
    label.className = 'ellipsis';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = color;
    label.append(swatch, name);
    const num = document.createElement('span');
    num.className = 'num';
    num.textContent = value;
    row.append(label, num);
    return row;
  });
  tip.replaceChildren(head, ...lines);
}

/** A time-series chart. */
export function TimeChart({ data, format, formatExact, height = 160, label, onPick }: TimeChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | undefined>(undefined);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());
  const theme = useThemeName();
  // Callers build data and formatters on every render: rebuild the plot only when the content changes.
  const dataKey = useMemo(() => JSON.stringify(data), [data]);
  const latest = useRef({ data, format, formatExact: formatExact ?? format, onPick, hidden });
  latest.current = { data, format, formatExact: formatExact ?? format, onPick, hidden };

  // biome-ignore lint/correctness/useExhaustiveDependencies: dataKey stands for data; the rest is read through `latest`
  useEffect(() => {
    const host = hostRef.current;
    const tip = tipRef.current;
    if (!host || !tip) return;
    const current = latest.current.data;
    const options = chartOptions(current, readTheme(host), (n) => latest.current.format(n));
    const onCursor = (u: uPlot) => {
      const { idx, left } = u.cursor;
      if (idx === null || idx === undefined || left === undefined || left < 0) {
        tip.hidden = true;
        return;
      }
      renderTip(tip, current.times[idx]!, tooltipRows(u, current, idx, latest.current.formatExact));
      tip.hidden = false;
      const x = u.over.offsetLeft + left;
      const width = tip.offsetWidth;
      tip.style.left = `${x + 14 + width > host.clientWidth ? Math.max(0, x - 14 - width) : x + 14}px`;
    };
    const plot = new uPlot(
      { ...options, width: Math.max(120, host.clientWidth), height, hooks: { setCursor: [onCursor] } },
      chartColumns(current),
      host,
    );
    plotRef.current = plot;
    for (const n of latest.current.hidden) plot.setSeries(n + 1, { show: false });
    let downX = 0;
    const onDown = (event: MouseEvent) => {
      downX = event.clientX;
    };
    const onClick = (event: MouseEvent) => {
      const pick = latest.current.onPick;
      const { idx, top } = plot.cursor;
      if (!pick || Math.abs(event.clientX - downX) > 3 || idx === null || idx === undefined) return;
      const at = plot.posToVal(top ?? 0, 'y');
      const nearest = current.series
        .map((s, n) => ({
          name: s.name,
          d: Math.abs((s.values[idx] ?? Number.NaN) - at),
          shown: !latest.current.hidden.has(n),
        }))
        .filter((c) => c.shown && Number.isFinite(c.d))
        .sort((a, b) => a.d - b.d)[0];
      const fromMs = current.times[idx]!;
      pick({ fromMs, toMs: fromMs + current.stepMs, series: nearest?.name });
    };
    plot.over.addEventListener('mousedown', onDown);
    plot.over.addEventListener('click', onClick);
    plot.over.style.cursor = latest.current.onPick ? 'pointer' : 'crosshair';
    const stopFitting = fitWidth(plot, host, height);
    return () => {
      stopFitting();
      plot.destroy();
      plotRef.current = undefined;
      tip.hidden = true;
    };
  }, [dataKey, height, theme]);

  const toggle = (n: number) => {
    const next = new Set(hidden);
    if (next.has(n)) next.delete(n);
    else next.add(n);
    setHidden(next);
    plotRef.current?.setSeries(n + 1, { show: !next.has(n) });
  };
  const hasData = data.series.some((s) => s.values.some((v) => v !== undefined && v !== 0));
  return (
    <div className="chart time-chart" data-points={data.times.length}>
      <div ref={hostRef} role="img" aria-label={label} />
      <div ref={tipRef} className="chart-tip" data-testid="chart-tip" hidden style={{ top: 4 }} />
      {!hasData && <div className="chart-empty">No data in this window</div>}
      {data.series.length > 1 && (
        <div
          className="legend"
          title="Click to hide or show a line · drag on the chart to zoom, double-click to reset"
        >
          {data.series.map((s, n) => (
            <button
              type="button"
              key={s.name}
              className="legend-item"
              aria-pressed={!hidden.has(n)}
              onClick={() => toggle(n)}
            >
              <span className="swatch" style={{ background: s.color ?? seriesColor(n) }} />
              {s.name}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
