/** Overview: headline numbers against the previous window, every metric over time, breakdowns, top traces. */
import { fetchSeries, fetchTraces, fetchUsers, filterQuery, toSearch } from '../../api.ts';
import type { Page, SeriesResult, UserSummary } from '../../api-types.ts';
import { BreakdownTable } from '../../components/BreakdownTable.tsx';
import { ChartWindowNote } from '../../components/ChartWindowNote.tsx';
import { FilteredHeader } from '../../components/GlobalFilters.tsx';
import { Onboarding } from '../../components/Onboarding.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { StatTile } from '../../components/StatTile.tsx';
import { formatCost, formatCount, formatDuration, formatPercent, metricFormatter } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { type GroupTotals, groupTotals } from '../../lib/series.ts';
import { pickStep, previousWindow } from '../../lib/time-range.ts';
import { patchParams, type Route, sharedParams, type ViewParams } from '../../lib/url-state.ts';
import { type ApiState, useApi } from '../../lib/use-api.ts';
import { GLOBAL_FILTERS, useChartPage } from '../../lib/use-chart-window.ts';
import { OverviewCharts } from './OverviewCharts.tsx';
import { TopTraces } from './TopTraces.tsx';

const TOP_SAMPLE = 500;
const LLM_CALLS_HINT = "Calls to models (LLM and embedding spans), not your application's own requests";

const TILES = [
  { label: 'LLM calls', metric: 'requests', polarity: 'up-good', hint: LLM_CALLS_HINT },
  { label: 'Error rate', metric: 'errorRate', polarity: 'up-bad' },
  { label: 'Latency p95', metric: 'latencyP95', polarity: 'up-bad' },
  { label: 'TTFT p95', metric: 'ttftP95', polarity: 'up-bad' },
  { label: 'Input tokens', metric: 'inputTokens', polarity: 'neutral' },
  { label: 'Output tokens', metric: 'outputTokens', polarity: 'neutral' },
  { label: 'Cost', metric: 'costUsd', polarity: 'up-bad' },
  { label: 'Tokens/s', metric: 'tokensPerSecond', polarity: 'up-good' },
] as const;

const groupColumns = [
  { label: 'LLM calls', value: (r: GroupTotals) => r.requests, format: formatCount },
  {
    label: 'Errors',
    value: (r: GroupTotals) => (r.requests ? r.errors / r.requests : undefined),
    format: (n?: number) => formatPercent(n),
  },
  { label: 'p95', value: (r: GroupTotals) => r.latencyP95, format: formatDuration },
  { label: 'Cost', value: (r: GroupTotals) => r.costUsd, format: formatCost },
];

const userColumns = [
  { label: 'Traces', value: (u: UserSummary) => u.traceCount, format: formatCount },
  { label: 'Failed traces', value: (u: UserSummary) => u.failedTraceCount, format: formatCount },
  { label: 'Tokens', value: (u: UserSummary) => u.totalTokens, format: formatCount },
  { label: 'Cost', value: (u: UserSummary) => u.costUsd, format: formatCost },
];

/** The two top-trace lists: title and the metric they rank by. */
const TOP_TRACES = [
  ['Slowest traces', 'durationMs'],
  ['Most expensive traces', 'costUsd'],
] as const;

/** Totals of a window, by metric. */
type Totals = SeriesResult['totals'];

/** The headline numbers of the window, each against the previous window. */
function HeadlineTiles({ totals, previous }: { totals: Totals | undefined; previous: Totals | undefined }) {
  return (
    <div className="grid stats">
      {TILES.map((tile) => (
        <StatTile
          key={tile.metric}
          label={tile.label}
          value={totals?.[tile.metric]}
          previous={previous?.[tile.metric]}
          format={metricFormatter(tile.metric)}
          polarity={tile.polarity}
          hint={'hint' in tile ? tile.hint : undefined}
        />
      ))}
    </div>
  );
}

