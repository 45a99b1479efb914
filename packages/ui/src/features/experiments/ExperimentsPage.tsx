/**
 * Experiments (`/experiments`, `?dataset=` for one dataset's): every experiment with its status
 * and live progress (polled while any is queued or running), its scores with their 95 %
 * intervals, latency and cost; pick two to compare. Members start new prompt experiments here.
 */
import type { Experiment } from '@argus/shared';
import { useEffect, useState } from 'react';
import { cancelExperiment, deleteExperiment, fetchDataset, fetchExperiments } from '../../api-quality.ts';
import { type ConfirmText, useConfirmedActions } from '../../components/ConfirmDialog.tsx';
import { ActionsCell, DataTable, RowButton } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { NewButton, ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { formatAgo, formatCost, formatDuration } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import type { Route } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { usePaged } from '../../lib/use-paged.ts';
import '../../styles/quality.css';
import { useCan } from '../account/auth-context.ts';
import { formatInterval, formatScore, isActive, statusTone, targetLabel } from './experiment-stats.ts';
import { NewExperimentDialog } from './NewExperimentDialog.tsx';

/** Seconds between two polls while an experiment runs. */
export const POLL_MS = 1500;

/** An experiment's status with its progress bar. */
export function ProgressCell({ experiment: e }: { experiment: Experiment }) {
  const { done, total } = e.progress;
  const ratio = total > 0 ? done / total : 0;
  return (
    <div className="stack" style={{ gap: 4, minWidth: 140 }}>
      <span className="row nowrap" style={{ gap: 6 }}>
        <span className={statusTone(e.status)} data-status={e.status} title={e.error}>
          {e.status}
        </span>
        <span className="faint" data-testid="progress">
          {done}/{total}
        </span>
      </span>
      {isActive(e.status) && (
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
        >
          <div style={{ width: `${Math.round(ratio * 100)}%` }} />
        </div>
      )}
    </div>
  );
}

/** The scores of an experiment: `exact: 0.6 [0.45, 0.75]`, one line each. */
function ScoresCell({ experiment: e }: { experiment: Experiment }) {
  const entries = Object.entries(e.summary.scores);
  if (entries.length === 0) return <span className="faint">no scores</span>;
  return (
    <div className="stack" style={{ gap: 2 }}>
      {entries.map(([name, s]) => (
        <span key={name} className="nowrap" data-score={name}>
          {name}: <strong>{formatScore(s.mean)}</strong>{' '}
          <span className="faint" title={`95 % bootstrap interval over ${s.n} scored runs`}>
            {formatInterval(s.ci95)}
          </span>
        </span>
      ))}
    </div>
  );
}

const CONFIRMS = {
  cancel: (e: Experiment): ConfirmText => ({
    title: `Cancel ${e.name}?`,
    confirmLabel: 'Cancel experiment',
    message: 'Item runs in flight finish; the rest are not run. Results so far stay.',
  }),
  delete: (e: Experiment): ConfirmText => ({
    title: `Delete ${e.name}?`,
    confirmLabel: 'Delete experiment',
    isDanger: true,
    message: 'Its results and summary go. The traces of its runs stay until retention removes them.',
  }),
};

/** The columns of the experiments table. */
const COLUMNS = [
  { label: '', width: 28 },
  'Name',
  'Status',
  'Scores (mean, 95 % interval)',
  'Latency p50',
  'Cost',
  'Errors',
  'Created',
  '',
];

/** The empty state: what an experiment is and how to start one. */
function NoExperiments({ canWrite }: { canWrite: boolean }) {
  return (
    <Empty title="No experiments yet">
      <p>
        An experiment runs a prompt (or your own app) on every item of a dataset and scores the outputs.{' '}
        {canWrite
          ? 'Start one with New experiment; you need a dataset and an LLM connection. '
          : 'Project members start them here. '}
        From code or CI:
      </p>
      <pre className="code">npx argus experiments run --dataset D --prompt prompt.json --evaluator E</pre>
    </Empty>
  );
}

/** One experiment of the list, with its compare tick and (for writers) cancel or delete. */
function ExperimentRow({
  e,
  isPicked,
  onPick,
  canWrite,
  onAsk,
}: {
  e: Experiment;
  isPicked: boolean;
  onPick: () => void;
  canWrite: boolean;
  onAsk: (action: 'cancel' | 'delete') => void;
}) {
  return (
    <tr data-experiment={e.name}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${e.name} to compare`}
          checked={isPicked}
          onChange={onPick}
        />
      </td>
      <td style={{ maxWidth: 260 }} title={e.name}>
        <Link to={`/experiments/${encodeURIComponent(e.id)}`}>{e.name}</Link>
        <div className="faint">{targetLabel(e.target)}</div>
      </td>
      <td>
        <ProgressCell experiment={e} />
      </td>
      <td>
        <ScoresCell experiment={e} />
      </td>
      <td className="num">{formatDuration(e.summary.latencyMs?.p50)}</td>
      <td className="num">{formatCost(e.summary.costUsd)}</td>
      <td className={`num${e.summary.errors > 0 ? ' error-text' : ''}`}>{e.summary.errors}</td>
      <td title={e.createdAt}>{formatAgo(e.createdAt)}</td>
      <ActionsCell>
        {canWrite && isActive(e.status) && <RowButton onClick={() => onAsk('cancel')}>Cancel</RowButton>}
        {canWrite && !isActive(e.status) && (
          <RowButton isDanger onClick={() => onAsk('delete')}>
            Delete
          </RowButton>
        )}
      </ActionsCell>
    </tr>
  );
}

/** The two experiments ticked for comparison (a third tick drops the oldest tick). */
function usePicked(rows: Experiment[]) {
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  /** Opens the comparison with the older experiment as the baseline. */
  const compare = () => {
    const [a, b] = picked
      .map((id) => rows.find((e) => e.id === id))
      .filter((e): e is Experiment => e !== undefined)
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt));
    if (a && b)
      navigate(
        `/experiments/compare?baseline=${encodeURIComponent(a.id)}&candidate=${encodeURIComponent(b.id)}`,
      );
  };
  return { picked, toggle, compare };
}

/** The page title: Experiments, and the dataset's name when the list is of one dataset. */
function Title({ datasetId }: { datasetId: string | undefined }) {
  const dataset = useApi(datasetId ? `ds:${datasetId}` : undefined, (signal) =>
    fetchDataset(datasetId ?? '', signal),
  );
  return (
    <>
      Experiments
      {datasetId && (
        <span className="faint" style={{ fontWeight: 400 }}>
          {' '}
          · {dataset.data?.data.name ?? datasetId}
        </span>
      )}
    </>
  );
}

/** The experiments page. */
export function ExperimentsPage({ route }: { route: Route }) {
  const datasetId = route.params.dataset;
  const { tick } = useRefresh();
  const canWrite = useCan('write');
  const [isCreating, setCreating] = useState(false);
  const list = usePaged(`experiments:${datasetId ?? ''}:${tick}`, (cursor, signal) =>
    fetchExperiments({ datasetId, cursor, limit: 100 }, signal),
  );
  const hasActive = list.rows.some((e) => isActive(e.status));
  const { reload } = list;
  useEffect(() => {
    if (!hasActive) return;
    const id = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(id);
  }, [hasActive, reload]);
  const confirmed = useConfirmedActions({
    texts: CONFIRMS,
    run: (e: Experiment, action) => (action === 'cancel' ? cancelExperiment(e.id) : deleteExperiment(e.id)),
    onDone: list.reload,
  });
  const { picked, toggle, compare } = usePicked(list.rows);
  return (
    <>
      <PageHeader title={<Title datasetId={datasetId} />}>
        {datasetId && (
          <Link className="btn" to="/experiments">
            All datasets
          </Link>
        )}
        <button
          type="button"
          className="btn"
          disabled={picked.length !== 2}
          title={
            picked.length === 2 ? 'The older is the baseline' : 'Tick two experiments on the same dataset'
          }
          onClick={compare}
        >
          Compare selected
        </button>
        <NewButton can={canWrite} what="experiment" onClick={() => setCreating(true)} />
      </PageHeader>
      <div className="content stack">
        {!canWrite.isAllowed && <ReadOnlyNote need="write" what="starting experiments" />}
        <ListStates
          list={list}
          label="Loading experiments…"
          empty={<NoExperiments canWrite={canWrite.isAllowed} />}
        >
          <section className="panel" aria-label="Experiments">
            <DataTable label="Experiments" columns={COLUMNS}>
              {list.rows.map((e) => (
                <ExperimentRow
                  key={e.id}
                  e={e}
                  isPicked={picked.includes(e.id)}
                  onPick={() => toggle(e.id)}
                  canWrite={canWrite.isAllowed}
                  onAsk={(action) => confirmed.ask(e, action)}
                />
              ))}
            </DataTable>
            <LoadMore list={{ ...list, isLoading: list.isLoading && !hasActive }} />
          </section>
        </ListStates>
      </div>
      {confirmed.dialog}
      {isCreating && (
        <NewExperimentDialog
          datasetId={datasetId}
          onClose={() => setCreating(false)}
          onStarted={(e) => navigate(`/experiments/${encodeURIComponent(e.id)}`)}
        />
      )}
    </>
  );
}
