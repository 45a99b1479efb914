/**
 * Settings → LLM connections: the providers experiments, judges and embeddings call through.
 * Project admins create, test and delete them; the key is sent once and never shown again (the
 * list says only whether one is stored). A test makes one cheap call and shows its latency or
 * the provider's error.
 */
import {
  type ConnectionTestResult,
  LLM_PROVIDERS,
  type LlmConnection,
  type LlmProvider,
} from '@argus/shared';
import { type FormEvent, Fragment, useState } from 'react';
import { createConnection, deleteConnection, fetchConnections, testConnection } from '../../api-quality.ts';
import { type ConfirmText, useConfirmedActions } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ActionsCell, RowButton } from '../../components/DataTable.tsx';
import { SelectField, SubmitButton, TextField } from '../../components/FormControls.tsx';
import { Empty, ErrorBox } from '../../components/States.tsx';
import { formatAgo, formatDuration, shortId } from '../../lib/format.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCan } from '../account/auth-context.ts';
import { splitList } from '../datasets/dataset-text.ts';
import { NewEntryPanel, TablePanel } from './SettingsPanel.tsx';

const BASE_URL_HINT: Record<LlmProvider, string> = {
  openai: 'empty = api.openai.com',
  anthropic: 'empty = api.anthropic.com',
  'openai-compatible': 'e.g. http://localhost:11434/v1 (Ollama), https://api.deepseek.com/v1',
  'azure-openai': 'https://<resource>.openai.azure.com',
};

