/**
 * Settings → Evaluators: the scorers experiments use (code checks and LLM judges). Project
 * members and admins (the server's rule) create them from a type and its JSON configuration (each type starts from a working
 * example), test one on a sample, and delete them. A judge's test links to its trace.
 */
import { EVALUATOR_TYPES, type Evaluator, type EvaluatorTestResult, type EvaluatorType } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import {
  createEvaluator,
  deleteEvaluator,
  fetchConnections,
  fetchEvaluators,
  testEvaluator,
} from '../../api-quality.ts';
import { type ConfirmText, useConfirmedActions } from '../../components/ConfirmDialog.tsx';
import { ActionsCell, RowButton } from '../../components/DataTable.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import {
  FieldError,
  FormActions,
  SelectField,
  SubmitButton,
  TextField,
} from '../../components/FormControls.tsx';
import { Link } from '../../components/Link.tsx';
import { Empty, ErrorBox } from '../../components/States.tsx';
import { formatAgo, formatDuration } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { previewOf } from '../datasets/dataset-text.ts';
import { AgreementDialog } from '../review/AgreementDialog.tsx';
import { configTemplate, EVALUATOR_HELP, parseConfig, sampleValue } from './quality-forms.ts';
import { NewEntryPanel, TablePanel } from './SettingsPanel.tsx';

function NewEvaluatorForm({ onCreated }: { onCreated: () => void }) {
  const connections = useApi('eval-connections', (signal) => fetchConnections(signal));
  const firstConnection = connections.data?.data[0]?.id;
  const [name, setName] = useState('');
  const [type, setType] = useState<EvaluatorType>('exact_match');
  const [configText, setConfigText] = useState(() => JSON.stringify(configTemplate('exact_match'), null, 2));
  const { isBusy, error, run } = useAction();
  const parsed = parseConfig(configText);
  const pickType = (next: EvaluatorType) => {
    setType(next);
    setConfigText(JSON.stringify(configTemplate(next, firstConnection), null, 2));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.config) return;
    const config = parsed.config;
    void run(async () => {
      await createEvaluator({ name: name.trim(), type, config });
      setName('');
      onCreated();
    });
  };
  const needsConnection = type === 'llm_judge' || type === 'embedding_similarity' || type === 'perplexity';
  return (
    <form className="stack" aria-label="New evaluator" onSubmit={submit}>
      <div className="row form-row">
        <TextField
          label="Name"
          name="evaluatorName"
          required
          maxLength={100}
          placeholder="e.g. exact"
          value={name}
          onValue={setName}
        />
        <SelectField
          label="Type"
          name="evaluatorType"
          options={EVALUATOR_TYPES}
          value={type}
          onValue={pickType}
        />
        <span className="faint" style={{ alignSelf: 'center' }}>
          {EVALUATOR_HELP[type]}
        </span>
      </div>
      {needsConnection && (connections.data?.data.length ?? 0) === 0 && (
        <span className="muted">
          This type calls a model: add an <Link to="/settings/connections">LLM connection</Link> first, then
          put its id in <code>connectionId</code>.
        </span>
      )}
      <label className="field">
        Configuration (JSON; docs/evaluation.md lists each type's fields)
        <textarea
          className="input mono"
          name="evaluatorConfig"
          rows={Math.min(12, configText.split('\n').length + 1)}
          spellCheck={false}
          aria-invalid={parsed.error !== undefined}
          value={configText}
          onChange={(e) => setConfigText(e.target.value)}
        />
      </label>
      {parsed.error && <FieldError>{parsed.error}</FieldError>}
      {error && <ErrorBox error={error} />}
      <div className="row">
        <SubmitButton
          isBusy={isBusy}
          busyLabel="Saving…"
          isDisabled={!name.trim() || parsed.error !== undefined}
        >
          Add evaluator
        </SubmitButton>
      </div>
    </form>
  );
}

