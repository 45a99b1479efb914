/**
 * The review screen (`/queues/{id}`), made for the keyboard: the server hands the reviewer the
 * next item and locks it; the trace's messages show as chat (the trace view's rendering); digits
 * pick the score choices, Enter (Ctrl+Enter in a text box) completes and moves on, k / j (or ← / →)
 * step back through the reviewer's own completed items and forward again — a past item can be
 * re-scored.
 */
import type { AnnotationQueue, QueueItem, ScoreConfig } from '@argus/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  completeQueueItem,
  fetchQueue,
  fetchReviewed,
  fetchScoreConfigs,
  nextQueueItem,
} from '../../api-annotation.ts';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { isTyping } from '../../lib/keyboard.ts';
import type { Route } from '../../lib/url-state.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import '../../styles/review.css';
import { CorrectedOutput } from './CorrectedOutput.tsx';
import { QueueProgressBar } from './QueuesPage.tsx';
import { ReviewItem } from './ReviewItem.tsx';
import { type Choice, choicesOf, isComplete, scoresOf } from './review-keys.ts';

type Position = number | 'current';

/** The review state: the item the server handed out, the reviewer's history and where we are. */
function useReviewFlow(queueId: string) {
  const [current, setCurrent] = useState<QueueItem | null | undefined>();
  const [reviewer, setReviewer] = useState('');
  const [history, setHistory] = useState<QueueItem[]>([]);
  const [position, setPosition] = useState<Position>('current');
  const [error, setError] = useState<Error | undefined>();
  const loadNext = useCallback(async () => {
    try {
      const answer = await nextQueueItem(queueId);
      setReviewer(answer.reviewer);
      setCurrent(answer.data);
      setHistory((await fetchReviewed(queueId, answer.reviewer)).data);
      setPosition('current');
    } catch (e) {
      setError(e as Error);
    }
  }, [queueId]);
  useEffect(() => {
    void loadNext();
  }, [loadNext]);
  const shown = position === 'current' ? current : history[position];
  const back = () =>
    setPosition((p) =>
      history.length === 0 ? p : p === 'current' ? history.length - 1 : Math.max(0, p - 1),
    );
  const forward = () => setPosition((p) => (p === 'current' || p + 1 >= history.length ? 'current' : p + 1));
  return { shown, reviewer, history, position, error, loadNext, back, forward, setHistory };
}

/** The page. */
export function ReviewPage({ route }: { route: Route }) {
  const queueId = route.id ?? '';
  const queue = useApi(`queue:${queueId}`, (signal) => fetchQueue(queueId, signal));
  const configsAll = useApi('score-configs', (signal) => fetchScoreConfigs(signal));
  const flow = useReviewFlow(queueId);
  const configs = useMemo(() => {
    const ids = queue.data?.data.scoreConfigIds ?? [];
    const byId = new Map((configsAll.data?.data ?? []).map((c) => [c.id, c]));
    return ids.map((id) => byId.get(id)).filter((c): c is ScoreConfig => c !== undefined);
  }, [queue.data, configsAll.data]);
  if (queue.error) return <ErrorBox error={queue.error} onRetry={queue.reload} />;
  if (!queue.data || !configsAll.data) return <Loading label="Loading the queue…" />;
  return (
    <>
      <PageHeader
        title={
          <>
            <Link to="/queues" className="btn ghost small" aria-label="Back to queues">
              <Icons.back />
            </Link>
            <span className="ellipsis">{queue.data.data.name}</span>
          </>
        }
      >
        <QueueProgressBar queue={queue.data.data} />
      </PageHeader>
      <div className="content stack">
        {flow.error && <ErrorBox error={flow.error} onRetry={() => void flow.loadNext()} />}
        {flow.shown === undefined && !flow.error ? (
          <Loading label="Asking for the next item…" />
        ) : flow.shown === null ? (
          <Empty title="Nothing left to review">
            Every item of this queue is reviewed or held by someone else.{' '}
            {flow.history.length > 0 && 'Press k to look back at the items you reviewed.'}
          </Empty>
        ) : flow.shown ? (
          <ReviewPanel
            key={`${flow.shown.id}:${flow.position}`}
            queue={queue.data.data}
            item={flow.shown}
            reviewer={flow.reviewer}
            configs={configs}
            position={
              flow.position === 'current' ? undefined : { at: flow.position + 1, of: flow.history.length }
            }
            onDone={(done) => {
              queue.reload();
              if (flow.position === 'current') void flow.loadNext();
              else {
                flow.setHistory((h) => h.map((i) => (i.id === done.id ? done : i)));
                flow.forward();
              }
            }}
          />
        ) : null}
        <KeyNavigation onBack={flow.back} onForward={flow.forward} />
      </div>
    </>
  );
}

