/**
 * Side-by-side comparison (`/experiments/compare?baseline=A&candidate=B`): the regression
 * verdict with each evaluator's paired difference, its 95 % interval and p-value, the
 * improved/regressed/unchanged counts, latency and cost deltas, label metrics of both sides, and
 * every item run of both with its changes highlighted and either side's trace one click away.
 * Polls while either experiment still runs.
 */
import type { Experiment, ExperimentComparison } from '@argus/shared';
import { useEffect, useState } from 'react';
import { fetchComparison, fetchExperiment, fetchExperiments } from '../../api-quality.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { OptionSelect } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { formatCost, formatDuration } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { patchParams, type Route } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { previewOf } from '../datasets/dataset-text.ts';
import { SidePicker, SideTraceLink } from './CompareSides.tsx';
import { LabelPanel } from './ExperimentPage.tsx';
import { POLL_MS } from './ExperimentsPage.tsx';
import {
  type Change,
  countChanges,
  formatDelta,
  formatInterval,
  formatPValue,
  formatScore,
  isActive,
  itemsVersionOf,
  pairRuns,
  targetLabel,
  testName,
  verdictOf,
} from './experiment-stats.ts';
import { useItemsById, useRuns } from './use-runs.ts';
import '../../styles/quality.css';

/** The verdict banner: regression, improvement, or no significant change. */
function Verdict({ c }: { c: ExperimentComparison }) {
  const entries = Object.entries(c.evaluators);
  const regressed = entries.filter(([, e]) => e.regression);
  const improved = entries.filter(([, e]) => e.improvement);
  const tone = regressed.length > 0 ? 'error' : improved.length > 0 ? 'ok' : 'neutral';
  const line = ([name, e]: (typeof entries)[number]) =>
    `${name} ${formatDelta(e.difference)} ${formatInterval(e.ci95)}, ${formatPValue(e.pValue)}`;
  return (
    <section
      className={`verdict ${tone}`}
      aria-label="Verdict"
      data-verdict={c.regression ? 'regression' : tone === 'ok' ? 'improvement' : 'none'}
    >
      <strong>
        {regressed.length > 0
          ? `Regression: ${c.candidate.name} is significantly worse than ${c.baseline.name}`
          : improved.length > 0
            ? `Improvement: ${c.candidate.name} is significantly better than ${c.baseline.name}`
            : `No significant change between ${c.baseline.name} and ${c.candidate.name}`}
      </strong>
      <div>
        {regressed.length > 0 && <div>Worse on {regressed.map(line).join('; ')}.</div>}
        {improved.length > 0 && <div>Better on {improved.map(line).join('; ')}.</div>}
        <div className="muted">
          {c.pairedItems} paired items ({c.pairedRuns} runs), significance level α = {c.alpha}.{' '}
          {entries.length === 0 && 'Neither experiment has scores: add evaluators to compare quality.'}
        </div>
      </div>
    </section>
  );
}

function EvaluatorTable({ c }: { c: ExperimentComparison }) {
  const entries = Object.entries(c.evaluators);
  return (
    <section className="panel" aria-label="Evaluators">
      <div className="panel-head">Per evaluator (candidate − baseline)</div>
      <div className="table-scroll">
        <DataTable
          label="Evaluator comparison"
          columns={[
            'Evaluator',
            'Baseline',
            'Candidate',
            'Difference',
            '95 % interval',
            'p-value',
            'Improved',
            'Regressed',
            'Unchanged',
            'Verdict',
          ]}
        >
          {entries.map(([name, e]) => {
            const verdict = verdictOf(e);
            return (
              <tr key={name} data-evaluator={name}>
                <td>{name}</td>
                <td className="num">{formatScore(e.baselineMean)}</td>
                <td className="num">{formatScore(e.candidateMean)}</td>
                <td className={`num ${e.difference < 0 ? 'error-text' : e.difference > 0 ? 'ok-text' : ''}`}>
                  {formatDelta(e.difference)}
                </td>
                <td className="num">{formatInterval(e.ci95)}</td>
                <td className="num" title={testName(e.test)}>
                  {formatPValue(e.pValue)}
                </td>
                <td className="num ok-text" data-count="improved">
                  {e.improved}
                </td>
                <td className="num error-text" data-count="regressed">
                  {e.regressed}
                </td>
                <td className="num" data-count="unchanged">
                  {e.unchanged}
                </td>
                <td>
                  <span
                    className={
                      verdict === 'regression' ? 'chip error' : verdict === 'improvement' ? 'chip ok' : 'chip'
                    }
                  >
                    {verdict}
                  </span>
                </td>
              </tr>
            );
          })}
          {(['latencyMs', 'costUsd'] as const).map((measure) => {
            const d = c[measure];
            const format =
              measure === 'latencyMs' ? formatDuration : (n: number | undefined) => formatCost(n, 3);
            const signed = (n: number) => (n > 0 ? `+${format(n)}` : n < 0 ? `−${format(-n)}` : format(0));
            return (
              <tr key={measure} className="muted">
                <td>{measure === 'latencyMs' ? 'Latency (mean)' : 'Cost (mean per run)'}</td>
                <td className="num">{format(d.baselineMean)}</td>
                <td className="num">{format(d.candidateMean)}</td>
                <td className="num">{signed(d.delta)}</td>
                <td className="num">
                  [{signed(d.ci95[0])}, {signed(d.ci95[1])}]
                </td>
                <td colSpan={5}>{d.n} paired runs; lower is better</td>
              </tr>
            );
          })}
        </DataTable>
      </div>
    </section>
  );
}

