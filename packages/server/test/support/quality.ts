/**
 * REST helpers of the offline-evaluation tests: JSON calls, the arithmetic dataset of the
 * acceptance scenario (answers 1 … 40, so the mock's `mock-math-wrong-40` is wrong on exactly
 * 16 of them) and a poll for an experiment's end.
 */
import type { Experiment } from '@argus/shared';

/** An error answer of the API. */
export interface ErrorAnswer {
  error: { code: string; message: string };
}

/** A trace as `GET /api/v1/traces/{id}` answers it (the fields these tests read). */
export interface TraceAnswer {
  spans: { spanId: string; parentSpanId: string; kind: string; requestModel: string; inputTokens: number }[];
  scores: { name: string; value: number }[];
}

/** A JSON answer. */
export interface JsonAnswer<T = ErrorAnswer> {
  status: number;
  json: T;
}

/** Calls the API with a JSON body; never throws on a status. */
export async function call<T = ErrorAnswer>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonAnswer<T>> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

/** Calls the API and fails on a non-2xx status, naming the answer. */
export async function ok<T = { data: { id: string } }>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const answer = await call<T>(base, method, path, body);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  return answer.json;
}

/** The 40 arithmetic questions: item `q<s>` asks for a sum whose answer is s. */
export function arithmeticItems(): { id: string; input: string; expectedOutput: string }[] {
  return Array.from({ length: 40 }, (_, i) => {
    const sum = i + 1;
    const b = 1 + (sum % 7);
    const a = sum - b;
    return { id: `q${sum}`, input: `What is ${a}+${b}?`, expectedOutput: String(sum) };
  });
}

/** Creates the connection, dataset and exact-match evaluator of the scenario; returns their ids. */
export async function setUpArithmetic(
  base: string,
  mockUrl: string,
): Promise<{ connectionId: string; datasetId: string; exactId: string }> {
  const connection = await ok(base, 'POST', '/api/v1/llm-connections', {
    name: 'mock',
    provider: 'openai-compatible',
    baseUrl: `${mockUrl}/v1`,
    apiKey: 'sk-test-not-a-secret',
  });
  const dataset = await ok(base, 'POST', '/api/v1/datasets', { name: 'arithmetic', description: '40 sums' });
  await ok(base, 'POST', `/api/v1/datasets/${dataset.data.id}/items`, { items: arithmeticItems() });
  const exact = await ok(base, 'POST', '/api/v1/evaluators', {
    name: 'exact',
    type: 'exact_match',
    config: {},
  });
  return { connectionId: connection.data.id, datasetId: dataset.data.id, exactId: exact.data.id };
}

/** A prompt target asking `model` the item's question. */
export function promptTarget(connectionId: string, model: string) {
  return { type: 'prompt', connectionId, model, messages: [{ role: 'user', content: '{{input}}' }] };
}

/** The ids {@link setUpArithmetic} made. */
export type ArithmeticIds = Awaited<ReturnType<typeof setUpArithmetic>>;

/**
 * Starts a prompt experiment of `model` on the arithmetic dataset, scored by exact match unless
 * `evaluators` says otherwise; answers the created experiment.
 */
export async function startArithmeticRun(
  base: string,
  ids: ArithmeticIds,
  run: { name: string; model: string; concurrency: number; evaluators?: string[]; repetitions?: number },
): Promise<Experiment> {
  const { model, evaluators = [ids.exactId], ...rest } = run;
  const created = await ok<{ data: Experiment }>(base, 'POST', '/api/v1/experiments', {
    ...rest,
    datasetId: ids.datasetId,
    target: promptTarget(ids.connectionId, model),
    evaluators,
  });
  return created.data;
}

/** Polls an experiment until `until` holds (bounded: 60 s). */
export async function waitFor(
  base: string,
  id: string,
  until: (e: Experiment) => boolean = (e) => !['queued', 'running'].includes(e.status),
): Promise<Experiment> {
  for (let i = 0; i < 600; i++) {
    const { data } = await ok<{ data: Experiment }>(base, 'GET', `/api/v1/experiments/${id}`);
    if (until(data)) return data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`experiment ${id} did not reach the state in 60 s`);
}
