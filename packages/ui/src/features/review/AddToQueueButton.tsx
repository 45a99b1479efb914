/**
 * "Add to queue" from the trace view: puts the trace into an annotation queue for people to
 * review (members only; queues are made on the Annotation queues page).
 */
import type { QueueItemsAdded } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { addQueueItems, fetchQueues } from '../../api-annotation.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FormActions, SelectField } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { Empty, ErrorBox, Loading } from '../../components/States.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';

function AddToQueueDialog({ traceId, onClose }: { traceId: string; onClose: () => void }) {
  const queues = useApi('add-to-queue', (signal) => fetchQueues(signal));
  const [picked, setPicked] = useState('');
  const [added, setAdded] = useState<{ name: string; id: string; result: QueueItemsAdded } | undefined>();
  const { isBusy, error, run } = useAction();
  const rows = queues.data?.data ?? [];
  const choice = picked || rows[0]?.id || '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const queue = rows.find((q) => q.id === choice);
    if (!queue) return;
    void run(async () => {
      const { data } = await addQueueItems(queue.id, [{ objectType: 'trace', objectId: traceId }]);
      setAdded({ name: queue.name, id: queue.id, result: data });
    });
  };
  return (
    <Dialog title="Add to queue" onClose={onClose}>
      {queues.error ? (
        <ErrorBox error={queues.error} onRetry={queues.reload} />
      ) : !queues.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty title="No annotation queues">
          Create one on the <Link to="/queues">Annotation queues</Link> page first.
        </Empty>
      ) : added ? (
        <p role="status">
          {added.result.added > 0 ? 'Added to' : 'Already in'}{' '}
          <Link to={`/queues/${encodeURIComponent(added.id)}`}>{added.name}</Link>.
        </p>
      ) : (
        <form className="stack" aria-label="Add to queue" onSubmit={submit}>
          <SelectField
            label="Queue"
            name="queue"
            options={rows.map(
              (q) => [q.id, `${q.name} (${q.progress.completed}/${q.progress.total})`] as const,
            )}
            value={choice}
            onValue={setPicked}
          />
          {error && <ErrorBox error={error} />}
          <FormActions onCancel={onClose} isBusy={isBusy} busyLabel="Adding…">
            Add trace
          </FormActions>
        </form>
      )}
    </Dialog>
  );
}

/** The button and its dialog; nothing for callers who cannot write. */
export function AddToQueueButton({ traceId }: { traceId: string }) {
  const canWrite = useCan('write');
  const [isOpen, setOpen] = useState(false);
  if (!canWrite.isAllowed) return null;
  return (
    <>
      <button
        type="button"
        className="btn"
        title="Put this trace in an annotation queue for review"
        onClick={() => setOpen(true)}
      >
        Add to queue
      </button>
      {isOpen && <AddToQueueDialog traceId={traceId} onClose={() => setOpen(false)} />}
    </>
  );
}
