/**
 * Model update impact (issue 15 item 8): from the Models page's before/after comparison, run
 * one dataset on the version before and the version after, with the same prompt, connection and
 * evaluators, then open the pair's comparison (the regression verdict on ground truth rather
 * than on production metrics alone).
 */
import { type FormEvent, useState } from 'react';
import { createExperiment } from '../../api-quality.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { TextField } from '../../components/FormControls.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useAction } from '../../lib/use-action.ts';
import { draftProblem, emptyRunDraft, RunFields, RunFooter, targetOf, useRunChoices } from './RunFields.tsx';

/** Props of {@link RunVersionsDialog}. */
export interface RunVersionsDialogProps {
  requestModel: string;
  /** The version before the boundary (the baseline). */
  before: string;
  /** The version after it (the candidate). */
  after: string;
  onClose: () => void;
}

/** The two model fields: side, label and input name. */
const VERSION_FIELDS = [
  ['before', 'Before (baseline model)', 'modelBefore'],
  ['after', 'After (candidate model)', 'modelAfter'],
] as const;

/** The dialog. */
export function RunVersionsDialog({ requestModel, before, after, onClose }: RunVersionsDialogProps) {
  const choices = useRunChoices();
  const [draft, setDraft] = useState(() => emptyRunDraft());
  const [models, setModels] = useState({ before, after });
  const action = useAction({ shouldStayBusy: true });
  const problem =
    draftProblem(draft) ??
    (!models.before.trim() || !models.after.trim() ? 'Name both models' : undefined) ??
    (models.before.trim() === models.after.trim() ? 'The two models are the same' : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    void action.run(async () => {
      const dataset = choices.data?.datasets.find((d) => d.id === draft.datasetId)?.name ?? 'dataset';
      const metadata = {
        modelUpdate: { requestModel, before: models.before.trim(), after: models.after.trim() },
      };
      const start = (model: string) =>
        createExperiment({
          name: `${dataset} · ${model}`,
          datasetId: draft.datasetId,
          target: targetOf(draft, model),
          evaluators: draft.evaluators,
          metadata,
        });
      const baseline = await start(models.before.trim());
      const candidate = await start(models.after.trim());
      navigate(
        `/experiments/compare?baseline=${encodeURIComponent(baseline.data.id)}&candidate=${encodeURIComponent(candidate.data.id)}`,
      );
    });
  };
  return (
    <Dialog title={`Run a dataset on both versions of ${requestModel}`} onClose={onClose} isWide>
      <form className="stack" aria-label="Run a dataset on both versions" onSubmit={submit}>
        <span className="muted">
          Two experiments with the same prompt and evaluators, one per version; the comparison says whether
          the update made answers significantly worse, with its p-value and interval.
        </span>
        <div className="row form-row">
          {VERSION_FIELDS.map(([side, label, name]) => (
            <TextField
              key={side}
              label={label}
              name={name}
              width="grow"
              required
              value={models[side]}
              onValue={(v) => setModels((m) => ({ ...m, [side]: v }))}
            />
          ))}
        </div>
        <RunFields draft={draft} onDraft={setDraft} choices={choices} />
        <RunFooter problem={problem} choices={choices} action={action} onCancel={onClose}>
          Run both and compare
        </RunFooter>
      </form>
    </Dialog>
  );
}
