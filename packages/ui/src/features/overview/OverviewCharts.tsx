/** The overview's charts: every metric over the window; a click drills into the explorer. */
import type { MetricName, SeriesResult } from '../../api-types.ts';
import { ChartPanel } from '../../components/ChartPanel.tsx';
import { exactFormatter, metricFormatter } from '../../lib/format.ts';
import { toChartData } from '../../lib/series.ts';

const LABELS: Partial<Record<MetricName, string>> = {
  requests: 'LLM calls',
  errors: 'errors',
  latencyP50: 'p50',
  latencyP95: 'p95',
  latencyP99: 'p99',
  ttftP50: 'p50',
  ttftP95: 'p95',
  inputTokens: 'input',
  outputTokens: 'output',
  costUsd: 'cost',
  tokensPerSecond: 'tokens/s',
  errorRate: 'error rate',
};

/** One chart of the grid. */
interface ChartSpec {
  title: string;
  metrics: MetricName[];
  /** Drill-down narrows to errors. */
  isErrorChart?: boolean;
}

/** The charts on the overview, in order. */
export const OVERVIEW_CHARTS: ChartSpec[] = [
  { title: 'LLM calls', metrics: ['requests', 'errors'] },
  { title: 'Error rate', metrics: ['errorRate'], isErrorChart: true },
  { title: 'Latency', metrics: ['latencyP50', 'latencyP95', 'latencyP99'] },
  { title: 'Time to first token', metrics: ['ttftP50', 'ttftP95'] },
  { title: 'Tokens', metrics: ['inputTokens', 'outputTokens'] },
  { title: 'Cost', metrics: ['costUsd'] },
  { title: 'Output speed', metrics: ['tokensPerSecond'] },
];

/** Props of {@link OverviewCharts}. */
export interface OverviewChartsProps {
  series: SeriesResult | undefined;
  /** The same window grouped by model (requests, cost). */
  byModel: SeriesResult | undefined;
  error?: Error;
  onPick: (bucket: { fromMs: number; toMs: number }, options: { isError: boolean; model?: string }) => void;
}

/** The grid of charts. */
export function OverviewCharts({ series, byModel, error, onPick }: OverviewChartsProps) {
  return (
    <div className="grid cols-3">
      {OVERVIEW_CHARTS.map((spec) => (
        <ChartPanel
          key={spec.title}
          title={spec.title}
          error={error}
          data={series ? toChartData(series, spec.metrics, { labels: LABELS }) : undefined}
          format={metricFormatter(spec.metrics[0]!)}
          formatExact={exactFormatter(spec.metrics[0]!)}
          onPick={(bucket) =>
            onPick(bucket, { isError: Boolean(spec.isErrorChart) || bucket.series === 'errors' })
          }
        />
      ))}
      {(['requests', 'costUsd'] as const).map((metric) => (
        <ChartPanel
          key={metric}
          title={metric === 'requests' ? 'LLM calls by model' : 'Cost by model'}
          data={byModel ? toChartData(byModel, [metric], { maxGroups: 6 }) : undefined}
          format={metricFormatter(metric)}
          formatExact={exactFormatter(metric)}
          onPick={(bucket) =>
            onPick(bucket, { isError: false, model: bucket.series !== '(none)' ? bucket.series : undefined })
          }
        />
      ))}
    </div>
  );
}
