/**
 * The typed client of offline evaluation (docs/evaluation.md): datasets and their items,
 * LLM connections, evaluators and experiments with their comparison. Every call goes through
 * the console's one fetch wrapper ({@link requestJson}), so it carries the project and the CSRF
 * token and throws {@link ApiError} with the server's message.
 */
import type {
  ColumnMapping,
  ConnectionCreate,
  ConnectionTestResult,
  Dataset,
  DatasetCreate,
  DatasetFormat,
  DatasetItem,
  Evaluator,
  EvaluatorTestResult,
  EvaluatorType,
  Experiment,
  ExperimentComparison,
  ExperimentCreate,
  ExperimentItemResult,
  ImportResult,
  ItemsWriteResult,
  ItemWrite,
  LlmConnection,
  Page,
} from '@argus/shared';
import { errorOf, type Query, requestJson, send, toSearch } from './api.ts';

const enc = encodeURIComponent;
const get = <T>(path: string, query: Query, signal?: AbortSignal) =>
  requestJson<T>(path + toSearch(query), { signal });
const post = <T>(path: string, body?: unknown) => requestJson<T>(path, { method: 'POST', body });
const remove = (path: string) => requestJson<void>(path, { method: 'DELETE' });

/** A list answer whose `nextCursor` may be `null` (the last page), as a {@link Page}. */
async function paged<T, P extends { data: T[]; nextCursor?: string | null }>(
  answer: Promise<P>,
): Promise<Omit<P, 'nextCursor'> & Page<T>> {
  const { nextCursor, ...rest } = await answer;
  return { ...rest, ...(nextCursor ? { nextCursor } : {}) } as Omit<P, 'nextCursor'> & Page<T>;
}

// Datasets

/** The project's datasets (one list, no paging). */
export function fetchDatasets(signal?: AbortSignal): Promise<{ data: Dataset[] }> {
  return get('/api/v1/datasets', {}, signal);
}

/** One dataset. */
export function fetchDataset(id: string, signal?: AbortSignal): Promise<{ data: Dataset }> {
  return get(`/api/v1/datasets/${enc(id)}`, {}, signal);
}

/** Creates a dataset. */
export function createDataset(body: DatasetCreate): Promise<{ data: Dataset }> {
  return post('/api/v1/datasets', body);
}

/** Deletes a dataset and its items (experiments keep their results). */
export function deleteDataset(id: string): Promise<void> {
  return remove(`/api/v1/datasets/${enc(id)}`);
}

/**
 * A page of a dataset's items, ordered by id, as of `version` (default the current one); `q`
 * keeps the items whose id, input or expected output contains it (case-insensitive).
 */
export function fetchItems(
  id: string,
  query: { cursor?: string; limit?: number; version?: string; q?: string },
  signal?: AbortSignal,
): Promise<Page<DatasetItem> & { version?: string }> {
  return paged(
    get<Page<DatasetItem> & { version?: string }>(`/api/v1/datasets/${enc(id)}/items`, query, signal),
  );
}

/** Upserts items; one call is one new dataset version. */
export function upsertItems(id: string, items: ItemWrite[]): Promise<{ data: ItemsWriteResult }> {
  return post(`/api/v1/datasets/${enc(id)}/items`, { items });
}

/**
 * Copies spans' input and output into new items of a dataset (output → expected output); the
 * window (epoch ms) is where the server looks for them (default its last 31 days).
 */
export function itemsFromSpans(
  id: string,
  spanIds: string[],
  window?: { from: number; to: number },
): Promise<{ data: ItemsWriteResult }> {
  return post(`/api/v1/datasets/${enc(id)}/items/from-spans`, { spanIds, ...window });
}

/** Reads a JSON answer that carries `data` even when its status is an error (import, tests). */
async function dataOrError<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => undefined)) as { data?: T } | undefined;
  if (body?.data !== undefined) return body.data;
  throw errorOf(response, body);
}

/**
 * Imports a JSONL or CSV file's text with a column mapping; refused rows come back in `errors`
 * with their line numbers, the others are written (all refused answers 400 with the same report).
 */