function NewConnectionForm({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({
    name: '',
    provider: 'openai-compatible' as LlmProvider,
    baseUrl: '',
    apiKey: '',
    models: '',
    embeddingModel: '',
  });
  const { isBusy, error, run } = useAction();
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await createConnection({
        name: form.name.trim(),
        provider: form.provider,
        ...(form.baseUrl.trim() ? { baseUrl: form.baseUrl.trim() } : {}),
        ...(form.apiKey ? { apiKey: form.apiKey } : {}),
        models: splitList(form.models),
        ...(form.embeddingModel.trim() ? { embeddingModel: form.embeddingModel.trim() } : {}),
      });
      // The key leaves the page with the request: nothing keeps it.
      setForm({ name: '', provider: form.provider, baseUrl: '', apiKey: '', models: '', embeddingModel: '' });
      onCreated();
    });
  };
  return (
    <form className="stack" aria-label="New LLM connection" onSubmit={submit}>
      <div className="row form-row">
        <TextField
          label="Name"
          name="connName"
          required
          maxLength={100}
          placeholder="e.g. openai-prod"
          value={form.name}
          onValue={(name) => set({ name })}
        />
        <SelectField
          label="Provider"
          name="connProvider"
          options={LLM_PROVIDERS}
          value={form.provider}
          onValue={(provider) => set({ provider })}
        />
        <TextField
          label="Base URL"
          name="connBaseUrl"
          width="grow"
          placeholder={BASE_URL_HINT[form.provider]}
          value={form.baseUrl}
          onValue={(baseUrl) => set({ baseUrl })}
        />
      </div>
      <div className="row form-row">
        <TextField
          label="API key"
          name="connApiKey"
          type="password"
          autoComplete="off"
          placeholder="stored sealed, never shown again"
          value={form.apiKey}
          onValue={(apiKey) => set({ apiKey })}
        />
        <TextField
          label="Models (comma list, globs allowed)"
          name="connModels"
          width="grow"
          placeholder="gpt-4o-mini, gpt-4o*"
          value={form.models}
          onValue={(models) => set({ models })}
        />
        <TextField
          label="Embedding model"
          name="connEmbedding"
          placeholder="text-embedding-3-small"
          value={form.embeddingModel}
          onValue={(embeddingModel) => set({ embeddingModel })}
        />
        <SubmitButton isBusy={isBusy} busyLabel="Saving…" isDisabled={!form.name.trim()}>
          Add connection
        </SubmitButton>
      </div>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

function TestResult({ result }: { result: ConnectionTestResult }) {
  return result.ok ? (
    <span className="ok-text" role="status">
      OK · {result.call} · {formatDuration(result.latencyMs)}
    </span>
  ) : (
    <span className="error-text" role="status">
      Failed · {result.call}
      {result.error?.status ? ` · ${result.error.status}` : ''}: {result.error?.message}
    </span>
  );
}

const CONFIRMS = {
  delete: (c: LlmConnection): ConfirmText => ({
    title: `Delete ${c.name}?`,
    confirmLabel: 'Delete connection',
    isDanger: true,
    message:
      'Its sealed key goes with it. Evaluators and experiments that name it fail until they are pointed at another connection.',
  }),
};

/** The section. */
export function ConnectionsSection() {
  const { tick } = useRefresh();
  const canAdmin = useCan('admin');
  const list = useApi(`connections:${tick}`, (signal) => fetchConnections(signal));
  const [tests, setTests] = useState<Record<string, ConnectionTestResult | Error | 'running'>>({});
  const confirmed = useConfirmedActions({
    texts: CONFIRMS,
    run: (c: LlmConnection) => deleteConnection(c.id),
    onDone: list.reload,
  });
  const test = async (id: string) => {
    setTests((t) => ({ ...t, [id]: 'running' }));
    try {
      const result = await testConnection(id);
      setTests((t) => ({ ...t, [id]: result }));
    } catch (error) {
      setTests((t) => ({ ...t, [id]: error as Error }));
    }
  };
  return (
    <>
      <NewEntryPanel
        title="New LLM connection"
        need="admin"
        what="adding, testing and deleting LLM connections"
      >
        <NewConnectionForm onCreated={list.reload} />
      </NewEntryPanel>
      <TablePanel
        title="LLM connections"
        label="LLM connections"
        state={{ ...list, data: list.data?.data }}
        loading="Loading connections…"
        empty={
          <Empty title="No LLM connection yet">
            {canAdmin.isAllowed
              ? 'Add one above: experiments run prompts through it and llm_judge evaluators grade with it. Any OpenAI-compatible server (Ollama, vLLM, DeepSeek, Kimi) works through its base URL.'
              : 'A project admin adds them here; experiments and judge evaluators need one.'}
          </Empty>
        }
        table="Connections"
        columns={['Name', 'Provider', 'Base URL', 'Models', 'Key', 'Created', '']}
      >
        {(c) => {
          const t = tests[c.id];
          return (
            <Fragment key={c.id}>
              <tr data-connection={c.name}>
                <td>
                  {c.name}
                  <div className="faint mono" title={`Its id, for evaluator configurations: ${c.id}`}>
                    {shortId(c.id)} <CopyButton text={c.id} label="Copy id" />
                  </div>
                </td>
                <td>{c.provider}</td>
                <td className="mono" style={{ maxWidth: 180 }} title={c.baseUrl}>
                  {c.baseUrl ?? <span className="faint">provider default</span>}
                </td>
                <td style={{ maxWidth: 200 }} title={c.models.join(', ')}>
                  {c.models.join(', ') || <span className="faint">any</span>}
                  {c.embeddingModel && <div className="faint">embeddings: {c.embeddingModel}</div>}
                </td>
                <td>
                  {c.hasApiKey ? <span className="chip">stored</span> : <span className="faint">none</span>}
                </td>
                <td title={c.createdAt}>{formatAgo(c.createdAt)}</td>
                <ActionsCell>
                  {canAdmin.isAllowed && (
                    <>
                      <RowButton disabled={t === 'running'} onClick={() => void test(c.id)}>
                        Test
                      </RowButton>
                      <RowButton isDanger onClick={() => confirmed.ask(c, 'delete')}>
                        Delete
                      </RowButton>
                    </>
                  )}
                </ActionsCell>
              </tr>
              {t && (
                <tr>
                  <td colSpan={7} data-testid="connection-test" data-for={c.name}>
                    {t === 'running' ? (
                      'Testing…'
                    ) : t instanceof Error ? (
                      <span className="error-text">{t.message}</span>
                    ) : (
                      <TestResult result={t} />
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          );
        }}
      </TablePanel>
      {confirmed.dialog}
    </>
  );
}
