/** Costs: spend over time by model and service, by user, the pricing catalog, and price overrides. */
import type { MetricName } from '@argus/shared';
import { fetchSeries, fetchUsers, filterQuery, toSearch } from '../../api.ts';
import { BreakdownTable } from '../../components/BreakdownTable.tsx';
import { ChartPanel } from '../../components/ChartPanel.tsx';
import { ChartWindowNote } from '../../components/ChartWindowNote.tsx';
import { FilteredHeader } from '../../components/GlobalFilters.tsx';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { StatTile } from '../../components/StatTile.tsx';
import { formatCost, formatCostExact, formatCount } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { toChartData } from '../../lib/series.ts';
import { pickStep, previousWindow } from '../../lib/time-range.ts';
import { patchParams, type Route, sharedParams, type ViewParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { GLOBAL_FILTERS, useChartPage } from '../../lib/use-chart-window.ts';
import { useCan } from '../account/auth-context.ts';
import { OverridesEditor } from './OverridesEditor.tsx';
import { PricingCatalog } from './PricingCatalog.tsx';

/** Totals of a window, by metric. */
type Totals = Partial<Record<MetricName, number>>;

/** Spend, cost per call, calls and tokens of the window, each against the previous window. */
function SpendTiles({ totals, prevTotals }: { totals: Totals | undefined; prevTotals: Totals | undefined }) {
  const perRequest = totals?.requests ? (totals.costUsd ?? 0) / totals.requests : undefined;
  const prevPerRequest = prevTotals?.requests ? (prevTotals.costUsd ?? 0) / prevTotals.requests : undefined;
  return (
    <div className="grid stats">
      <StatTile
        label="Spend"
        value={totals?.costUsd}
        previous={prevTotals?.costUsd}
        format={formatCost}
        polarity="up-bad"
      />
      <StatTile
        label="Cost per LLM call"
        value={perRequest}
        previous={prevPerRequest}
        format={formatCost}
        polarity="up-bad"
      />
      <StatTile
        label="LLM calls"
        value={totals?.requests}
        previous={prevTotals?.requests}
        format={formatCount}
      />
      <StatTile
        label="Input tokens"
        value={totals?.inputTokens}
        previous={prevTotals?.inputTokens}
        format={formatCount}
      />
      <StatTile
        label="Output tokens"
        value={totals?.outputTokens}
        previous={prevTotals?.outputTokens}
        format={formatCount}
      />
    </div>
  );
}

/** This project's price overrides (admins edit them) and the pricing catalog. */
function PricingPanels({ canAdmin }: { canAdmin: boolean }) {
  return (
    <>
      <section className="panel" aria-label="Price overrides">
        <div className="panel-head">Price overrides (this project)</div>
        <div className="panel-body">
          {canAdmin ? (
            <OverridesEditor />
          ) : (
            <ReadOnlyNote need="admin" what="reading and editing price overrides" />
          )}
        </div>
      </section>
      <section className="panel" aria-label="Pricing catalog">
        <div className="panel-head">Pricing catalog</div>
        <div className="panel-body">
          <PricingCatalog />
        </div>
      </section>
    </>
  );
}

/** The costs page. */
export function CostsPage({ route }: { route: Route }) {
  const { params, timeWindow, update, query, charts, chartQuery } = useChartPage(route);
  const metrics = 'costUsd,requests,inputTokens,outputTokens';
  const byModel = useApi(charts.isReady ? toSearch({ ...chartQuery, g: 'model' }) : undefined, (s) =>
    fetchSeries({ ...chartQuery, groupBy: 'model', metrics }, s),
  );
  const byService = useApi(charts.isReady ? toSearch({ ...chartQuery, g: 'service' }) : undefined, (s) =>
    fetchSeries({ ...chartQuery, groupBy: 'service', metrics }, s),
  );
  const step = pickStep(timeWindow);
  const prev = previousWindow(timeWindow);
  const prevQuery = filterQuery(params, prev, GLOBAL_FILTERS);
  const total = useApi(toSearch({ ...query, step }), (s) => fetchSeries({ ...query, step, metrics }, s));
  const previous = useApi(toSearch({ ...prevQuery, p: 1 }), (s) =>
    fetchSeries({ ...prevQuery, metrics, step: Math.ceil((prev.toMs - prev.fromMs) / 1000) }, s),
  );
  const { isAllowed: canAdmin } = useCan('admin');
  const users = useApi(toSearch({ ...query, u: 1 }), (s) => fetchUsers({ ...query, limit: 200 }, s));
  const drill = (patch: Partial<ViewParams>) =>
    navigate({ page: 'traces', params: patchParams(sharedParams(params), patch) });
  const onPick = (bucket: { fromMs: number; toMs: number; series?: string }, key: 'model' | 'service') =>
    drill({
      range: undefined,
      from: new Date(bucket.fromMs).toISOString(),
      to: new Date(bucket.toMs).toISOString(),
      [key]: bucket.series && bucket.series !== '(none)' ? [bucket.series] : undefined,
    });
  return (
    <>
      <FilteredHeader title="Costs" params={params} timeWindow={timeWindow} onChange={update} />
      <div className="content stack">
        {total.error && <ErrorBox error={total.error} onRetry={total.reload} />}
        <SpendTiles totals={total.data?.totals} prevTotals={previous.data?.totals} />
        {charts.isNarrowed && (
          <ChartWindowNote window={charts.window} fullWindow={timeWindow} params={params} onChange={update} />
        )}
        <div className="grid cols-2">
          {(
            [
              ['model', byModel],
              ['service', byService],
            ] as const
          ).map(([key, spend]) => (
            <ChartPanel
              key={key}
              title={`Spend by ${key}`}
              data={spend.data ? toChartData(spend.data, ['costUsd']) : undefined}
              error={spend.error}
              format={formatCost}
              formatExact={formatCostExact}
              onPick={(b) => onPick(b, key)}
            />
          ))}
        </div>
        <BreakdownTable
          title="Spend by user"
          rows={[...(users.data?.data ?? [])].filter((u) => u.userId).sort((a, b) => b.costUsd - a.costUsd)}
          name={(u) => u.userId}
          limit={10}
          columns={[
            { label: 'Cost', value: (u) => u.costUsd, format: formatCost },
            { label: 'Traces', value: (u) => u.traceCount, format: formatCount },
            { label: 'Tokens', value: (u) => u.totalTokens, format: formatCount },
            {
              label: 'Cost / trace',
              value: (u) => (u.traceCount ? u.costUsd / u.traceCount : undefined),
              format: formatCost,
            },
          ]}
          onPick={(u) => drill({ userId: u.userId })}
          empty={users.error ? <ErrorBox error={users.error} /> : 'No user ids in this window'}
        />
        <PricingPanels canAdmin={canAdmin} />
      </div>
    </>
  );
}
