/**
 * A small SVG time-series chart: lines (with a soft area under a single line), round y ticks,
 * time labels, a crosshair tooltip, and click-to-drill on a bucket.
 */
import { type MouseEvent, useEffect, useRef, useState } from 'react';
import { type ChartData, niceTicks, timeAxisTicks } from '../lib/series.ts';

const PALETTE = [
  'var(--c1)',
  'var(--c2)',
  'var(--c3)',
  'var(--c5)',
  'var(--c6)',
  'var(--c7)',
  'var(--c4)',
  'var(--c8)',
];
const PAD = { left: 48, right: 8, top: 8, bottom: 20 };

/** Props of {@link LineChart}. */
export interface LineChartProps {
  data: ChartData;
  format: (n: number | undefined) => string;
  height?: number;
  /** Called with the clicked bucket's start and end (ms) and the nearest line's name. */
  onPick?: (bucket: { fromMs: number; toMs: number; series?: string }) => void;
  label: string;
}

/** The color of the n-th line. */
export function seriesColor(n: number): string {
  return PALETTE[n % PALETTE.length]!;
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function timeLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs > 2 * 86_400_000) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** A line chart. */
export function LineChart({ data, format, height = 160, onPick, label }: LineChartProps) {
  const [ref, width] = useWidth();
  const [hover, setHover] = useState<number | undefined>();
  const { times, series } = data;
  const max = Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined)));
  const ticks = niceTicks(max || 1, 3);
  const top = ticks.at(-1) ?? 1;
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = height - PAD.top - PAD.bottom;
  const n = times.length;
  const x = (i: number) => PAD.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const spanMs = n > 1 ? times[n - 1]! - times[0]! : 0;
  const xAt = (t: number) => (n <= 1 ? x(0) : x((t - times[0]!) / data.stepMs));
  const xTicks = n > 1 ? timeAxisTicks(times[0]!, times[n - 1]!, Math.max(2, Math.floor(plotW / 56))) : [];

  const indexAt = (event: MouseEvent<SVGRectElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const ratio = (event.clientX - rect.left) / Math.max(1, rect.width);
    return Math.min(n - 1, Math.max(0, Math.round(ratio * (n - 1))));
  };
  const pick = (event: MouseEvent<SVGRectElement>) => {
    if (!onPick || n === 0) return;
    const i = indexAt(event);
    const nearest = series
      .map((s, k) => ({
        k,
        d: Math.abs((s.values[i] ?? Number.NaN) - (1 - (event.nativeEvent.offsetY - PAD.top) / plotH) * top),
      }))
      .filter((c) => Number.isFinite(c.d))
      .sort((a, b) => a.d - b.d)[0];
    onPick({
      fromMs: times[i]!,
      toMs: times[i]! + data.stepMs,
      series: nearest ? series[nearest.k]?.name : undefined,
    });
  };

  const hasData = series.some((s) => s.values.some((v) => v !== undefined && v !== 0));
  return (
    <div className="chart" ref={ref}>
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-label={label}>
          {ticks.map((t) => (
            <g key={t}>
              <line className="grid-line" x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} />
              <text className="axis-label" x={PAD.left - 6} y={y(t) + 3} textAnchor="end">
                {format(t)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <text key={t} className="axis-label" x={xAt(t)} y={height - 4} textAnchor="middle">
              {timeLabel(t, spanMs)}
            </text>
          ))}
          {series.map((s, k) => {
            const path = linePath(s.values, x, y);
            const color = s.color ?? seriesColor(k);
            return (
              <g key={s.name}>
                {series.length === 1 && path && !s.values.includes(undefined) && (
                  <path
                    d={`${path} L${x(lastIndex(s.values))},${y(0)} L${x(firstIndex(s.values))},${y(0)} Z`}
                    fill={color}
                    opacity={0.12}
                  />
                )}
                <path d={path} fill="none" stroke={color} strokeWidth={1.6} strokeLinejoin="round" />
                {isolatedPoints(s.values).map((i) => (
                  <circle key={i} cx={x(i)} cy={y(s.values[i]!)} r={1.8} fill={color} />
                ))}
              </g>
            );
          })}
          {hover !== undefined && (
            <>
              <line className="cross" x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={PAD.top + plotH} />
              {series.map((s, k) =>
                s.values[hover] === undefined ? null : (
                  <circle
                    key={s.name}
                    cx={x(hover)}
                    cy={y(s.values[hover]!)}
                    r={3}
                    fill={s.color ?? seriesColor(k)}
                  />
                ),
              )}
            </>
          )}
          {/* biome-ignore lint/a11y/noStaticElementInteractions: pointer overlay; the same drill-down is in the tables */}
          <rect
            x={PAD.left}
            y={PAD.top}
            width={plotW}
            height={plotH}
            fill="transparent"
            style={{ cursor: onPick ? 'pointer' : 'default' }}
            onMouseMove={(e) => n > 0 && setHover(indexAt(e))}
            onMouseLeave={() => setHover(undefined)}
            onClick={pick}
          />
        </svg>
      )}
      {!hasData && width > 0 && (
        <div className="chart-empty" style={{ position: 'absolute', inset: 0 }}>
          No data in this window
        </div>
      )}
      {hover !== undefined && width > 0 && (
        <div className="chart-tip" style={{ left: Math.min(x(hover) + 12, width - 170), top: 4 }}>
          <div className="faint" style={{ marginBottom: 3 }}>
            {new Date(times[hover]!).toLocaleString(undefined, { hour12: false })}
          </div>
          {series.map((s, k) => (
            <div className="tip-row" key={s.name}>
              <span className="ellipsis">
                <span className="swatch" style={{ background: s.color ?? seriesColor(k) }} />
                {s.name}
              </span>
              <span className="num">{format(s.values[hover])}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** A legend for a chart's lines. */
export function Legend({ names }: { names: string[] }) {
  if (names.length <= 1) return null;
  return (
    <div className="legend">
      {names.map((name, k) => (
        <span key={name}>
          <span className="swatch" style={{ background: seriesColor(k) }} />
          {name}
        </span>
      ))}
    </div>
  );
}

// Points with no defined neighbour draw no line segment: they are shown as dots.
function isolatedPoints(values: readonly (number | undefined)[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v !== undefined && values[i - 1] === undefined && values[i + 1] === undefined) out.push(i);
  });
  return out;
}

function firstIndex(values: readonly (number | undefined)[]): number {
  return Math.max(
    0,
    values.findIndex((v) => v !== undefined),
  );
}

function lastIndex(values: readonly (number | undefined)[]): number {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== undefined) return i;
  return 0;
}

function linePath(
  values: readonly (number | undefined)[],
  x: (i: number) => number,
  y: (v: number) => number,
): string {
  let d = '';
  let isDrawing = false;
  values.forEach((v, i) => {
    if (v === undefined) {
      isDrawing = false;
      return;
    }
    d += `${isDrawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
    isDrawing = true;
  });
  return d.trim();
}
