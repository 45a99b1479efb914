/**
 * The fields that describe a prompt experiment: the dataset, the LLM connection, the prompt
 * (a system message and a user message with `{{input}}` variables) and the evaluators. Shared by
 * New experiment and the Models page's "Run a dataset on both versions". Every list that is
 * empty says where to make its first entry.
 */
import type { Dataset, Evaluator, LlmConnection, PromptTarget } from '@argus/shared';
import { fetchConnections, fetchDatasets, fetchEvaluators } from '../../api-quality.ts';
import { FormActions, SelectField } from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { ErrorBox, Loading } from '../../components/States.tsx';
import { formatCount } from '../../lib/format.ts';
import type { Action } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';

/** What the fields hold. */
export interface RunDraft {
  datasetId: string;
  connectionId: string;
  system: string;
  user: string;
  evaluators: string[];
}

/** A new draft (on the dataset in the URL, if any). */
export function emptyRunDraft(datasetId = ''): RunDraft {
  return {
    datasetId,
    connectionId: '',
    system: 'Answer with the result only.',
    user: '{{input}}',
    evaluators: [],
  };
}

/** The prompt target of a draft for one model. */
export function targetOf(draft: RunDraft, model: string): PromptTarget {
  const messages: PromptTarget['messages'] = [];
  if (draft.system.trim()) messages.push({ role: 'system', content: draft.system });
  messages.push({ role: 'user', content: draft.user });
  return { type: 'prompt', connectionId: draft.connectionId, model, messages };
}

/** What is missing before the draft can run, or undefined. */
export function draftProblem(draft: RunDraft): string | undefined {
  if (!draft.datasetId) return 'Pick a dataset';
  if (!draft.connectionId) return 'Pick an LLM connection';
  if (!draft.user.trim()) return 'The user message is empty';
  return undefined;
}

/** The lists the fields choose from, loaded once. */
export function useRunChoices() {
  return useApi('run-choices', async (signal) => {
    const [datasets, connections, evaluators] = await Promise.all([
      fetchDatasets(signal),
      fetchConnections(signal),
      fetchEvaluators(signal),
    ]);
    return { datasets: datasets.data, connections: connections.data, evaluators: evaluators.data };
  });
}

/** The fields. */
export function RunFields({
  draft,
  onDraft,
  choices,
}: {
  draft: RunDraft;
  onDraft: (draft: RunDraft) => void;
  choices: ReturnType<typeof useRunChoices>;
}) {
  if (choices.error) return <ErrorBox error={choices.error} onRetry={choices.reload} />;
  if (!choices.data) return <Loading label="Loading datasets, connections and evaluators…" />;
  const { datasets, connections, evaluators } = choices.data as {
    datasets: Dataset[];
    connections: LlmConnection[];
    evaluators: Evaluator[];
  };
  const set = (patch: Partial<RunDraft>) => onDraft({ ...draft, ...patch });
  const toggle = (id: string) =>
    set({
      evaluators: draft.evaluators.includes(id)
        ? draft.evaluators.filter((e) => e !== id)
        : [...draft.evaluators, id],
    });
  return (
    <div className="stack">
      <div className="row form-row">
        {datasets.length === 0 ? (
          <span className="muted" data-testid="no-datasets">
            No dataset yet: <Link to="/datasets">create one under Datasets</Link> first.
          </span>
        ) : (
          <SelectField
            label="Dataset"
            name="runDataset"
            width="grow"
            options={[
              ['', 'Pick a dataset'] as const,
              ...datasets.map((d) => [d.id, `${d.name} (${formatCount(d.itemCount)} items)`] as const),
            ]}
            value={draft.datasetId}
            onValue={(datasetId) => set({ datasetId })}
          />
        )}
        {connections.length === 0 ? (
          <span className="muted" data-testid="no-connections">
            No LLM connection yet: a project admin adds one in{' '}
            <Link to="/settings/connections">Settings → LLM connections</Link>.
          </span>
        ) : (
          <SelectField
            label="LLM connection"
            name="runConnection"
            width="grow"
            options={[
              ['', 'Pick a connection'] as const,
              ...connections.map((c) => [c.id, `${c.name} (${c.provider})`] as const),
            ]}
            value={draft.connectionId}
            onValue={(connectionId) => set({ connectionId })}
          />
        )}
      </div>
      <label className="field">
        System message (optional)
        <textarea
          className="input"
          name="runSystem"
          rows={2}
          value={draft.system}
          onChange={(e) => set({ system: e.target.value })}
        />
      </label>
      <label className="field">
        <span>
          User message: <code>{'{{input}}'}</code>, <code>{'{{input.field}}'}</code>,{' '}
          <code>{'{{metadata.x}}'}</code> are filled from each item
        </span>
        <textarea
          className="input"
          name="runUser"
          rows={3}
          required
          value={draft.user}
          onChange={(e) => set({ user: e.target.value })}
        />
      </label>
      <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend>Evaluators</legend>
        {evaluators.length === 0 ? (
          <span className="muted" data-testid="no-evaluators">
            No evaluator yet: outputs are recorded but not scored. Add one in{' '}
            <Link to="/settings/evaluators">Settings → Evaluators</Link>.
          </span>
        ) : (
          <div className="row">
            {evaluators.map((e) => (
              <label key={e.id} className="row nowrap" style={{ gap: 4 }}>
                <input
                  type="checkbox"
                  name="runEvaluator"
                  value={e.id}
                  checked={draft.evaluators.includes(e.id)}
                  onChange={() => toggle(e.id)}
                />
                {e.name} <span className="faint">({e.type})</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
    </div>
  );
}

/** The models a connection declares (for a model field's suggestions). */
export function modelsOf(choices: ReturnType<typeof useRunChoices>, connectionId: string): string[] {
  const connection = choices.data?.connections.find((c) => c.id === connectionId);
  return (connection?.models ?? []).filter((m) => !m.includes('*'));
}

/** Props of {@link RunFooter}. */
export interface RunFooterProps {
  /** What still stops the start ({@link draftProblem} and the dialog's own checks). */
  problem: string | undefined;
  /** The dialog's choices: the hint waits for them to load. */
  choices: ReturnType<typeof useRunChoices>;
  /** The start request's state. */
  action: Pick<Action, 'isBusy' | 'error'>;
  onCancel: () => void;
  /** The start button's label. */
  children: string;
}

/** The end of a run dialog: what is missing to start, the server's error, Cancel and the start button. */
export function RunFooter({ problem, choices, action, onCancel, children }: RunFooterProps) {
  return (
    <>
      {problem && choices.data && (
        <span className="faint">To start: {problem.charAt(0).toLowerCase() + problem.slice(1)}.</span>
      )}
      {action.error && <ErrorBox error={action.error} />}
      <FormActions
        onCancel={onCancel}
        isBusy={action.isBusy}
        busyLabel="Starting…"
        isDisabled={problem !== undefined}
      >
        {children}
      </FormActions>
    </>
  );
}