type PairFilter = 'all' | 'changed' | Change;

function PairsTable({ a, b }: { a: Experiment; b: Experiment }) {
  const left = useRuns(a.id, `${a.status}:${a.progress.done}`);
  const right = useRuns(b.id, `${b.status}:${b.progress.done}`);
  const items = useItemsById(a.datasetId, itemsVersionOf(a));
  const [filter, setFilter] = useState<PairFilter>('changed');
  if (left.error) return <ErrorBox error={left.error} onRetry={left.reload} />;
  if (right.error) return <ErrorBox error={right.error} onRetry={right.reload} />;
  if (!left.data || !right.data) return <Loading label="Loading item runs…" />;
  const pairs = pairRuns(left.data.rows, right.data.rows);
  const counts = countChanges(pairs);
  const names = [...new Set(pairs.flatMap((p) => Object.keys(p.deltas)))].sort();
  const shown = pairs.filter((p) =>
    filter === 'all' ? true : filter === 'changed' ? p.change !== 'unchanged' : p.change === filter,
  );
  return (
    <section className="panel" aria-label="Item runs side by side">
      <div className="panel-head">
        <span className="spacer" data-testid="pair-counts">
          Item runs side by side · <span className="ok-text">{counts.improved} improved</span> ·{' '}
          <span className="error-text">{counts.regressed} regressed</span> · {counts.unchanged} unchanged
          {counts.mixed > 0 && ` · ${counts.mixed} mixed`}
          {counts.unpaired > 0 && ` · ${counts.unpaired} on one side only`}
        </span>
        <OptionSelect
          className="select small"
          aria-label="Show pairs"
          options={[
            ['changed', 'Changed'],
            ['regressed', 'Regressed'],
            ['improved', 'Improved'],
            ['all', 'All'],
          ]}
          value={filter}
          onValue={setFilter}
        />
      </div>
      {shown.length === 0 ? (
        <Empty title={filter === 'changed' ? 'No item run changed' : `No ${filter} item run`}>
          Pick All above to see every pair.
        </Empty>
      ) : (
        <div className="table-scroll">
          <DataTable
            label="Pairs"
            columns={[
              'Item',
              'Input',
              'Expected',
              `Output · ${a.name}`,
              `Output · ${b.name}`,
              ...names,
              'Latency',
              'Traces',
            ]}
          >
            {shown.map((p) => {
              const item = items.data?.get(p.itemId);
              const before = previewOf(p.baseline?.output, 300);
              const after = previewOf(p.candidate?.output, 300);
              const isDifferent = before !== after;
              return (
                <tr key={p.key} data-pair={p.itemId} data-change={p.change} className={`pair-${p.change}`}>
                  <td className="mono" title={p.itemId} style={{ maxWidth: 110 }}>
                    {p.itemId}
                    {p.repetition > 0 && <span className="faint"> #{p.repetition + 1}</span>}
                  </td>
                  <td style={{ maxWidth: 220 }} title={previewOf(item?.input, 2000)}>
                    {previewOf(item?.input, 160) || <span className="faint">–</span>}
                  </td>
                  <td style={{ maxWidth: 140 }}>
                    {previewOf(item?.expectedOutput, 100) || <span className="faint">–</span>}
                  </td>
                  <td
                    style={{ maxWidth: 220 }}
                    title={before}
                    className={p.baseline?.error ? 'error-text' : undefined}
                  >
                    {p.baseline ? (p.baseline.error ?? before) : <span className="faint">not run</span>}
                  </td>
                  <td
                    style={{ maxWidth: 220 }}
                    title={after}
                    className={p.candidate?.error ? 'error-text' : isDifferent ? 'diff-text' : undefined}
                  >
                    {p.candidate ? (p.candidate.error ?? after) : <span className="faint">not run</span>}
                  </td>
                  {names.map((name) => {
                    const d = p.deltas[name];
                    return (
                      <td
                        key={name}
                        className={`num nowrap ${d === undefined || d === 0 ? 'faint' : d > 0 ? 'ok-text' : 'error-text'}`}
                      >
                        {formatScore(p.baseline?.scores[name])} → {formatScore(p.candidate?.scores[name])}
                      </td>
                    );
                  })}
                  <td className="num nowrap">
                    {formatDuration(p.baseline?.latencyMs)} → {formatDuration(p.candidate?.latencyMs)}
                  </td>
                  <td className="nowrap">
                    <SideTraceLink side="baseline" itemId={p.itemId} traceId={p.baseline?.traceId} />{' '}
                    <SideTraceLink side="candidate" itemId={p.itemId} traceId={p.candidate?.traceId} />
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      )}
    </section>
  );
}

/** The pickers of the two sides (every experiment, newest first). */
function Pickers({ route }: { route: Route }) {
  const list = useApi('compare-pickers', (signal) => fetchExperiments({ limit: 200 }, signal));
  const { baseline = '', candidate = '' } = route.params;
  const set = (patch: { baseline?: string; candidate?: string }) =>
    navigate({ ...route, params: patchParams(route.params, patch) }, { replace: true });
  const options = [
    ['', '(pick one)'] as const,
    ...(list.data?.data ?? []).map((e) => [e.id, e.name] as const),
  ];
  return (
    <>
      <SidePicker side="baseline" options={options} value={baseline} onPick={set} />
      <button
        type="button"
        className="btn small"
        title="Swap the sides"
        onClick={() => set({ baseline: candidate, candidate: baseline })}
      >
        ⇄
      </button>
      <SidePicker side="candidate" options={options} value={candidate} onPick={set} />
    </>
  );
}

/** The compare page. */
export function ComparePage({ route }: { route: Route }) {
  const { baseline, candidate } = route.params;
  const { tick } = useRefresh();
  const key = baseline && candidate ? `cmp:${baseline}:${candidate}:${tick}` : undefined;
  const state = useApi(key, async (signal) => {
    const [a, b] = await Promise.all([
      fetchExperiment(baseline ?? '', signal),
      fetchExperiment(candidate ?? '', signal),
    ]);
    const comparison = await fetchComparison({ baseline: a.data.id, candidate: b.data.id }, signal);
    return { a: a.data, b: b.data, c: comparison.data };
  });
  const isRunning =
    state.data !== undefined && (isActive(state.data.a.status) || isActive(state.data.b.status));
  const { reload } = state;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each answer schedules the next poll
  useEffect(() => {
    if (!isRunning) return;
    const timer = window.setTimeout(reload, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [isRunning, state.data, reload]);
  return (
    <>
      <PageHeader title="Compare experiments">
        <Pickers route={route} />
      </PageHeader>
      <div className="content stack">
        {!key ? (
          <Empty title="Pick two experiments">
            Choose a baseline (A) and a candidate (B) above, run on the same dataset; or tick two on the{' '}
            <Link to="/experiments">Experiments</Link> page and press Compare selected.
          </Empty>
        ) : state.error && !state.data ? (
          <ErrorBox error={state.error} onRetry={state.reload} />
        ) : !state.data ? (
          <Loading label="Comparing…" />
        ) : (
          <>
            {state.error && <ErrorBox error={state.error} onRetry={state.reload} />}
            <div className="grid cols-2">
              {[state.data.a, state.data.b].map((e, n) => (
                <div key={e.id} className="panel stat" data-side={n === 0 ? 'baseline' : 'candidate'}>
                  <div className="stat-label">{n === 0 ? 'A · baseline' : 'B · candidate'}</div>
                  <Link to={`/experiments/${encodeURIComponent(e.id)}`}>{e.name}</Link>{' '}
                  <span className="faint">
                    {targetLabel(e.target)} · {e.status} {e.progress.done}/{e.progress.total}
                  </span>
                </div>
              ))}
            </div>
            {isRunning && (
              <div className="muted" role="status">
                Still running: the comparison covers the item runs finished so far and updates by itself.
              </div>
            )}
            <Verdict c={state.data.c} />
            <EvaluatorTable c={state.data.c} />
            {state.data.c.labels && (
              <div className="grid cols-2">
                <LabelPanel report={state.data.c.labels.baseline} title={`Labels · ${state.data.a.name}`} />
                <LabelPanel report={state.data.c.labels.candidate} title={`Labels · ${state.data.b.name}`} />
              </div>
            )}
            <PairsTable a={state.data.a} b={state.data.b} />
          </>
        )}
      </div>
    </>
  );
}
