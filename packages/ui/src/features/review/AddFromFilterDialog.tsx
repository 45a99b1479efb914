/**
 * "Add traces" on the queues page: the traces a filter matches (service, model, tag, status,
 * a time range), newest first, up to a limit, go into the queue; traces already there are
 * counted, not added twice.
 */
import type { AnnotationQueue, QueueItemsAdded } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { addQueueItemsFromFilter } from '../../api-annotation.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FormActions, SelectField, TextField } from '../../components/FormControls.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { useAction } from '../../lib/use-action.ts';

const RANGES = [
  ['1', 'last hour'],
  ['24', 'last 24 hours'],
  ['168', 'last 7 days'],
] as const;
const STATUSES = [
  ['', 'any status'],
  ['error', 'errors only'],
  ['ok', 'ok only'],
] as const;

/** The filter as the spans API reads it (empty fields left out). */
export function filterOf(fields: {
  service: string;
  model: string;
  tag: string;
  status: string;
  hours: number;
  nowMs: number;
}): Record<string, string | number> {
  const filter: Record<string, string | number> = {
    from: fields.nowMs - fields.hours * 3_600_000,
    to: fields.nowMs,
  };
  for (const key of ['service', 'model', 'tag', 'status'] as const) {
    const value = fields[key].trim();
    if (value) filter[key] = value;
  }
  return filter;
}

/** The dialog. */
export function AddFromFilterDialog({ queue, onClose }: { queue: AnnotationQueue; onClose: () => void }) {
  const [service, setService] = useState('');
  const [model, setModel] = useState('');
  const [tag, setTag] = useState('');
  const [status, setStatus] = useState('');
  const [hours, setHours] = useState('24');
  const [limit, setLimit] = useState('50');
  const [added, setAdded] = useState<QueueItemsAdded | undefined>();
  const { isBusy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const filter = filterOf({ service, model, tag, status, hours: Number(hours), nowMs: Date.now() });
      setAdded((await addQueueItemsFromFilter(queue.id, filter, Number(limit) || 50)).data);
    });
  };
  return (
    <Dialog title={`Add traces to ${queue.name}`} onClose={onClose}>
      <form className="stack" aria-label="Add traces" onSubmit={submit}>
        <div className="row form-row">
          <TextField label="Service" name="filterService" value={service} onValue={setService} />
          <TextField label="Model" name="filterModel" value={model} onValue={setModel} />
          <TextField label="Tag" name="filterTag" value={tag} onValue={setTag} />
        </div>
        <div className="row form-row">
          <SelectField
            label="Status"
            name="filterStatus"
            options={STATUSES}
            value={status}
            onValue={setStatus}
          />
          <SelectField label="Time" name="filterRange" options={RANGES} value={hours} onValue={setHours} />
          <TextField
            label="At most"
            name="filterLimit"
            type="number"
            min={1}
            max={1000}
            value={limit}
            onValue={setLimit}
          />
        </div>
        {added && (
          <p role="status">
            Added {added.added} trace{added.added === 1 ? '' : 's'}
            {added.existing > 0 ? `; ${added.existing} already in the queue` : ''}.
          </p>
        )}
        {error && <ErrorBox error={error} />}
        <FormActions onCancel={onClose} isBusy={isBusy} busyLabel="Adding…">
          Add matching traces
        </FormActions>
      </form>
    </Dialog>
  );
}
