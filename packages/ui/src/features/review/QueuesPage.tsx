/**
 * Annotation queues (`/queues`): each queue with its progress overall and per reviewer, a button
 * into its review screen, and for members a dialog that creates a queue (and the score configs
 * it asks for, on the way).
 */
import type { AnnotationQueue, ScoreConfig } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { createQueue, createScoreConfig, fetchQueues, fetchScoreConfigs } from '../../api-annotation.ts';
import { ActionsCell, DataTable, RowButton } from '../../components/DataTable.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { FormActions, SelectField, TextField } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { NewButton } from '../../components/ReadOnlyNote.tsx';
import { Empty, ErrorBox, ListStates } from '../../components/States.tsx';
import { formatAgo } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import type { Route } from '../../lib/url-state.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import '../../styles/review.css';
import { useCan } from '../account/auth-context.ts';
import { AddFromFilterDialog } from './AddFromFilterDialog.tsx';

const TYPES = [
  ['boolean', 'Yes / no'],
  ['categorical', 'Labels'],
  ['numeric', 'Number'],
] as const;

/** `bad=0, ok=1, good=2` → categories. */
function parseCategories(text: string): { label: string; value: number }[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, i) => {
      const [label = '', value] = part.split('=').map((s) => s.trim());
      return { label, value: value === undefined || value === '' ? i : Number(value) };
    });
}

/** The dialog that creates a queue with one score config (new or existing). */
function NewQueueDialog({ configs, onClose }: { configs: ScoreConfig[]; onClose: () => void }) {
  const [name, setName] = useState('');
  const [configId, setConfigId] = useState(configs[0]?.id ?? '');
  const [scoreName, setScoreName] = useState('');
  const [dataType, setDataType] = useState<ScoreConfig['dataType']>('boolean');
  const [categories, setCategories] = useState('bad=0, ok=1, good=2');
  const [isDouble, setDouble] = useState(false);
  const { isBusy, error, run } = useAction({ shouldStayBusy: true });
  const isNewConfig = configId === '' || configId === 'new';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const config = isNewConfig
        ? (
            await createScoreConfig({
              name: scoreName.trim(),
              dataType,
              ...(dataType === 'categorical' ? { categories: parseCategories(categories) } : {}),
              ...(dataType === 'numeric' ? { min: 1, max: 5 } : {}),
            })
          ).data
        : configs.find((c) => c.id === configId);
      if (!config) return;
      const { data } = await createQueue({
        name: name.trim(),
        scoreConfigIds: [config.id],
        ...(isDouble ? { reviewsPerItem: 2 } : {}),
      });
      navigate(`/queues/${encodeURIComponent(data.id)}`);
    });
  };
  const options = [
    ...configs.map((c) => [c.id, `${c.name} (${c.dataType})`] as const),
    ['new', 'New score…'] as const,
  ];
  return (
    <Dialog title="New annotation queue" onClose={onClose}>
      <form className="stack" aria-label="New annotation queue" onSubmit={submit}>
        <TextField label="Name" name="queueName" required maxLength={200} value={name} onValue={setName} />
        <SelectField
          label="Score"
          name="queueScore"
          options={options}
          value={configId || 'new'}
          onValue={setConfigId}
        />
        {isNewConfig && (
          <>
            <TextField
              label="Score name"
              name="scoreName"
              required
              maxLength={200}
              value={scoreName}
              onValue={setScoreName}
            />
            <SelectField
              label="Type"
              name="scoreType"
              options={TYPES}
              value={dataType}
              onValue={setDataType}
            />
            {dataType === 'categorical' && (
              <TextField
                label="Labels (label=value, …)"
                name="scoreLabels"
                value={categories}
                onValue={setCategories}
              />
            )}
          </>
        )}
        <label className="row">
          <input type="checkbox" checked={isDouble} onChange={(e) => setDouble(e.target.checked)} /> Two
          reviewers per item (measures people's agreement)
        </label>
        {error && <ErrorBox error={error} />}
        <FormActions onCancel={onClose} isBusy={isBusy} busyLabel="Creating…" isDisabled={!name.trim()}>
          Create queue
        </FormActions>
      </form>
    </Dialog>
  );
}

/** A queue's progress: a bar and the count per reviewer. */
export function QueueProgressBar({ queue }: { queue: AnnotationQueue }) {
  const { total, completed, byAssignee } = queue.progress;
  const share = total === 0 ? 0 : completed / total;
  return (
    <div className="queue-progress" title={`${completed} of ${total} completed`}>
      <div className="bar">
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <span className="num">
        {completed}/{total}
      </span>
      {Object.entries(byAssignee).map(([who, p]) => (
        <span key={who} className="chip" title={`${p.inProgress} in progress`}>
          {who}: {p.completed}
        </span>
      ))}
    </div>
  );
}

/** The queues page. */
export function QueuesPage(_: { route: Route }) {
  const { tick } = useRefresh();
  const canWrite = useCan('write');
  const [isCreating, setCreating] = useState(false);
  const [adding, setAdding] = useState<AnnotationQueue | undefined>();
  const queues = useApi(`queues:${tick}`, (signal) => fetchQueues(signal));
  const configs = useApi(`score-configs:${tick}`, (signal) => fetchScoreConfigs(signal));
  const list = { ...queues, rows: queues.data?.data ?? [] };
  return (
    <>
      <PageHeader title="Annotation queues">
        <NewButton can={canWrite} what="queue" onClick={() => setCreating(true)} />
      </PageHeader>
      <div className="content stack">
        <ListStates
          list={list}
          label="Loading queues…"
          empty={
            <Empty title="No annotation queues yet">
              <p>
                A queue holds traces for people to review with the scores you define. Create one, then open a
                trace and use <strong>Add to queue</strong>, or add traces from the command line:
              </p>
              <pre className="code">npx argus queues add &lt;queueId&gt; --trace &lt;traceId&gt;</pre>
            </Empty>
          }
        >
          <section className="panel" aria-label="Annotation queues">
            <DataTable
              label="Annotation queues"
              columns={['Name', 'Progress', 'Reviews per item', 'Created', '']}
            >
              {list.rows.map((q) => (
                <tr key={q.id} data-queue={q.name}>
                  <td>
                    <Link to={`/queues/${encodeURIComponent(q.id)}`}>{q.name}</Link>
                    {q.description && <div className="muted">{q.description}</div>}
                  </td>
                  <td>
                    <QueueProgressBar queue={q} />
                  </td>
                  <td className="num">{q.reviewsPerItem}</td>
                  <td title={q.createdAt}>{formatAgo(q.createdAt)}</td>
                  <ActionsCell>
                    {canWrite.isAllowed && <RowButton onClick={() => setAdding(q)}>Add traces</RowButton>}
                    <Link className="btn small" to={`/queues/${encodeURIComponent(q.id)}`}>
                      Review
                    </Link>
                  </ActionsCell>
                </tr>
              ))}
            </DataTable>
          </section>
        </ListStates>
      </div>
      {adding && (
        <AddFromFilterDialog
          queue={adding}
          onClose={() => {
            setAdding(undefined);
            queues.reload();
          }}
        />
      )}
      {isCreating && <NewQueueDialog configs={configs.data?.data ?? []} onClose={() => setCreating(false)} />}
    </>
  );
}
