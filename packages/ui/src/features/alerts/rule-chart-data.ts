/**
 * A rule's chart as {@link ChartData}: the metric, a dashed threshold line for threshold rules,
 * and for anomaly rules the learned band and the anomalous points as markers.
 */
import type { ChartData, ChartSeries } from '../../lib/series.ts';

/** One bucket of the chart. */
export interface RulePoint {
  timeMs: number;
  value?: number;
  lower?: number;
  upper?: number;
  anomalous?: boolean;
}

const isNum = (v: number | undefined | null): v is number => typeof v === 'number' && Number.isFinite(v);

/** Builds the chart of a rule from its points (in any order). */
export function ruleChartData(
  points: readonly RulePoint[],
  options: { metric: string; threshold?: number; stepMs: number },
): ChartData {
  const sorted = [...points].sort((a, b) => a.timeMs - b.timeMs);
  const times = sorted.map((p) => p.timeMs);
  const series: ChartSeries[] = [
    {
      name: options.metric,
      values: sorted.map((p) => (isNum(p.value) ? p.value : undefined)),
      color: 'var(--c1)',
    },
  ];
  if (isNum(options.threshold))
    series.push({
      name: 'threshold',
      values: times.map(() => options.threshold),
      color: 'var(--error)',
      style: 'dash',
    });
  const hasBand = sorted.some((p) => isNum(p.lower) && isNum(p.upper));
  if (sorted.some((p) => p.anomalous))
    series.push({
      name: 'anomalous',
      values: sorted.map((p) => (p.anomalous && isNum(p.value) ? p.value : undefined)),
      color: 'var(--error)',
      style: 'points',
    });
  const stepMs = times.length > 1 ? times[1]! - times[0]! : options.stepMs;
  if (!hasBand) return { times, stepMs, series };
  const edge = (key: 'lower' | 'upper') =>
    sorted.map((p) => (isNum(p.lower) && isNum(p.upper) ? p[key] : undefined));
  return {
    times,
    stepMs,
    series,
    band: { name: 'expected band', lower: edge('lower'), upper: edge('upper') },
  };
}
