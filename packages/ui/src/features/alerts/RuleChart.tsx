/** The rule chart: metric line, threshold line, anomaly band and anomalous points (hand-written SVG). */
import { useEffect, useRef, useState } from 'react';
import { type RulePoint, ruleChartGeometry } from './band-geometry.ts';

const BOX = { left: 52, right: 10, top: 10, bottom: 22 };

function timeLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs > 2 * 86_400_000) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** The chart of one rule over a window. */
export function RuleChart({
  points,
  fromMs,
  toMs,
  threshold,
  format,
  label,
  height = 220,
}: {
  points: RulePoint[];
  fromMs: number;
  toMs: number;
  threshold?: number;
  format: (n: number | undefined) => string;
  label: string;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const geometry = ruleChartGeometry(points, { fromMs, toMs, threshold, box: { ...BOX, width, height } });
  const span = toMs - fromMs;
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => fromMs + f * span);
  return (
    <div className="chart" ref={ref}>
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-label={label} data-points={points.length}>
          {geometry.ticks.map((t) => (
            <g key={t.value}>
              <line x1={BOX.left} x2={width - BOX.right} y1={t.y} y2={t.y} className="grid-line" />
              <text x={BOX.left - 6} y={t.y + 3} textAnchor="end" className="axis-label">
                {format(t.value)}
              </text>
            </g>
          ))}
          {xTicks.map((t, n) => (
            <text
              key={t}
              x={geometry.x(t)}
              y={height - 6}
              textAnchor={n === 0 ? 'start' : n === xTicks.length - 1 ? 'end' : 'middle'}
              className="axis-label"
            >
              {timeLabel(t, span)}
            </text>
          ))}
          {geometry.band && <path d={geometry.band} className="alert-band" data-testid="band" />}
          {geometry.line && (
            <path
              d={geometry.line}
              fill="none"
              stroke="var(--c1)"
              strokeWidth={1.6}
              data-testid="metric-line"
            />
          )}
          {geometry.thresholdY !== undefined && (
            <line
              x1={BOX.left}
              x2={width - BOX.right}
              y1={geometry.thresholdY}
              y2={geometry.thresholdY}
              className="alert-threshold"
              data-testid="threshold"
            >
              <title>Threshold {format(threshold)}</title>
            </line>
          )}
          {geometry.anomalies.map((a) => (
            <circle key={a.timeMs} cx={a.x} cy={a.y} r={3.5} className="alert-anomaly">
              <title>
                Anomalous: {format(a.value)} at {new Date(a.timeMs).toLocaleString()}
              </title>
            </circle>
          ))}
        </svg>
      )}
    </div>
  );
}
