/**
 * The form that creates or changes an evaluation rule, with a dry run: the rule as it stands is
 * run on the newest matching spans and each result shown before anything is saved.
 */
import type { EvaluationRule, Evaluator, RuleDryRun } from '@argus/shared';
import { SPAN_KINDS } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { createRule, updateRule, validateRule } from '../../api-online.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { FormActions, SelectField, TextField } from '../../components/FormControls.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { useAction } from '../../lib/use-action.ts';
import { draftOf, emptyDraft, inputOf, type RuleDraft } from './rule-form.ts';

/** Props of {@link RuleDialog}. */
export interface RuleDialogProps {
  evaluators: Evaluator[];
  /** The rule changed; absent for a new rule. */
  rule?: EvaluationRule;
  onClose: () => void;
  onSaved: (rule: EvaluationRule) => void;
}

function DryRunResults({ dry, evaluators }: { dry: RuleDryRun; evaluators: Evaluator[] }) {
  const nameOf = (id: string) => evaluators.find((e) => e.id === id)?.name ?? id;
  return (
    <section className="panel" aria-label="Dry run">
      <p className="muted">
        {dry.matched} recent span{dry.matched === 1 ? '' : 's'} match the filter; the newest {dry.sampled} in
        the sample were evaluated.
      </p>
      {dry.results.length > 0 && (
        <DataTable label="Dry run results" columns={['Span', 'Evaluator', 'Score', 'Label', 'Error']}>
          {dry.results.map((r) => (
            <tr key={`${r.spanId}-${r.evaluatorId}`}>
              <td className="mono">{r.spanId}</td>
              <td>{nameOf(r.evaluatorId)}</td>
              <td className="num">{r.score ?? ''}</td>
              <td>{r.label ?? ''}</td>
              <td className="error-text">{r.error ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** The rule's numeric limits after sampling and target: draft key, label, input name, least value, step. */
const LIMITS = [
  ['delaySeconds', 'Delay (s)', 'ruleDelay', 0, undefined],
  ['maxPerMinute', 'Max per minute', 'ruleMaxPerMinute', 1, undefined],
  ['dailyBudgetUsd', 'Daily budget $', 'ruleBudget', 0, 'any'],
] as const;

/** Sets part of the draft. */
type SetDraft = (patch: Partial<RuleDraft>) => void;

/** The evaluators the rule runs (checkboxes). */
function EvaluatorChoice({
  evaluators,
  chosen,
  onToggle,
}: {
  evaluators: Evaluator[];
  chosen: string[];
  onToggle: (id: string) => void;
}) {
  return (
    <fieldset className="stack">
      <legend>Evaluators</legend>
      {evaluators.length === 0 && (
        <p className="muted">No evaluators yet: create one under Settings → Evaluators.</p>
      )}
      {evaluators.map((e) => (
        <label key={e.id} className="row">
          <input type="checkbox" checked={chosen.includes(e.id)} onChange={() => onToggle(e.id)} /> {e.name}{' '}
          <span className="muted">({e.type})</span>
        </label>
      ))}
    </fieldset>
  );
}

/** Which spans the rule evaluates: kind, models, services and other filters. */
function FilterFields({ draft, set }: { draft: RuleDraft; set: SetDraft }) {
  const kinds = [['', 'any'] as const, ...SPAN_KINDS.map((k) => [k, k] as const)];
  return (
    <>
      <div className="row wrap">
        <SelectField
          label="Kind"
          name="ruleKind"
          width="narrow"
          options={kinds}
          value={draft.kind}
          onValue={(kind) => set({ kind })}
        />
        <TextField
          label="Models (comma-separated)"
          name="ruleModels"
          value={draft.models}
          onValue={(models) => set({ models })}
        />
        <TextField
          label="Services"
          name="ruleServices"
          value={draft.services}
          onValue={(services) => set({ services })}
        />
      </div>
      <label className="field">
        Other filters (name=value per line: tag, environment, status, userId, minDurationMs …)
        <textarea
          className="input"
          name="ruleOtherFilters"
          rows={2}
          value={draft.otherFilters}
          onChange={(e) => set({ otherFilters: e.target.value })}
        />
      </label>
    </>
  );
}

/** How much it evaluates: sampling, span or trace target, delay, rate and daily budget. */
function LimitFields({ draft, set }: { draft: RuleDraft; set: SetDraft }) {
  return (
    <div className="row wrap">
      <TextField
        label="Sampling (0–1)"
        name="ruleSampling"
        width="narrow"
        type="number"
        min={0}
        max={1}
        step="any"
        value={draft.samplingRate}
        onValue={(samplingRate) => set({ samplingRate })}
      />
      <SelectField
        label="Target"
        name="ruleTarget"
        width="narrow"
        options={[
          ['span', 'each span'],
          ['trace', 'each trace'],
        ]}
        value={draft.target}
        onValue={(target) => set({ target })}
      />
      {LIMITS.map(([key, label, name, min, step]) => (
        <TextField
          key={key}
          label={label}
          name={name}
          width="narrow"
          type="number"
          min={min}
          step={step}
          value={draft[key]}
          onValue={(value) => set({ [key]: value })}
        />
      ))}
    </div>
  );
}

/** The rule dialog. */
export function RuleDialog({ evaluators, rule, onClose, onSaved }: RuleDialogProps) {
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOf(rule) : emptyDraft()));
  const [dry, setDry] = useState<RuleDryRun | undefined>();
  const save = useAction({ shouldStayBusy: true });
  const check = useAction();
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const toggle = (id: string) =>
    set({
      evaluators: draft.evaluators.includes(id)
        ? draft.evaluators.filter((e) => e !== id)
        : [...draft.evaluators, id],
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(async () => {
      const input = inputOf(draft);
      const { data } = rule ? await updateRule(rule.id, input) : await createRule(input);
      onSaved(data);
    });
  };
  const dryRun = () =>
    void check.run(async () => {
      setDry(undefined);
      const { name, ...input } = inputOf(draft);
      setDry((await validateRule({ ...input, name: name || 'dry run', limit: 5 })).data);
    });
  return (
    <Dialog title={rule ? `Edit rule ${rule.name}` : 'New evaluation rule'} onClose={onClose} isWide>
      <form className="stack" aria-label="Evaluation rule" onSubmit={submit}>
        <TextField
          label="Name"
          name="ruleName"
          required
          maxLength={200}
          value={draft.name}
          onValue={(name) => set({ name })}
        />
        <EvaluatorChoice evaluators={evaluators} chosen={draft.evaluators} onToggle={toggle} />
        <FilterFields draft={draft} set={set} />
        <LimitFields draft={draft} set={set} />
        {check.error && <ErrorBox error={check.error} />}
        {dry && <DryRunResults dry={dry} evaluators={evaluators} />}
        {save.error && <ErrorBox error={save.error} />}
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <button
            type="button"
            className="btn"
            onClick={dryRun}
            disabled={check.isBusy || draft.evaluators.length === 0}
          >
            {check.isBusy ? 'Running…' : 'Dry run'}
          </button>
          <FormActions
            onCancel={onClose}
            isBusy={save.isBusy}
            busyLabel="Saving…"
            isDisabled={!draft.name.trim() || draft.evaluators.length === 0}
          >
            {rule ? 'Save rule' : 'Create rule'}
          </FormActions>
        </div>
      </form>
    </Dialog>
  );
}
