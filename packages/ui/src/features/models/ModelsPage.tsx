/** Models: every request model and response version side by side, over time, and before/after a version change. */
import { fetchModels, fetchSeries, filterQuery, toSearch } from '../../api.ts';
import type { MetricName, SeriesResult } from '../../api-types.ts';
import { ChartPanel } from '../../components/ChartPanel.tsx';
import { ChartWindowNote } from '../../components/ChartWindowNote.tsx';
import { FilteredHeader } from '../../components/GlobalFilters.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { exactFormatter, metricFormatter } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { toChartData } from '../../lib/series.ts';
import { patchParams, type Route, sharedParams, type ViewParams } from '../../lib/url-state.ts';
import { type ApiState, useApi } from '../../lib/use-api.ts';
import { useChartPage } from '../../lib/use-chart-window.ts';
import { ModelChanges } from './ModelChanges.tsx';
import { ModelsTable } from './ModelsTable.tsx';
import { VersionCompare } from './VersionCompare.tsx';
import { modelsWithSeveralVersions } from './version-compare.ts';

const CHARTS: { title: string; metric: MetricName }[] = [
  { title: 'Latency p95 by version', metric: 'latencyP95' },
  { title: 'TTFT p50 by version', metric: 'ttftP50' },
  { title: 'Error rate by version', metric: 'errorRate' },
  { title: 'Output tokens by version', metric: 'outputTokens' },
  { title: 'Cost by version', metric: 'costUsd' },
  { title: 'LLM calls by version', metric: 'requests' },
];

/** The select of a request model whose versions to compare. */
function CompareSelect({
  models,
  value,
  onChange,
}: {
  models: string[];
  value: string | undefined;
  onChange: (model: string | undefined) => void;
}) {
  return (
    <label className="row muted">
      Compare versions of
      <select
        className="select"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value || undefined)}
        aria-label="Compare versions of"
      >
        <option value="">—</option>
        {models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The by-version charts; a bucket opens the traces of its window (and its model). */
function ModelCharts({ series, params }: { series: ApiState<SeriesResult>; params: ViewParams }) {
  return (
    <div className="grid cols-3">
      {CHARTS.map((c) => (
        <ChartPanel
          key={c.metric}
          title={c.title}
          error={series.error}
          data={series.data ? toChartData(series.data, [c.metric]) : undefined}
          format={metricFormatter(c.metric)}
          formatExact={exactFormatter(c.metric)}
          onPick={(bucket) =>
            navigate({
              page: 'traces',
              params: patchParams(sharedParams(params), {
                range: undefined,
                from: new Date(bucket.fromMs).toISOString(),
                to: new Date(bucket.toMs).toISOString(),
                model: bucket.series && bucket.series !== '(none)' ? [bucket.series] : params.model,
              }),
            })
          }
        />
      ))}
    </div>
  );
}

/** The models page. */
export function ModelsPage({ route }: { route: Route }) {
  const { params, timeWindow, update, query, charts, chartQuery } = useChartPage(route);
  const models = useApi(toSearch(query), (s) => fetchModels({ ...query, limit: 1000 }, s));
  const series = useApi(charts.isReady ? toSearch(chartQuery) : undefined, (s) =>
    fetchSeries({ ...chartQuery, groupBy: 'model', metrics: CHARTS.map((c) => c.metric).join(',') }, s),
  );
  const rows = [...(models.data?.data ?? [])].sort(
    (a, b) =>
      a.requestModel.localeCompare(b.requestModel) || Date.parse(a.firstSeen) - Date.parse(b.firstSeen),
  );
  const comparable = modelsWithSeveralVersions(rows);
  const drill = (model: string) =>
    navigate({ page: 'traces', params: patchParams(sharedParams(params), { model: [model] }) });
  return (
    <>
      <FilteredHeader title="Models" params={params} timeWindow={timeWindow} onChange={update}>
        {comparable.length > 0 && (
          <CompareSelect
            models={comparable}
            value={params.compare}
            onChange={(compare) => update({ compare })}
          />
        )}
      </FilteredHeader>
      <div className="content stack">
        {models.error && <ErrorBox error={models.error} onRetry={models.reload} />}
        <ModelChanges timeWindow={timeWindow} />
        {params.compare && models.data && (
          <VersionCompare
            requestModel={params.compare}
            models={rows}
            view={timeWindow}
            filters={filterQuery(params, timeWindow, ['service', 'environment', 'provider'])}
          />
        )}
        {!models.data && !models.error ? (
          <Loading />
        ) : rows.length === 0 ? (
          !models.error && (
            <Empty title="No model calls in this window">Model calls appear once LLM spans arrive.</Empty>
          )
        ) : (
          <ModelsTable
            rows={rows}
            comparable={comparable}
            onDrill={drill}
            onCompare={(requestModel) => update({ compare: requestModel })}
          />
        )}
        {charts.isNarrowed && (
          <ChartWindowNote window={charts.window} fullWindow={timeWindow} params={params} onChange={update} />
        )}
        <ModelCharts series={series} params={params} />
      </div>
    </>
  );
}