/** Dry-runs an evaluator on one typed sample. */
function TestDialog({ evaluator, onClose }: { evaluator: Evaluator; onClose: () => void }) {
  const [sample, setSample] = useState({ input: '', output: '', expected: '' });
  const [result, setResult] = useState<EvaluatorTestResult | undefined>();
  const { isBusy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setResult(undefined);
    void run(async () => {
      const input = sampleValue(sample.input);
      const expected = sampleValue(sample.expected);
      const { data } = await testEvaluator(evaluator.id, {
        output: sampleValue(sample.output) ?? '',
        ...(input !== undefined ? { input } : {}),
        ...(expected !== undefined ? { expected } : {}),
      });
      setResult(data);
    });
  };
  const field = (key: keyof typeof sample, label: string) => (
    <TextField
      label={label}
      name={`sample-${key}`}
      width="grow"
      value={sample[key]}
      onValue={(v) => setSample((s) => ({ ...s, [key]: v }))}
    />
  );
  return (
    <Dialog title={`Test ${evaluator.name}`} onClose={onClose} isWide>
      <form className="stack" aria-label="Test evaluator" onSubmit={submit}>
        {field('input', 'Input')}
        {field('output', 'Output')}
        {field('expected', 'Expected output')}
        <span className="faint">
          Text that parses as JSON is sent as JSON. Nothing is stored; a judge's call is traced.
        </span>
        {error && <ErrorBox error={error} />}
        {result && (
          <div role="status" data-testid="evaluator-test-result">
            Score <strong>{result.score}</strong>
            {result.label ? ` · label ${result.label}` : ''} · {formatDuration(result.latencyMs)}
            {result.explanation && <div className="muted">{previewOf(result.explanation, 500)}</div>}
            {result.traceId && (
              <div>
                <Link to={`/traces/${encodeURIComponent(result.traceId)}`}>Open the judge's trace</Link>
              </div>
            )}
          </div>
        )}
        <FormActions onCancel={onClose} cancelLabel="Close" isBusy={isBusy} busyLabel="Running…">
          Run test
        </FormActions>
      </form>
    </Dialog>
  );
}

const CONFIRMS = {
  delete: (e: Evaluator): ConfirmText => ({
    title: `Delete ${e.name}?`,
    confirmLabel: 'Delete evaluator',
    isDanger: true,
    message: 'Experiments already run keep their scores; new experiments can no longer pick it.',
  }),
};

/** The section. */
export function EvaluatorsSection() {
  const { tick } = useRefresh();
  const canWrite = useCan('write');
  const list = useApi(`evaluators:${tick}`, (signal) => fetchEvaluators(signal));
  const [testing, setTesting] = useState<Evaluator | undefined>();
  const [trusting, setTrusting] = useState<Evaluator | undefined>();
  const confirmed = useConfirmedActions({
    texts: CONFIRMS,
    run: (e: Evaluator) => deleteEvaluator(e.id),
    onDone: list.reload,
  });
  return (
    <>
      <NewEntryPanel title="New evaluator" need="write" what="adding, testing and deleting evaluators">
        <NewEvaluatorForm onCreated={list.reload} />
      </NewEntryPanel>
      <TablePanel
        title="Evaluators"
        label="Evaluators"
        state={{ ...list, data: list.data?.data }}
        loading="Loading evaluators…"
        empty={
          <Empty title="No evaluator yet">
            {canWrite.isAllowed
              ? 'Add one above (exact_match is a good first one for answers with one right value); experiments score their outputs with the evaluators you pick.'
              : 'A project member adds them here; experiments score outputs with them.'}
          </Empty>
        }
        table="Evaluators"
        columns={['Name', 'Type', 'Configuration', 'Created', '']}
      >
        {(e) => (
          <tr key={e.id} data-evaluator={e.name}>
            <td>{e.name}</td>
            <td>{e.type}</td>
            <td className="mono" style={{ maxWidth: 420 }} title={JSON.stringify(e.config, null, 2)}>
              {previewOf(e.config, 200)}
            </td>
            <td title={e.createdAt}>{formatAgo(e.createdAt)}</td>
            <ActionsCell>
              <RowButton onClick={() => setTrusting(e)}>Agreement</RowButton>
              {canWrite.isAllowed && (
                <>
                  <RowButton onClick={() => setTesting(e)}>Test</RowButton>
                  <RowButton isDanger onClick={() => confirmed.ask(e, 'delete')}>
                    Delete
                  </RowButton>
                </>
              )}
            </ActionsCell>
          </tr>
        )}
      </TablePanel>
      {confirmed.dialog}
      {testing && <TestDialog evaluator={testing} onClose={() => setTesting(undefined)} />}
      {trusting && <AgreementDialog evaluator={trusting} onClose={() => setTrusting(undefined)} />}
    </>
  );
}
