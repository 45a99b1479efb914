/**
 * Geometry of the rule chart: the metric as a line (broken where there is no data), the
 * anomaly band as shaded polygons (one per run of buckets that have a band), the threshold
 * as a horizontal line, and the anomalous points — all in SVG pixel coordinates.
 */
import { niceTicks } from '../../lib/series.ts';

/** One bucket of the chart. */
export interface RulePoint {
  timeMs: number;
  value?: number;
  lower?: number;
  upper?: number;
  anomalous?: boolean;
}

/** The plot area inside the SVG. */
export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** What the chart draws. */
export interface RuleChartGeometry {
  /** Y ticks, value and pixel. */
  ticks: { value: number; y: number }[];
  /** `M…L…` of the metric (one `M` per run of values). */
  line: string;
  /** Closed polygons of the band (one per run of buckets with lower and upper). */
  band: string;
  /** Y of the threshold line, when there is one. */
  thresholdY?: number;
  anomalies: { x: number; y: number; timeMs: number; value: number }[];
  x: (timeMs: number) => number;
  y: (value: number) => number;
}

const isNum = (v: number | undefined | null): v is number => typeof v === 'number' && Number.isFinite(v);
const r = (n: number) => Math.round(n * 10) / 10;

/** Computes the chart over [fromMs, toMs]; the y axis starts at 0 and covers values, band and threshold. */
export function ruleChartGeometry(
  points: readonly RulePoint[],
  options: { fromMs: number; toMs: number; box: Box; threshold?: number },
): RuleChartGeometry {
  const { fromMs, toMs, box, threshold } = options;
  const highs = points.flatMap((p) => [p.value, p.upper, p.lower].filter(isNum));
  if (isNum(threshold)) highs.push(threshold);
  const lows = [0, ...highs];
  const min = Math.min(...lows);
  const max = Math.max(0, ...highs);
  const ticks = niceTicks(max > 0 ? max * 1.05 : 1, 4);
  const top = Math.max(ticks.at(-1) ?? 1, max);
  const bottom = Math.min(0, min);
  const plotW = Math.max(1, box.width - box.left - box.right);
  const plotH = Math.max(1, box.height - box.top - box.bottom);
  const span = Math.max(1, toMs - fromMs);
  const x = (t: number) => r(box.left + ((t - fromMs) / span) * plotW);
  const y = (v: number) => r(box.top + plotH - ((v - bottom) / (top - bottom || 1)) * plotH);
  const sorted = [...points].sort((a, b) => a.timeMs - b.timeMs);

  let line = '';
  let pen = false;
  for (const p of sorted) {
    if (!isNum(p.value)) {
      pen = false;
      continue;
    }
    line += `${pen ? 'L' : 'M'}${x(p.timeMs)},${y(p.value)}`;
    pen = true;
  }

  const runs: RulePoint[][] = [];
  let run: RulePoint[] = [];
  for (const p of sorted) {
    if (isNum(p.lower) && isNum(p.upper)) run.push(p);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  const band = runs
    .map((points) => {
      const upper = points.map((p, n) => `${n === 0 ? 'M' : 'L'}${x(p.timeMs)},${y(p.upper!)}`).join('');
      const lower = [...points]
        .reverse()
        .map((p) => `L${x(p.timeMs)},${y(p.lower!)}`)
        .join('');
      return `${upper}${lower}Z`;
    })
    .join('');

  const anomalies = sorted
    .filter((p): p is RulePoint & { value: number } => Boolean(p.anomalous) && isNum(p.value))
    .map((p) => ({ x: x(p.timeMs), y: y(p.value), timeMs: p.timeMs, value: p.value }));

  return {
    ticks: ticks.map((value) => ({ value, y: y(value) })),
    line,
    band,
    thresholdY: isNum(threshold) ? y(threshold) : undefined,
    anomalies,
    x,
    y,
  };
}