/** Calls, errors, p95 and cost by model and by service, and traces by user; a row opens the explorer. */
function Breakdowns({
  byModel,
  byService,
  users,
  onDrill,
}: {
  byModel: ApiState<SeriesResult>;
  byService: ApiState<SeriesResult>;
  users: ApiState<Page<UserSummary>>;
  onDrill: (patch: Partial<ViewParams>) => void;
}) {
  return (
    <>
      <h2 className="section-title">Breakdowns</h2>
      <div className="grid cols-3">
        {(
          [
            ['model', byModel],
            ['service', byService],
          ] as const
        ).map(([key, group]) => (
          <BreakdownTable
            key={key}
            title={`By ${key}`}
            rows={group.data ? groupTotals(group.data) : []}
            name={(r) => r.label}
            columns={groupColumns}
            onPick={(r) => onDrill({ [key]: [r.label] })}
            empty={group.error ? <ErrorBox error={group.error} /> : undefined}
          />
        ))}
        <BreakdownTable
          title="By user"
          rows={[...(users.data?.data ?? [])]
            .filter((u) => u.userId)
            .sort((a, b) => b.traceCount - a.traceCount)}
          name={(u) => u.userId}
          columns={userColumns}
          onPick={(u) => onDrill({ userId: u.userId })}
          empty={users.error ? <ErrorBox error={users.error} /> : 'No user ids in this window'}
        />
      </div>
    </>
  );
}

/** The overview page. */
export function OverviewPage({ route }: { route: Route }) {
  const { params, timeWindow, update, query, charts, chartQuery } = useChartPage(route);
  const prev = previousWindow(timeWindow);
  const prevQuery = filterQuery(params, prev, GLOBAL_FILTERS);
  const whenReady = (key: string) => (charts.isReady ? key : undefined);
  const current = useApi(toSearch({ ...query, step: pickStep(timeWindow) }), (s) =>
    fetchSeries({ ...query, step: pickStep(timeWindow) }, s),
  );
  const chartSeries = useApi(charts.isNarrowed ? whenReady(toSearch(chartQuery)) : undefined, (s) =>
    fetchSeries(chartQuery, s),
  );
  const previous = useApi(toSearch({ ...prevQuery, p: 1 }), (s) =>
    fetchSeries({ ...prevQuery, step: Math.ceil((prev.toMs - prev.fromMs) / 1000) }, s),
  );
  const byModel = useApi(whenReady(toSearch({ ...chartQuery, g: 'model' })), (s) =>
    fetchSeries({ ...chartQuery, groupBy: 'model', metrics: 'requests,errors,latencyP95,costUsd' }, s),
  );
  const byService = useApi(whenReady(toSearch({ ...chartQuery, g: 'service' })), (s) =>
    fetchSeries({ ...chartQuery, groupBy: 'service', metrics: 'requests,errors,latencyP95,costUsd' }, s),
  );
  const users = useApi(toSearch({ ...query, u: 1 }), (s) => fetchUsers({ ...query, limit: 50 }, s));
  const traces = useApi(toSearch({ ...query, t: 1 }), (s) => fetchTraces({ ...query, limit: TOP_SAMPLE }, s));

  const drill = (patch: Partial<ViewParams>) =>
    navigate({ page: 'traces', params: patchParams(sharedParams(params), patch) });
  const hasFilters = GLOBAL_FILTERS.some((k) => params[k as keyof ViewParams] !== undefined);
  const isEmpty = traces.data?.data.length === 0 && !hasFilters;

  return (
    <>
      <FilteredHeader title="Overview" params={params} timeWindow={timeWindow} onChange={update} />
      <div className="content">
        {isEmpty ? (
          <Onboarding />
        ) : (
          <div className="stack">
            {current.error && <ErrorBox error={current.error} onRetry={current.reload} />}
            <HeadlineTiles totals={current.data?.totals} previous={previous.data?.totals} />
            {charts.isNarrowed && (
              <ChartWindowNote
                window={charts.window}
                fullWindow={timeWindow}
                params={params}
                onChange={update}
              />
            )}
            <OverviewCharts
              series={charts.isNarrowed ? chartSeries.data : charts.isReady ? current.data : undefined}
              byModel={byModel.data}
              error={current.error}
              onPick={(bucket, { isError, model }) =>
                drill({
                  range: undefined,
                  from: new Date(bucket.fromMs).toISOString(),
                  to: new Date(bucket.toMs).toISOString(),
                  status: isError ? 'error' : undefined,
                  model: model ? [model] : params.model,
                })
              }
            />
            <Breakdowns byModel={byModel} byService={byService} users={users} onDrill={drill} />
            {traces.error && <ErrorBox error={traces.error} onRetry={traces.reload} />}
            <div className="grid cols-2">
              {TOP_TRACES.map(([title, metric]) => (
                <TopTraces
                  key={metric}
                  title={title}
                  metric={metric}
                  traces={traces.data?.data ?? []}
                  params={params}
                  isSample={Boolean(traces.data?.nextCursor)}
                />
              ))}
            </div>
          </div>
        )}
      </div>
    </>
  );
}