export async function importItems(
  id: string,
  file: { format: DatasetFormat; content: string; mapping?: ColumnMapping },
): Promise<ImportResult> {
  const { mapping } = file;
  const query = toSearch({
    format: file.format,
    input: mapping?.input?.join(','),
    expected: mapping?.expected,
    id: mapping?.id,
    metadata: mapping?.metadata?.join(','),
  });
  const response = await send(`/api/v1/datasets/${enc(id)}/items/import${query}`, {
    method: 'POST',
    body: file.content,
    contentType: file.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
  });
  return dataOrError<ImportResult>(response);
}

/** Downloads a dataset's items as a file (through the wrapper, so it carries the project). */
export async function exportItems(id: string, format: DatasetFormat): Promise<Blob> {
  const response = await send(`/api/v1/datasets/${enc(id)}/items/export${toSearch({ format })}`);
  if (!response.ok) {
    const body = await response.json().catch(() => undefined);
    throw errorOf(response, body);
  }
  return response.blob();
}

// LLM connections

/** The project's LLM connections (keys never included). */
export function fetchConnections(signal?: AbortSignal): Promise<{ data: LlmConnection[] }> {
  return get('/api/v1/llm-connections', {}, signal);
}

/** Creates a connection (project admins). */
export function createConnection(body: ConnectionCreate): Promise<{ data: LlmConnection }> {
  return post('/api/v1/llm-connections', body);
}

/** Deletes a connection. */
export function deleteConnection(id: string): Promise<void> {
  return remove(`/api/v1/llm-connections/${enc(id)}`);
}

/** Makes one cheap call through a connection: latency, or the provider's error (answered 502). */
export async function testConnection(id: string): Promise<ConnectionTestResult> {
  const response = await send(`/api/v1/llm-connections/${enc(id)}/test`, { method: 'POST', body: {} });
  return dataOrError<ConnectionTestResult>(response);
}

// Evaluators

/** The project's evaluators. */
export function fetchEvaluators(signal?: AbortSignal): Promise<{ data: Evaluator[] }> {
  return get('/api/v1/evaluators', {}, signal);
}

/** Creates an evaluator; the server validates its configuration. */
export function createEvaluator(body: {
  name: string;
  type: EvaluatorType;
  config: Record<string, unknown>;
}): Promise<{ data: Evaluator }> {
  return post('/api/v1/evaluators', body);
}

/** Deletes an evaluator. */
export function deleteEvaluator(id: string): Promise<void> {
  return remove(`/api/v1/evaluators/${enc(id)}`);
}

/** Dry-runs an evaluator on one sample. */
export function testEvaluator(
  id: string,
  sample: { input?: unknown; output: unknown; expected?: unknown },
): Promise<{ data: EvaluatorTestResult }> {
  return post(`/api/v1/evaluators/${enc(id)}/test`, sample);
}

// Experiments

/** Experiments, newest first (optionally of one dataset). */
export function fetchExperiments(
  query: { datasetId?: string; cursor?: string; limit?: number },
  signal?: AbortSignal,
): Promise<Page<Experiment>> {
  return paged(get<Page<Experiment>>('/api/v1/experiments', query, signal));
}

/** One experiment with its progress and summary. */
export function fetchExperiment(id: string, signal?: AbortSignal): Promise<{ data: Experiment }> {
  return get(`/api/v1/experiments/${enc(id)}`, {}, signal);
}

/** Starts an experiment (a prompt target runs on the server at once). */
export function createExperiment(body: ExperimentCreate): Promise<{ data: Experiment }> {
  return post('/api/v1/experiments', body);
}

/** Cancels a queued or running experiment. */
export function cancelExperiment(id: string): Promise<{ data: Experiment }> {
  return post(`/api/v1/experiments/${enc(id)}/cancel`);
}

/** Deletes an experiment and its results. */
export function deleteExperiment(id: string): Promise<void> {
  return remove(`/api/v1/experiments/${enc(id)}`);
}

/** A page of an experiment's item runs. */
export function fetchExperimentItems(
  id: string,
  query: { cursor?: string; limit?: number },
  signal?: AbortSignal,
): Promise<Page<ExperimentItemResult>> {
  return paged(get<Page<ExperimentItemResult>>(`/api/v1/experiments/${enc(id)}/items`, query, signal));
}

/** The paired comparison of two experiments on the same dataset. */
export function fetchComparison(
  query: { baseline: string; candidate: string; alpha?: number },
  signal?: AbortSignal,
): Promise<{ data: ExperimentComparison }> {
  return get('/api/v1/experiments/compare', query, signal);
}
