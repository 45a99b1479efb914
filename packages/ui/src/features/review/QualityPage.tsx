/**
 * Quality over time (`/quality`): the mean of a score name per bucket — online evaluation, human
 * review, SDK feedback alike — split by model, model version, prompt version, service or source,
 * and the lowest-scored traces of the window to drill into.
 */
import {
  type LowScoredTrace,
  SCORE_GROUP_BY,
  type ScoreGroupBy,
  type ScoreSeriesResult,
} from '@argus/shared';
import { useState } from 'react';
import { fetchLowest, fetchScoreNames, fetchScoreSeries } from '../../api-annotation.ts';
import { ChartPanel } from '../../components/ChartPanel.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { OptionSelect } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { TimeRangePicker } from '../../components/TimeRangePicker.tsx';
import { formatAgo } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import type { ChartData } from '../../lib/series.ts';
import { patchParams, type Route, type ViewParams } from '../../lib/url-state.ts';
import { type ApiState, useApi } from '../../lib/use-api.ts';
import '../../styles/review.css';

const GROUP_LABELS: Record<ScoreGroupBy, string> = {
  model: 'by model',
  modelVersion: 'by model version',
  promptVersion: 'by prompt version',
  service: 'by service',
  source: 'by source',
};

/** The series as chart columns: one line per group, buckets without scores as gaps. */
function toScoreChart(result: ScoreSeriesResult): ChartData {
  const first = result.series[0]?.points ?? [];
  return {
    times: first.map((p) => Date.parse(p.time)),
    stepMs: result.step * 1000,
    series: result.series.map((s) => ({
      name: result.groupBy ? s.group[result.groupBy] || '(none)' : result.score,
      values: s.points.map((p) => p.mean ?? undefined),
    })),
  };
}

const formatScore = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));

/** The lowest-scored traces of the window, each a link to its trace. */
function LowestTable({ lowest }: { lowest: ApiState<{ data: LowScoredTrace[] }> }) {
  return (
    <section className="panel" aria-label="Lowest-scored traces">
      <div className="panel-head">Lowest-scored traces</div>
      {lowest.error && <ErrorBox error={lowest.error} />}
      <DataTable
        label="Lowest-scored traces"
        columns={['Trace', 'Score', 'Source', 'Model', 'Comment', 'When']}
      >
        {(lowest.data?.data ?? []).map((l) => (
          <tr key={`${l.traceId}:${l.spanId}:${l.time}`}>
            <td>
              <Link
                className="mono"
                to={`/traces/${encodeURIComponent(l.traceId)}${l.spanId ? `?span=${l.spanId}` : ''}`}
              >
                {l.traceId.slice(0, 12)}…
              </Link>
            </td>
            <td className="num">{l.stringValue || formatScore(l.value)}</td>
            <td>{l.source}</td>
            <td>{l.model || '–'}</td>
            <td className="muted ellipsis" style={{ maxWidth: 320 }} title={l.comment}>
              {l.comment || '–'}
            </td>
            <td title={l.time}>{formatAgo(l.time)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** The page. */
export function QualityPage({ route }: { route: Route }) {
  const { params } = route;
  const window = useTimeWindow(params);
  const update = (patch: Partial<ViewParams>) => navigate({ ...route, params: patchParams(params, patch) });
  const range = { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
  const names = useApi(`score-names:${range.from}:${range.to}`, (signal) => fetchScoreNames(range, signal));
  const [picked, setPicked] = useState('');
  const [groupBy, setGroupBy] = useState<ScoreGroupBy | ''>('model');
  const rows = names.data?.data ?? [];
  const score = picked || rows[0]?.name || '';
  const query = { score, ...range, ...(groupBy ? { groupBy } : {}) };
  const series = useApi(score ? `score-series:${JSON.stringify(query)}` : undefined, (signal) =>
    fetchScoreSeries(query, signal),
  );
  const lowest = useApi(score ? `lowest:${score}:${range.from}:${range.to}` : undefined, (signal) =>
    fetchLowest({ score, ...range, limit: 20 }, signal),
  );
  return (
    <>
      <PageHeader title="Quality">
        <TimeRangePicker params={params} onChange={update} />
      </PageHeader>
      <div className="content stack">
        {names.error && <ErrorBox error={names.error} onRetry={names.reload} />}
        {!names.data ? (
          <Loading label="Loading scores…" />
        ) : rows.length === 0 ? (
          <Empty title="No scores in this window">
            Scores come from online evaluation rules, people reviewing annotation queues, and feedback your
            app sends with the SDK (<code>score()</code>). Widen the time range or add a source.
          </Empty>
        ) : (
          <>
            <div className="row">
              <OptionSelect
                aria-label="Score"
                options={rows.map(
                  (r) => [r.name, `${r.name} (${r.count}, ${r.sources.join(', ')})`] as const,
                )}
                value={score}
                onValue={setPicked}
              />
              <OptionSelect
                aria-label="Split"
                options={[
                  ['', 'overall'] as const,
                  ...SCORE_GROUP_BY.map((g) => [g, GROUP_LABELS[g]] as const),
                ]}
                value={groupBy}
                onValue={setGroupBy}
              />
              {series.data && (
                <span className="muted">
                  mean {formatScore(series.data.totals.mean ?? undefined)} over {series.data.totals.count}{' '}
                  scores
                </span>
              )}
            </div>
            <ChartPanel
              title={`${score} over time`}
              data={series.data ? toScoreChart(series.data) : undefined}
              error={series.error}
              format={formatScore}
              height={200}
            />
            <LowestTable lowest={lowest} />
          </>
        )}
      </div>
    </>
  );
}
