/** A titled panel holding one chart, its legend and a loading/error state. */
import type { ReactNode } from 'react';
import type { ChartData } from '../lib/series.ts';
import { Legend, LineChart, type LineChartProps } from './LineChart.tsx';
import { ErrorBox } from './States.tsx';

/** Props of {@link ChartPanel}. */
export interface ChartPanelProps {
  title: string;
  data: ChartData | undefined;
  error?: Error;
  format: (n: number | undefined) => string;
  onPick?: LineChartProps['onPick'];
  extra?: ReactNode;
  height?: number;
}

/** A chart in a panel. */
export function ChartPanel({ title, data, error, format, onPick, extra, height = 150 }: ChartPanelProps) {
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
          <LineChart data={data} format={format} onPick={onPick} height={height} label={title} />
        ) : (
          <div className="skeleton" style={{ height }} />
        )}
      </div>
      {data && <Legend names={data.series.map((s) => s.name)} />}
    </section>
  );
}
