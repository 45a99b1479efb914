/**
 * Datasets (`/datasets`): the project's datasets with their item counts and latest version;
 * members create and delete them, everyone opens one. The empty state says the three ways in:
 * create and import a file, add spans from a trace, or the CLI.
 */

import type { Dataset } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { createDataset, deleteDataset, fetchDatasets } from '../../api-quality.ts';
import { type ConfirmText, useConfirmedActions } from '../../components/ConfirmDialog.tsx';
import { ActionsCell, DataTable, RowButton } from '../../components/DataTable.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { FormActions, TextField } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { NewButton, ReadOnlyNote } from '../../components/ReadOnlyNote.tsx';
import { Empty, ErrorBox, ListStates } from '../../components/States.tsx';
import { formatAgo, formatCount } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import type { Route } from '../../lib/url-state.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import '../../styles/quality.css';
import { useCan } from '../account/auth-context.ts';

/** The dialog that creates a dataset, then opens it. */
function NewDatasetDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (dataset: Dataset) => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { isBusy, error, run } = useAction({ shouldStayBusy: true });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { data } = await createDataset({
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      onCreated(data);
    });
  };
  return (
    <Dialog title="New dataset" onClose={onClose}>
      <form className="stack" aria-label="New dataset" onSubmit={submit}>
        <TextField
          label="Name"
          name="datasetName"
          required
          maxLength={200}
          placeholder="e.g. arithmetic-golden"
          value={name}
          onValue={setName}
        />
        <TextField
          label="Description"
          name="datasetDescription"
          maxLength={2000}
          placeholder="What the items test (optional)"
          value={description}
          onValue={setDescription}
        />
        {error && <ErrorBox error={error} />}
        <FormActions onCancel={onClose} isBusy={isBusy} busyLabel="Creating…" isDisabled={!name.trim()}>
          Create dataset
        </FormActions>
      </form>
    </Dialog>
  );
}

const CONFIRMS = {
  delete: (d: Dataset): ConfirmText => ({
    title: `Delete ${d.name}?`,
    confirmLabel: 'Delete dataset',
    isDanger: true,
    message: `Its ${formatCount(d.itemCount)} items and every earlier version go. Experiments already run on it keep their results.`,
  }),
};

/** The datasets page. */
export function DatasetsPage(_: { route: Route }) {
  const { tick } = useRefresh();
  const canWrite = useCan('write');
  const [isCreating, setCreating] = useState(false);
  const datasets = useApi(`datasets:${tick}`, (signal) => fetchDatasets(signal));
  const list = { ...datasets, rows: datasets.data?.data ?? [] };
  const confirmed = useConfirmedActions({
    texts: CONFIRMS,
    run: (d: Dataset) => deleteDataset(d.id),
    onDone: list.reload,
  });
  return (
    <>
      <PageHeader title="Datasets">
        <NewButton can={canWrite} what="dataset" onClick={() => setCreating(true)} />
      </PageHeader>
      <div className="content stack">
        {!canWrite.isAllowed && <ReadOnlyNote need="write" what="creating and changing datasets" />}
        <ListStates
          list={list}
          label="Loading datasets…"
          empty={
            <Empty title="No datasets yet">
              <p>
                A dataset holds inputs and expected outputs to run experiments on.{' '}
                {canWrite.isAllowed
                  ? 'Create one with New dataset, then import a JSONL or CSV file, '
                  : 'Members create them here, '}
                or open a trace and use <strong>Add to dataset</strong> on a span. From the command line:
              </p>
              <pre className="code">
                npx argus datasets import questions.csv --input-col q --expected-col a
              </pre>
            </Empty>
          }
        >
          <section className="panel" aria-label="Datasets">
            <DataTable
              label="Datasets"
              columns={['Name', 'Description', 'Items', 'Latest version', 'Created', '']}
            >
              {list.rows.map((d) => (
                <tr key={d.id} data-dataset={d.name}>
                  <td>
                    <Link to={`/datasets/${encodeURIComponent(d.id)}`}>{d.name}</Link>
                  </td>
                  <td className="muted" title={d.description} style={{ maxWidth: 360 }}>
                    {d.description || '–'}
                  </td>
                  <td className="num">{formatCount(d.itemCount)}</td>
                  <td title={d.versionAt}>{formatAgo(d.versionAt)}</td>
                  <td title={d.createdAt}>{formatAgo(d.createdAt)}</td>
                  <ActionsCell>
                    <RowButton onClick={() => navigate(`/experiments?dataset=${encodeURIComponent(d.id)}`)}>
                      Experiments
                    </RowButton>
                    {canWrite.isAllowed && (
                      <RowButton isDanger onClick={() => confirmed.ask(d, 'delete')}>
                        Delete
                      </RowButton>
                    )}
                  </ActionsCell>
                </tr>
              ))}
            </DataTable>
          </section>
        </ListStates>
      </div>
      {confirmed.dialog}
      {isCreating && (
        <NewDatasetDialog
          onClose={() => setCreating(false)}
          onCreated={(d) => navigate(`/datasets/${encodeURIComponent(d.id)}`)}
        />
      )}
    </>
  );
}
