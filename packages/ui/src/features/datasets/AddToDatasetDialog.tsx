/**
 * "Add to dataset" from the trace view: copies a span's input and output into a new item of a
 * dataset (the output becomes the expected output; the item keeps the span and trace it came
 * from). Picks an existing dataset or makes a new one on the way.
 */

import type { Dataset } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { createDataset, fetchDatasets, itemsFromSpans } from '../../api-quality.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FormActions, SelectField, TextField } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { ErrorBox, Loading } from '../../components/States.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';

const NEW = '(new)';

/** The dialog. */
export function AddToDatasetDialog({
  spanId,
  spanName,
  startTime,
  onClose,
}: {
  spanId: string;
  spanName: string;
  /** The span's start (ISO), so the server looks for it around then. */
  startTime: string;
  onClose: () => void;
}) {
  const datasets = useApi('add-to-dataset', (signal) => fetchDatasets(signal));
  const [picked, setPicked] = useState('');
  const [newName, setNewName] = useState('');
  const [added, setAdded] = useState<Dataset | undefined>();
  const { isBusy, error, run } = useAction();
  const rows = datasets.data?.data ?? [];
  const choice = picked || (rows[0]?.id ?? NEW);
  const isNew = choice === NEW;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const dataset = isNew
        ? (await createDataset({ name: newName.trim() })).data
        : rows.find((d) => d.id === choice);
      if (!dataset) return;
      const at = Date.parse(startTime);
      const window = Number.isFinite(at) ? { from: at - 3_600_000, to: at + 3_600_000 } : undefined;
      await itemsFromSpans(dataset.id, [spanId], window);
      setAdded(dataset);
    });
  };
  return (
    <Dialog title="Add to dataset" onClose={onClose}>
      {datasets.error ? (
        <ErrorBox error={datasets.error} onRetry={datasets.reload} />
      ) : !datasets.data ? (
        <Loading label="Loading datasets…" />
      ) : added ? (
        <div className="stack" role="status">
          <span>
            Added the input and output of <strong>{spanName}</strong> to {added.name}.
          </span>
          <div className="row" style={{ justifyContent: 'flex-end' }}>
            <button type="button" className="btn" onClick={onClose}>
              Close
            </button>
            <Link className="btn primary" to={`/datasets/${encodeURIComponent(added.id)}`}>
              Open {added.name}
            </Link>
          </div>
        </div>
      ) : (
        <form className="stack" aria-label="Add to dataset" onSubmit={submit}>
          <span className="muted">
            The span's input becomes the item's input and its output the expected output; the item links back
            to this span.
          </span>
          <SelectField
            label="Dataset"
            name="addDataset"
            options={[...rows.map((d) => [d.id, d.name] as const), [NEW, 'New dataset…'] as const]}
            value={choice}
            onValue={setPicked}
          />
          {isNew && (
            <TextField
              label="New dataset name"
              name="addDatasetName"
              required
              maxLength={200}
              value={newName}
              onValue={setNewName}
            />
          )}
          {error && <ErrorBox error={error} />}
          <FormActions
            onCancel={onClose}
            isBusy={isBusy}
            busyLabel="Adding…"
            isDisabled={isNew && !newName.trim()}
          >
            Add item
          </FormActions>
        </form>
      )}
    </Dialog>
  );
}
