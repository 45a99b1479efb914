/**
 * One experiment (`/experiments/<id>`): status and progress (polled while it runs), each
 * evaluator's mean with its 95 % interval and its score distribution, latency, tokens and cost,
 * the label report of a label dataset, and every item run with its input, expected and actual
 * output, scores, latency, cost and error, linked to the run's trace.
 */
import type { Experiment, LabelReport } from '@argus/shared';
import { useEffect } from 'react';
import { cancelExperiment, fetchExperiment } from '../../api-quality.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Async, ErrorBox, ProblemBox } from '../../components/States.tsx';
import { formatCost, formatCount, formatDuration, formatPercent, formatTime } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import type { Route } from '../../lib/url-state.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import '../../styles/quality.css';
import { useCan } from '../account/auth-context.ts';
import { POLL_MS, ProgressCell } from './ExperimentsPage.tsx';
import { evaluatorNames, formatInterval, formatScore, isActive } from './experiment-stats.ts';
import { ItemRunsPanel } from './ItemRunsPanel.tsx';
import { ScoreHistogram } from './ScoreHistogram.tsx';
import { useRuns } from './use-runs.ts';

function Tile({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="panel stat" data-stat={label}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint && <div className="faint">{hint}</div>}
    </div>
  );
}

/** Accuracy, per-label precision/recall/F1 and the confusion matrix. */
export function LabelPanel({ report, title = 'Labels' }: { report: LabelReport; title?: string }) {
  return (
    <section className="panel" aria-label={title}>
      <div className="panel-head">
        {title} · accuracy {formatPercent(report.accuracy)}
      </div>
      <div className="panel-body grid cols-2">
        <DataTable label="Per label" columns={['Label', 'Support', 'Precision', 'Recall', 'F1']}>
          {report.perLabel.map((l) => (
            <tr key={l.label}>
              <td>{l.label}</td>
              <td className="num">{l.support}</td>
              <td className="num">{formatScore(l.precision)}</td>
              <td className="num">{formatScore(l.recall)}</td>
              <td className="num">{formatScore(l.f1)}</td>
            </tr>
          ))}
        </DataTable>
        <DataTable label="Confusion matrix" columns={['expected ↓ · answered →', ...report.labels]}>
          {report.labels.map((label, i) => (
            <tr key={label}>
              <td>{label}</td>
              {report.labels.map((other, j) => (
                <td
                  key={other}
                  className={`num${i === j ? ' ok-text' : (report.confusionMatrix[i]?.[j] ?? 0) > 0 ? ' error-text' : ' faint'}`}
                >
                  {report.confusionMatrix[i]?.[j] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      </div>
    </section>
  );
}

function Header({ e, onCancelled }: { e: Experiment; onCancelled: () => void }) {
  const canWrite = useCan('write');
  const cancelling = useAction();
  return (
    <PageHeader
      title={
        <>
          <Link
            to={`/experiments?dataset=${encodeURIComponent(e.datasetId)}`}
            className="muted"
            style={{ fontWeight: 400 }}
          >
            Experiments
          </Link>{' '}
          / {e.name}
        </>
      }
    >
      <ProgressCell experiment={e} />
      {isActive(e.status) && canWrite.isAllowed && (
        <button
          type="button"
          className="btn"
          disabled={cancelling.isBusy}
          onClick={() => void cancelling.run(() => cancelExperiment(e.id)).then(onCancelled)}
        >
          Cancel
        </button>
      )}
      <Link className="btn" to={`/datasets/${encodeURIComponent(e.datasetId)}`}>
        Dataset
      </Link>
      {cancelling.error && <ErrorBox error={cancelling.error} />}
    </PageHeader>
  );
}

/** Each evaluator's mean with its interval, latency, tokens, cost and errors. */
function SummaryTiles({ summary: s }: { summary: Experiment['summary'] }) {
  return (
    <div className="grid stats">
      {Object.entries(s.scores).map(([name, score]) => (
        <Tile
          key={name}
          label={name}
          value={formatScore(score.mean)}
          hint={`95 % ${formatInterval(score.ci95)} · n ${score.n}`}
        />
      ))}
      <Tile
        label="Latency p50"
        value={formatDuration(s.latencyMs?.p50)}
        hint={`p95 ${formatDuration(s.latencyMs?.p95)}`}
      />
      <Tile
        label="Tokens"
        value={formatCount(s.tokens.total)}
        hint={`${formatCount(s.tokens.input)} in · ${formatCount(s.tokens.output)} out`}
      />
      <Tile label="Cost" value={formatCost(s.costUsd)} />
      <Tile label="Errors" value={formatCount(s.errors)} />
    </div>
  );
}

/** What the experiment ran: the prompt's model or an external application, and its settings. */
function TargetLine({ e }: { e: Experiment }) {
  return (
    <div className="muted">
      {e.target.type === 'prompt' ? (
        <>
          Model <code>{e.target.model}</code> · {e.target.messages.length} prompt messages
        </>
      ) : e.target.type === 'shadow' ? (
        <>
          Gateway shadow <Link to="/gateway">{e.target.shadow}</Link> · {e.target.side}{' '}
          <code>{e.target.model}</code> (pairs recorded from live calls)
        </>
      ) : (
        'External application (outputs posted by the SDK or CLI)'
      )}{' '}
      · dataset version {formatTime(e.datasetVersion)} · {e.repetitions} repetition
      {e.repetitions === 1 ? '' : 's'} · concurrency {e.concurrency} · created {formatTime(e.createdAt)}
    </div>
  );
}

function Body({ e }: { e: Experiment }) {
  const runs = useRuns(e.id, `${e.status}:${e.progress.done}`);
  const rows = runs.data?.rows ?? [];
  const names = evaluatorNames(rows);
  return (
    <div className="content stack">
      {e.error && (
        <ProblemBox title={e.status === 'failed' ? 'The experiment failed' : 'The experiment stopped'}>
          {e.error}
        </ProblemBox>
      )}
      <TargetLine e={e} />
      <SummaryTiles summary={e.summary} />
      {names.length > 0 && (
        <div className="grid cols-3">
          {names.map((name, n) => (
            <section key={name} className="panel" aria-label={`Scores of ${name}`}>
              <div className="panel-head">Distribution · {name}</div>
              <div className="panel-body">
                <ScoreHistogram
                  name={name}
                  color={n}
                  values={rows.map((r) => r.scores[name]).filter((v): v is number => v !== undefined)}
                />
              </div>
            </section>
          ))}
        </div>
      )}
      {e.summary.labels && <LabelPanel report={e.summary.labels} />}
      <ItemRunsPanel e={e} runs={runs} names={names} />
    </div>
  );
}

/** The experiment page. */
export function ExperimentPage({ route }: { route: Route }) {
  const id = route.id ?? '';
  const { tick } = useRefresh();
  const experiment = useApi(`experiment:${id}:${tick}`, (signal) => fetchExperiment(id, signal));
  const { reload } = experiment;
  const status = experiment.data?.data.status;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each answer schedules the next poll
  useEffect(() => {
    if (!status || !isActive(status)) return;
    const timer = window.setTimeout(reload, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [status, experiment.data, reload]);
  return (
    <Async state={experiment} label="Loading experiment…">
      {({ data: e }) => (
        <>
          <Header e={e} onCancelled={reload} />
          <Body e={e} />
        </>
      )}
    </Async>
  );
}
