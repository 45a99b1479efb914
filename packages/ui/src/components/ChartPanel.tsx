/** A titled panel holding one chart (with its legend) and a loading/error state. */
import { type ReactNode, Suspense } from 'react';
import { lazyNamed } from '../lib/lazy.ts';
import type { ChartData } from '../lib/series.ts';
import { ErrorBox } from './States.tsx';
import type { TimeChartProps } from './TimeChart.tsx';

// uPlot loads with the first chart, not with the console.
const TimeChart = lazyNamed(() => import('./TimeChart.tsx'), 'TimeChart');

/** Props of {@link ChartPanel}. */
export interface ChartPanelProps {
  title: string;
  data: ChartData | undefined;
  error?: Error;
  format: (n: number | undefined) => string;
  /** Tooltip values; `format` when absent. */
  formatExact?: (n: number | undefined) => string;
  onPick?: TimeChartProps['onPick'];
  extra?: ReactNode;
  height?: number;
}

/** A chart in a panel. */
export function ChartPanel({
  title,
  data,
  error,
  format,
  formatExact,
  onPick,
  extra,
  height = 150,
}: ChartPanelProps) {
  return (
    <section className="panel" aria-label={title}>
      <div className="panel-head">
        {title}
        <span className="spacer" />
        {extra}
      </div>
      <div style={{ padding: '8px 6px 4px' }}>
        {error && !data ? (
          <ErrorBox error={error} />
        ) : data ? (
          <Suspense fallback={<div className="skeleton" style={{ height }} />}>
            <TimeChart
              data={data}
              format={format}
              formatExact={formatExact}
              onPick={onPick}
              height={height}
              label={title}
            />
          </Suspense>
        ) : (
          <div className="skeleton" style={{ height }} />
        )}
      </div>
    </section>
  );
}
