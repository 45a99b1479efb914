/**
 * The item runs of an experiment: a filter (all, errors, any score below 1) and one row per run
 * with the item's input and expected output, the run's output, scores, latency, cost and error,
 * linked to its trace.
 */
import type { DatasetItem, Experiment, ExperimentItemResult } from '@argus/shared';
import { useState } from 'react';
import { DataTable } from '../../components/DataTable.tsx';
import { OptionSelect } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { formatCost, formatCount, formatDuration, shortId } from '../../lib/format.ts';
import type { ApiState } from '../../lib/use-api.ts';
import { previewOf } from '../datasets/dataset-text.ts';
import { formatScore, isActive, itemsVersionOf } from './experiment-stats.ts';
import { useItemsById } from './use-runs.ts';

type RunFilter = 'all' | 'errors' | 'below';

/** The runs a filter keeps. */
function filterRuns(rows: ExperimentItemResult[], filter: RunFilter): ExperimentItemResult[] {
  if (filter === 'errors') return rows.filter((r) => r.error !== undefined);
  if (filter === 'below') return rows.filter((r) => Object.values(r.scores).some((s) => s < 1));
  return rows;
}

/** One score cell, green at 1 and red at 0. */
function ScoreCell({ score }: { score: number | undefined }) {
  const tone = score === undefined ? ' faint' : score >= 1 ? ' ok-text' : score <= 0 ? ' error-text' : '';
  return <td className={`num${tone}`}>{formatScore(score)}</td>;
}

/** One item run. */
function RunRow({
  run: r,
  item,
  names,
  repetitions,
}: {
  run: ExperimentItemResult;
  item: DatasetItem | undefined;
  names: string[];
  repetitions: number;
}) {
  const output = previewOf(r.output, 300);
  return (
    <tr data-run={r.itemId} className={r.error ? 'is-error' : undefined}>
      <td className="mono" title={r.itemId} style={{ maxWidth: 120 }}>
        {r.itemId}
        {repetitions > 1 && <span className="faint"> #{r.repetition + 1}</span>}
      </td>
      <td style={{ maxWidth: 260 }} title={previewOf(item?.input, 2000)}>
        {previewOf(item?.input, 200) || <span className="faint">–</span>}
      </td>
      <td style={{ maxWidth: 160 }} title={previewOf(item?.expectedOutput, 2000)}>
        {previewOf(item?.expectedOutput, 120) || <span className="faint">–</span>}
      </td>
      <td style={{ maxWidth: 260 }} title={output}>
        {output}
      </td>
      {names.map((name) => (
        <ScoreCell key={name} score={r.scores[name]} />
      ))}
      <td className="num">{formatDuration(r.latencyMs)}</td>
      <td className="num">{formatCost(r.costUsd)}</td>
      <td className="error-text" style={{ maxWidth: 200 }} title={r.error}>
        {r.error ?? ''}
      </td>
      <td>
        {r.traceId ? (
          <Link
            to={`/traces/${encodeURIComponent(r.traceId)}`}
            className="mono"
            aria-label={`Trace of ${r.itemId}`}
          >
            {shortId(r.traceId)}
          </Link>
        ) : (
          <span className="faint">–</span>
        )}
      </td>
    </tr>
  );
}

/** Why there is no run to show yet. */
function NoRuns({ e }: { e: Experiment }) {
  return (
    <Empty title={isActive(e.status) ? 'No item has finished yet' : 'No item runs'}>
      {isActive(e.status)
        ? 'Results appear here as items finish; this page updates by itself.'
        : e.target.type === 'external'
          ? 'Post outputs to /api/v1/experiments/{id}/results, or run it with runExperiment() from the SDK.'
          : e.target.type === 'shadow'
            ? 'The gateway shadow recorded no pair before it stopped.'
            : 'The experiment stopped before any item ran; its status says why.'}
    </Empty>
  );
}

/** The item runs panel; `names` are the evaluators, one score column each. */
export function ItemRunsPanel({
  e,
  runs,
  names,
}: {
  e: Experiment;
  runs: ApiState<{ rows: ExperimentItemResult[]; isTruncated: boolean }>;
  names: string[];
}) {
  const items = useItemsById(e.datasetId, itemsVersionOf(e));
  const [filter, setFilter] = useState<RunFilter>('all');
  const rows = runs.data?.rows ?? [];
  const shown = filterRuns(rows, filter);
  return (
    <section className="panel" aria-label="Item runs">
      <div className="panel-head">
        <span className="spacer">
          Item runs{' '}
          {runs.data && `· ${formatCount(rows.length)}${runs.data.isTruncated ? ' (first ones)' : ''}`}
        </span>
        <OptionSelect
          className="select small"
          aria-label="Show"
          options={[
            ['all', 'All runs'],
            ['errors', 'Errors only'],
            ['below', 'Any score below 1'],
          ]}
          value={filter}
          onValue={setFilter}
        />
      </div>
      {runs.error && <ErrorBox error={runs.error} onRetry={runs.reload} />}
      {items.error && <ErrorBox error={items.error} onRetry={items.reload} />}
      {!runs.data ? (
        <Loading label="Loading item runs…" />
      ) : rows.length === 0 ? (
        <NoRuns e={e} />
      ) : shown.length === 0 ? (
        <Empty title="No run matches">Show all runs instead.</Empty>
      ) : (
        <div className="table-scroll">
          <DataTable
            label="Item runs"
            columns={['Item', 'Input', 'Expected', 'Output', ...names, 'Latency', 'Cost', 'Error', 'Trace']}
          >
            {shown.map((r) => (
              <RunRow
                key={`${r.itemId}:${r.repetition}`}
                run={r}
                item={items.data?.get(r.itemId)}
                names={names}
                repetitions={e.repetitions}
              />
            ))}
          </DataTable>
        </div>
      )}
    </section>
  );
}
