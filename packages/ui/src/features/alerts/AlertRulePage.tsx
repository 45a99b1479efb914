/**
 * One rule: its metric over the selected window with the threshold line, or for anomaly
 * rules the learned band with anomalous points; its state and its events.
 */

import type { AlertRule } from '@argus/shared';
import {
  fetchAlertBand,
  fetchAlertEvents,
  fetchAlertRule,
  fetchChannels,
  fetchSeries,
  type Query,
} from '../../api.ts';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Async, Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { TimeChart } from '../../components/TimeChart.tsx';
import { TimeRangePicker } from '../../components/TimeRangePicker.tsx';
import { exactFormatter, formatAgo, metricFormatter } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import { pickStep } from '../../lib/time-range.ts';
import { formatRoute, patchParams, type Route, type ViewParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { usePolling } from './AlertsPage.tsx';
import { EventsTable } from './EventsTable.tsx';
import { type RulePoint, ruleChartData } from './rule-chart-data.ts';
import { describeCondition, sourceLabel } from './rule-form.ts';

/** The series query of a rule's source over a window. */
export function seriesQueryOf(
  rule: AlertRule,
  fromMs: number,
  toMs: number,
  step: number,
): Query | undefined {
  if (rule.source.kind !== 'series') return undefined;
  const query: Query = { from: Math.floor(fromMs), to: Math.ceil(toMs), step, metrics: rule.source.metric };
  for (const [key, value] of Object.entries(rule.source.filters))
    query[key] = Array.isArray(value) ? value : String(value);
  return query;
}

function Chart({ rule, params }: { rule: AlertRule; params: ViewParams }) {
  const window = useTimeWindow(params);
  const step = pickStep(window);
  const metric = rule.source.kind === 'series' ? rule.source.metric : 'value';
  const format = metricFormatter(metric);
  const isAnomaly = rule.type === 'anomaly';
  const seriesQuery = seriesQueryOf(rule, window.fromMs, window.toMs, step);
  const key = `${rule.id}:${rule.updatedAt}:${window.fromMs}:${window.toMs}`;
  const data = useApi<RulePoint[] | undefined>(isAnomaly || seriesQuery ? key : undefined, async (signal) => {
    if (isAnomaly) {
      const band = await fetchAlertBand(
        rule.id,
        { from: Math.floor(window.fromMs), to: Math.ceil(window.toMs) },
        signal,
      );
      return band.points.map((p) => ({
        timeMs: Date.parse(p.time),
        value: p.value ?? undefined,
        lower: p.lower ?? undefined,
        upper: p.upper ?? undefined,
        anomalous: p.anomalous,
      }));
    }
    const result = await fetchSeries(seriesQuery!, signal);
    return (result.series[0]?.points ?? []).map((p) => ({
      timeMs: Date.parse(p.time),
      value: (p as unknown as Record<string, number | undefined>)[metric],
    }));
  });
  if (!isAnomaly && !seriesQuery)
    return (
      <Empty title="No chart for this source">
        The console charts request metrics; {sourceLabel(rule.source)} is read by the evaluator only.
      </Empty>
    );
  if (data.error) return <ErrorBox error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading label="Loading chart…" />;
  const anomalies = data.data.filter((p) => p.anomalous).length;
  return (
    <>
      <TimeChart
        data={ruleChartData(data.data, {
          metric,
          threshold: rule.type === 'threshold' ? rule.threshold : undefined,
          stepMs: step * 1000,
        })}
        format={format}
        formatExact={exactFormatter(metric)}
        height={220}
        label={`${metric} of ${rule.name}`}
      />
      <div className="row faint chart-legend" data-testid="rule-chart-caption">
        {rule.type === 'threshold' && (
          <span>
            Dashed: threshold {rule.comparison} {format(rule.threshold)}
          </span>
        )}
        {isAnomaly && (
          <span>
            Shaded: the expected band · {anomalies} anomalous point{anomalies === 1 ? '' : 's'}
          </span>
        )}
      </div>
    </>
  );
}

/** The rule detail page. */
export function AlertRulePage({ route }: { route: Route }) {
  const id = route.id ?? '';
  const { params } = route;
  const rule = useApi(`rule:${id}`, (s) => fetchAlertRule(id, s));
  const events = useApi(`events:${id}`, (s) => fetchAlertEvents({ ruleId: id, limit: 100 }, s));
  const channels = useApi('channels', (s) => fetchChannels(s));
  usePolling(rule.reload);
  usePolling(events.reload);
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  const channelName = new Map((channels.data?.data ?? []).map((c) => [c.id, c.name]));
  const state = rule.data?.state;
  return (
    <>
      <PageHeader
        title={
          <span className="row">
            <Link to="/alerts" className="btn ghost small" aria-label="Back to alerts">
              <Icons.back />
            </Link>
            {rule.data?.data.name ?? 'Alert rule'}
          </span>
        }
      >
        <TimeRangePicker params={params} onChange={update} />
      </PageHeader>
      <div className="content stack">
        <Async state={rule} label="Loading rule…">
          {({ data }) => (
            <>
              <section className="panel" aria-label="Rule">
                <div className="panel-head row">
                  <span style={{ flex: 1 }}>
                    {data.type} rule · {describeCondition(data)} · for {data.for}
                  </span>
                  <span className={`severity ${data.severity}`}>{data.severity}</span>
                  {state && (
                    <span className={`alert-state ${state.state}`} data-state={state.state}>
                      {state.state} {formatAgo(state.activeSince ?? state.since)}
                    </span>
                  )}
                  <Link to={formatRoute({ page: 'alerts', params: { rule: data.id } })} className="btn small">
                    Edit
                  </Link>
                </div>
                <div className="panel-body">
                  {state?.lastError && (
                    <ErrorBox error={new Error(`Last evaluation failed: ${state.lastError}`)} />
                  )}
                  <Chart rule={data} params={params} />
                </div>
              </section>
              <section className="panel" aria-label="Rule events">
                <div className="panel-head">Events (last 7 days)</div>
                <div className="panel-body">
                  <Async state={events} label="Loading events…">
                    {(list) => <EventsTable events={list.data} channelName={channelName} showRule={false} />}
                  </Async>
                </div>
              </section>
            </>
          )}
        </Async>
      </div>
    </>
  );
}
