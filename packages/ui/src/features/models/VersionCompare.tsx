/**
 * Before/after comparison around the first-seen time of a new response-model version, and the
 * way to measure it on ground truth: run a dataset on both versions (an experiment pair).
 */
import { Suspense, useState } from 'react';
import { fetchSeries } from '../../api.ts';
import type { MetricName, ModelSummary } from '../../api-types.ts';
import { ErrorBox, Loading } from '../../components/States.tsx';
import { formatChange, formatTime, metricFormatter } from '../../lib/format.ts';
import { lazyNamed } from '../../lib/lazy.ts';
import { relativeChange, type TimeWindow } from '../../lib/time-range.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { compareWindows, versionsOf } from './version-compare.ts';

const RunVersionsDialog = lazyNamed(
  () => import('../experiments/RunVersionsDialog.tsx'),
  'RunVersionsDialog',
);

const ROWS: { metric: MetricName; label: string; isLowerBetter: boolean }[] = [
  { metric: 'requests', label: 'LLM calls', isLowerBetter: false },
  { metric: 'errorRate', label: 'Error rate', isLowerBetter: true },
  { metric: 'latencyP50', label: 'Latency p50', isLowerBetter: true },
  { metric: 'latencyP95', label: 'Latency p95', isLowerBetter: true },
  { metric: 'latencyP99', label: 'Latency p99', isLowerBetter: true },
  { metric: 'ttftP50', label: 'TTFT p50', isLowerBetter: true },
  { metric: 'ttftP95', label: 'TTFT p95', isLowerBetter: true },
  { metric: 'tokensPerSecond', label: 'Tokens/s', isLowerBetter: false },
  { metric: 'outputTokens', label: 'Output tokens', isLowerBetter: false },
  { metric: 'costUsd', label: 'Cost', isLowerBetter: true },
];

/** Props of {@link VersionCompare}. */
export interface VersionCompareProps {
  requestModel: string;
  models: ModelSummary[];
  view: TimeWindow;
  filters: Record<string, string | readonly string[] | number | undefined>;
}

/** The comparison panel. */
export function VersionCompare({ requestModel, models, view, filters }: VersionCompareProps) {
  const versions = versionsOf(models, requestModel);
  const [picked, setPicked] = useState(versions.at(-1)?.responseModel ?? '');
  const version = versions.find((v) => v.responseModel === picked) ?? versions.at(-1);
  const previous = version ? versions[versions.indexOf(version) - 1] : undefined;
  const canWrite = useCan('write');
  const [isRunning, setRunning] = useState(false);
  const boundaryMs = version ? Date.parse(version.firstSeen) : Number.NaN;
  const windows = compareWindows(view, boundaryMs);
  const query = (w: TimeWindow) => ({
    ...filters,
    model: [requestModel],
    from: Math.floor(w.fromMs),
    to: Math.ceil(w.toMs),
    step: Math.max(60, Math.ceil((w.toMs - w.fromMs) / 1000)),
  });
  const key = windows
    ? `${requestModel}|${windows.before.fromMs}|${windows.after.toMs}|${JSON.stringify(filters)}`
    : undefined;
  const state = useApi(key, async (signal) => {
    if (!windows) throw new Error('No windows');
    const [before, after] = await Promise.all([
      fetchSeries(query(windows.before), signal),
      fetchSeries(query(windows.after), signal),
    ]);
    return { before: before.totals, after: after.totals };
  });
  return (
    <section className="panel" aria-label="Version comparison">
      <div className="panel-head">
        Before / after a new version of <code>{requestModel}</code>
        <span className="spacer" />
        <label className="row muted" style={{ fontWeight: 400 }}>
          Boundary: first seen of
          <select
            className="select"
            value={version?.responseModel ?? ''}
            onChange={(e) => setPicked(e.target.value)}
            aria-label="Version"
          >
            {versions.map((v) => (
              <option key={v.responseModel} value={v.responseModel}>
                {v.responseModel} ({formatTime(v.firstSeen)})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn small"
          disabled={!canWrite.isAllowed || !previous || !version}
          title={
            canWrite.reason ??
            (previous
              ? `Run one dataset on ${previous.responseModel} and ${version?.responseModel}, then compare`
              : 'Pick a version that has one before it')
          }
          onClick={() => setRunning(true)}
        >
          Run a dataset on both versions
        </button>
      </div>
      {isRunning && previous && version && (
        <Suspense fallback={null}>
          <RunVersionsDialog
            requestModel={requestModel}
            before={previous.responseModel}
            after={version.responseModel}
            onClose={() => setRunning(false)}
          />
        </Suspense>
      )}
      <div className="panel-body">
        {!windows ? (
          <div className="muted">
            {version
              ? `${version.responseModel} was first seen at ${formatTime(version.firstSeen)}`
              : 'No version'}
            , too close to the edge of the window to compare. Widen the time range so that it covers time on
            both sides.
          </div>
        ) : state.error ? (
          <ErrorBox error={state.error} onRetry={state.reload} />
        ) : !state.data ? (
          <Loading />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Metric</th>
                <th className="num">
                  Before ({formatTime(windows.before.fromMs)} – {formatTime(windows.before.toMs)})
                </th>
                <th className="num">
                  After ({formatTime(windows.after.fromMs)} – {formatTime(windows.after.toMs)})
                </th>
                <th className="num">Change</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map(({ metric, label, isLowerBetter }) => {
                const before = state.data?.before[metric];
                const after = state.data?.after[metric];
                const change =
                  before === undefined || after === undefined ? undefined : relativeChange(after, before);
                const isWorse =
                  change !== undefined && Math.abs(change) >= 0.02 && change > 0 === isLowerBetter;
                const format = metricFormatter(metric);
                return (
                  <tr key={metric}>
                    <td>{label}</td>
                    <td className="num">{format(before)}</td>
                    <td className="num">{format(after)}</td>
                    <td
                      className={`num ${change === undefined || Math.abs(change) < 0.02 ? 'muted' : isWorse ? 'error-text' : 'ok-text'}`}
                    >
                      {formatChange(change) || '–'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