/** k / j and ← / → step through the reviewer's history (outside text boxes). */
function KeyNavigation({ onBack, onForward }: { onBack: () => void; onForward: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === 'k' || event.key === 'ArrowLeft') onBack();
      else if (event.key === 'j' || event.key === 'ArrowRight') onForward();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack, onForward]);
  return (
    <p className="muted review-keys">
      <kbd>1</kbd>–<kbd>9</kbd> score · <kbd>Enter</kbd> complete and next · <kbd>k</kbd> previous ·{' '}
      <kbd>j</kbd> next
    </p>
  );
}

/** One score config's input: the choices as buttons with their digit, or a number. */
function ScoreField({
  config,
  choices,
  value,
  onValue,
}: {
  config: ScoreConfig;
  choices: Choice[];
  value: string | undefined;
  onValue: (value: string) => void;
}) {
  return (
    <fieldset className="score-field" aria-label={config.name}>
      <legend>{config.name}</legend>
      {config.description && <p className="muted">{config.description}</p>}
      {config.dataType === 'numeric' ? (
        <input
          type="number"
          aria-label={`${config.name} value`}
          min={config.min}
          max={config.max}
          value={value ?? ''}
          onChange={(e) => onValue(e.target.value)}
        />
      ) : (
        <div className="row">
          {choices
            .filter((c) => c.config === config.name)
            .map((c) => (
              <button
                key={c.label}
                type="button"
                className={value === c.label ? 'btn primary' : 'btn'}
                aria-pressed={value === c.label}
                onClick={() => onValue(c.label)}
              >
                {c.key && <kbd>{c.key}</kbd>} {c.label}
              </button>
            ))}
        </div>
      )}
    </fieldset>
  );
}

/** One item: its content and the score form. */
function ReviewPanel({
  queue,
  item,
  reviewer,
  configs,
  position,
  onDone,
}: {
  queue: AnnotationQueue;
  item: QueueItem;
  reviewer: string;
  configs: ScoreConfig[];
  position: { at: number; of: number } | undefined;
  onDone: (item: QueueItem) => void;
}) {
  const mine = item.reviews.find((r) => r.reviewer === reviewer && r.status === 'completed');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries((mine?.scores ?? []).map((s) => [s.name, s.stringValue ?? String(s.value)])),
  );
  const [comment, setComment] = useState(mine?.comment ?? '');
  const [corrected, setCorrected] = useState(
    typeof mine?.correctedOutput === 'string' ? mine.correctedOutput : '',
  );
  const [datasetId, setDatasetId] = useState('');
  const choices = useMemo(() => choicesOf(configs), [configs]);
  const { isBusy, error, run } = useAction();
  const canSubmit = isComplete(configs, values) && !isBusy;
  const submit = useCallback(() => {
    if (!canSubmit) return;
    void run(async () => {
      const { data } = await completeQueueItem(queue.id, item.id, {
        scores: scoresOf(configs, values),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(corrected.trim() ? { correctedOutput: corrected.trim() } : {}),
        ...(corrected.trim() && datasetId ? { datasetId } : {}),
      });
      onDone(data.item);
    });
  }, [canSubmit, run, queue.id, item.id, configs, values, comment, corrected, datasetId, onDone]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey || !isTyping(event.target))) {
        event.preventDefault();
        submit();
        return;
      }
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
      const choice = choices.find((c) => c.key !== '' && c.key === event.key);
      if (choice) setValues((v) => ({ ...v, [choice.config]: choice.label }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [choices, submit]);
  return (
    <div className="review-grid">
      <ReviewItem item={item} />
      <section className="panel review-form" aria-label="Scores">
        <div className="panel-head">
          {position ? `Your review ${position.at} of ${position.of}` : 'Your review'}
          <span className="spacer" />
          <span className="muted">as {reviewer}</span>
        </div>
        <div className="panel-body stack">
          {configs.map((config) => (
            <ScoreField
              key={config.id}
              config={config}
              choices={choices}
              value={values[config.name]}
              onValue={(value) => setValues((v) => ({ ...v, [config.name]: value }))}
            />
          ))}
          <label className="field">
            Comment
            <textarea
              aria-label="Comment"
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
          <CorrectedOutput
            text={corrected}
            onText={setCorrected}
            datasetId={datasetId}
            onDataset={setDatasetId}
            hasTrace={item.traceId !== undefined}
          />
          {error && <ErrorBox error={error} />}
          <button type="button" className="btn primary" disabled={!canSubmit} onClick={submit}>
            {isBusy ? 'Saving…' : 'Complete and next'}
          </button>
        </div>
      </section>
    </div>
  );
}
