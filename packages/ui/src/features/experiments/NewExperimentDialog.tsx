/** New experiment: a prompt run on a dataset through a connection, scored by evaluators; opens it when started. */

import type { Experiment } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { createExperiment } from '../../api-quality.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { TextField } from '../../components/FormControls.tsx';
import { useAction } from '../../lib/use-action.ts';
import {
  draftProblem,
  emptyRunDraft,
  modelsOf,
  RunFields,
  RunFooter,
  targetOf,
  useRunChoices,
} from './RunFields.tsx';

/** The dialog. */
export function NewExperimentDialog({
  datasetId,
  onClose,
  onStarted,
}: {
  datasetId?: string;
  onClose: () => void;
  onStarted: (experiment: Experiment) => void;
}) {
  const choices = useRunChoices();
  const [draft, setDraft] = useState(() => emptyRunDraft(datasetId));
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [repetitions, setRepetitions] = useState('1');
  const [concurrency, setConcurrency] = useState('4');
  const action = useAction({ shouldStayBusy: true });
  const reps = Number(repetitions);
  const conc = Number(concurrency);
  const problem =
    draftProblem(draft) ??
    (!model.trim() ? 'Name the model' : undefined) ??
    (!Number.isInteger(reps) || reps < 1 || reps > 20
      ? 'Repetitions: a whole number from 1 to 20'
      : undefined) ??
    (!Number.isInteger(conc) || conc < 1 || conc > 32
      ? 'Concurrency: a whole number from 1 to 32'
      : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    void action.run(async () => {
      const { data } = await createExperiment({
        name: name.trim() || `${model.trim()} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
        datasetId: draft.datasetId,
        target: targetOf(draft, model.trim()),
        evaluators: draft.evaluators,
        repetitions: reps,
        concurrency: conc,
      });
      onStarted(data);
    });
  };
  return (
    <Dialog title="New experiment" onClose={onClose} isWide>
      <form className="stack" aria-label="New experiment" onSubmit={submit}>
        <div className="row form-row">
          <TextField
            label="Name"
            name="experimentName"
            width="grow"
            maxLength={200}
            placeholder="default: the model and the time"
            value={name}
            onValue={setName}
          />
          <TextField
            label="Model"
            name="experimentModel"
            required
            maxLength={200}
            placeholder="e.g. gpt-4o-mini"
            list="experiment-models"
            value={model}
            onValue={setModel}
          />
          <datalist id="experiment-models">
            {modelsOf(choices, draft.connectionId).map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <TextField
            label="Repetitions"
            name="experimentRepetitions"
            width="narrow"
            inputMode="numeric"
            value={repetitions}
            onValue={setRepetitions}
          />
          <TextField
            label="Concurrency"
            name="experimentConcurrency"
            width="narrow"
            inputMode="numeric"
            value={concurrency}
            onValue={setConcurrency}
          />
        </div>
        <RunFields draft={draft} onDraft={setDraft} choices={choices} />
        <RunFooter problem={problem} choices={choices} action={action} onCancel={onClose}>
          Start experiment
        </RunFooter>
      </form>
    </Dialog>
  );
}
