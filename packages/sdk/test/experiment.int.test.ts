/**
 * runExperiment() and the dataset helpers against a real Argus and the mock LLM: the user's task
 * (an OpenAI call through wrapOpenAI) runs on every item of a dataset in a root span linked to the
 * item; the server's exact_match evaluator and an evaluator function score it; the summary is the
 * server's. A task that throws is recorded on its item; an evaluator function that throws leaves
 * its score out; neither reaches the application. Setup mistakes reject with a clear message.
 */

import { isMockMathWrong, type MockLlm, startMockLlm } from '@argus/mock-llm';
import { OpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import {
  ArgusApiError,
  addItems,
  createDataset,
  getDataset,
  getItems,
  init,
  runExperiment,
  shutdown,
  wrapOpenAI,
} from '../src/index.ts';
import { readTrace } from './support.ts';

const MODEL = 'mock-math-wrong-40';
const QUESTIONS = Array.from({ length: 12 }, (_, i) => `What is ${i + 1}+1?`);

let argus: TestServer;
let mock: MockLlm;
let openai: OpenAI;
const diagnostics: string[] = [];

async function post(path: string, body: unknown): Promise<{ data: { id: string } }> {
  const response = await fetch(argus.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as { data: { id: string } };
}

beforeAll(async () => {
  [argus, mock] = await Promise.all([startTestServer(), startMockLlm({ latencyMs: 2 })]);
  init({
    endpoint: argus.url,
    serviceName: 'sdk-experiment-test',
    diagnostics: (message) => diagnostics.push(message),
  });
  openai = wrapOpenAI(new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'test-key' }));
  await post('/api/v1/evaluators', { name: 'exact', type: 'exact_match' });
}, 60_000);

afterAll(async () => {
  await shutdown();
  await mock?.close();
  await argus?.stop();
});

/** The user's application: one model call per question. */
async function answer(question: string): Promise<string> {
  if (question === 'explode') throw new Error('the app failed on purpose');
  const completion = await openai.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: question }],
  });
  return completion.choices[0]?.message.content ?? '';
}

describe('dataset helpers', () => {
  it('create a dataset, add items in one version, find it by name and read the items back', async () => {
    const dataset = await createDataset({ name: 'sdk-helpers', description: 'sums' });
    const added = await addItems('sdk-helpers', [
      { id: 'a', input: 'What is 1+1?', expectedOutput: '2' },
      { id: 'b', input: 'What is 2+2?', expectedOutput: '4', metadata: { level: 'easy' } },
    ]);
    expect(added).toMatchObject({ created: 2, updated: 0 });
    expect((await getDataset('sdk-helpers')).id).toBe(dataset.id);
    const items = await getItems(dataset.id);
    expect(items.map((i) => [i.id, i.expectedOutput])).toEqual([
      ['a', '2'],
      ['b', '4'],
    ]);
  });

  it('rejects an unknown dataset with NOT_FOUND, naming it', async () => {
    const error = await getDataset('no-such-dataset').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgusApiError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((error as Error).message).toContain("'no-such-dataset'");
  });
});

describe('runExperiment', () => {
  beforeAll(async () => {
    await createDataset({ name: 'sdk-arithmetic' });
    await addItems('sdk-arithmetic', [
      ...QUESTIONS.map((q, i) => ({ id: `q${i + 1}`, input: q, expectedOutput: String(i + 2) })),
      { id: 'boom', input: 'explode', expectedOutput: '0' },
    ]);
    await createDataset({ name: 'sdk-repeated' });
    await addItems('sdk-repeated', [
      { id: 'a', input: 'What is 1+1?', expectedOutput: '2' },
      { id: 'b', input: 'What is 2+2?', expectedOutput: '4' },
    ]);
  });

  it('traces each item, posts outputs and scores, and answers the server summary', async () => {
    const progress: number[] = [];
    const run = await runExperiment({
      dataset: 'sdk-arithmetic',
      name: 'sdk run',
      task: (item) => answer(String(item.input)),
      evaluators: [
        'exact',
        function numeric({ output }) {
          return /^-?\d+(\.\d+)?$/.test(String(output));
        },
        { name: 'length', evaluate: ({ output }) => ({ score: String(output).length, label: 'chars' }) },
        function broken() {
          throw new Error('evaluator bug');
        },
      ],
      concurrency: 3,
      metadata: { commit: 'abc123' },
      onProgress: (p) => progress.push(p.done),
    });

    expect(run).toMatchObject({ name: 'sdk run', status: 'completed', progress: { done: 13, total: 13 } });
    expect(progress).toHaveLength(13);
    expect(Math.max(...progress)).toBe(13);
    // The mock is wrong on a known share of these questions; the server's exact_match counts them.
    const right = QUESTIONS.filter((q) => !isMockMathWrong(MODEL, q)).length;
    expect(run.summary.scores.exact?.n).toBe(12);
    expect(run.summary.scores.exact?.mean).toBeCloseTo(right / 12, 10);
    // Evaluator functions' scores are in the server's summary too.
    expect(run.summary.scores.numeric).toMatchObject({ mean: 1, n: 12 });
    expect(run.summary.scores.length?.n).toBe(12);
    expect(run.summary.scores.broken).toBeUndefined();
    expect(run.summary.errors).toBe(1);
    expect(
      run.warnings.some((w) => w.includes("Evaluator 'broken' threw") && w.includes('evaluator bug')),
    ).toBe(true);
    expect(diagnostics.some((d) => d.includes("Evaluator 'broken' threw"))).toBe(true);

    const failed = run.items.find((i) => i.itemId === 'boom');
    expect(failed).toMatchObject({ error: expect.stringContaining('the app failed on purpose'), scores: {} });
    const ok = run.items.find((i) => i.itemId === 'q1')!;
    expect(ok.scores.numeric).toBe(1);
    expect(ok.traceId).toMatch(/^[0-9a-f]{32}$/);

    // The server holds each result with its trace and latency.
    const items = await argus.get<{
      data: {
        itemId: string;
        traceId?: string;
        latencyMs?: number;
        scores: Record<string, number>;
        error?: string;
      }[];
    }>(`/api/v1/experiments/${run.id}/items?limit=100`);
    expect(items.data).toHaveLength(13);
    const stored = items.data.find((i) => i.itemId === 'q1')!;
    expect(stored.traceId).toBe(ok.traceId);
    expect(stored.latencyMs).toBeGreaterThan(0);
    expect(Object.keys(stored.scores).sort()).toEqual(['exact', 'length', 'numeric']);
    expect(items.data.find((i) => i.itemId === 'boom')?.error).toContain('the app failed on purpose');

    // Each item is its own trace: a root chain span linked to the item, the model call under it.
    const trace = await readTrace(argus, ok.traceId!, 2);
    const root = trace.spans.find((s) => s.parentSpanId === '')!;
    expect(root).toMatchObject({ name: 'experiment item', kind: 'chain' });
    expect(root.metadata).toMatchObject({ experimentId: run.id, datasetItemId: 'q1' });
    expect(trace.spans.find((s) => s.kind === 'llm')?.parentSpanId).toBe(root.spanId);
    // The trace carries every score: the server's evaluator and the functions' (sent by the SDK).
    expect(trace.scores.map((s) => s.name).sort()).toEqual(['exact', 'length', 'numeric']);
    expect(trace.scores.find((s) => s.name === 'numeric')).toMatchObject({
      value: 1,
      source: 'eval',
      metadata: { experimentId: run.id, datasetItemId: 'q1' },
    });
    const traces = new Set(run.items.map((i) => i.traceId));
    expect(traces.size).toBe(13);
  }, 60_000);

  it('runs each item `repetitions` times, each run its own trace and result', async () => {
    const run = await runExperiment({
      dataset: 'sdk-repeated',
      name: 'repeated',
      repetitions: 3,
      task: (item) => answer(String(item.input)),
      evaluators: ['exact'],
    });
    expect(run).toMatchObject({ status: 'completed', progress: { done: 6, total: 6 } });
    // Item then repetition order, in the answer and in what the server stored.
    const inOrder = ['a/0', 'a/1', 'a/2', 'b/0', 'b/1', 'b/2'];
    expect(run.items.map((i) => `${i.itemId}/${i.repetition}`)).toEqual(inOrder);
    expect(new Set(run.items.map((i) => i.traceId)).size).toBe(6);
    expect(run.summary.scores.exact?.n).toBe(6);
    const stored = await argus.get<{ data: { itemId: string; repetition: number; traceId?: string }[] }>(
      `/api/v1/experiments/${run.id}/items`,
    );
    expect(stored.data.map((i) => `${i.itemId}/${i.repetition}`)).toEqual(inOrder);
    await expect(
      runExperiment({ dataset: 'sdk-repeated', task: () => '1', repetitions: 21 }),
    ).rejects.toThrow("'repetitions' must be an integer from 1 to 20");
  });

  it('runs at most `concurrency` items at once, and that many when there is work', async () => {
    let running = 0;
    let most = 0;
    const run = await runExperiment({
      dataset: 'sdk-arithmetic',
      name: 'bounded',
      concurrency: 3,
      task: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        return '0';
      },
    });
    expect(run.progress).toEqual({ done: 13, total: 13 });
    expect(most).toBe(3);
  });

  it('resolves with warnings, never rejecting, when the server refuses the results (experiment cancelled mid-run)', async () => {
    await createDataset({ name: 'sdk-cancelled' });
    await addItems(
      'sdk-cancelled',
      [1, 2, 3, 4, 5].map((n) => ({ id: `c${n}`, input: `What is ${n}+1?` })),
    );
    let cancelled = false;
    const run = await runExperiment({
      dataset: 'sdk-cancelled',
      name: 'cancelled mid-run',
      concurrency: 1,
      task: async (item) => {
        if (!cancelled) {
          // Someone cancels the experiment while it runs (the newest experiment is this one).
          const { data } = await argus.get<{ data: { id: string }[] }>('/api/v1/experiments?limit=1');
          await fetch(`${argus.url}/api/v1/experiments/${data[0]!.id}/cancel`, { method: 'POST' });
          cancelled = true;
        }
        return answer(String(item.input));
      },
    });
    expect(run.status).toBe('cancelled');
    expect(run.items).toHaveLength(5);
    expect(run.items.every((i) => i.error === undefined)).toBe(true);
    expect(run.warnings).toEqual([
      expect.stringMatching(
        /^Cannot post 5 results of experiment '.+': the server answered 409 CONFLICT: .*cancelled/,
      ),
    ]);
  });

  it('rejects an unknown evaluator before creating anything, and bad options with a TypeError', async () => {
    const before = await argus.get<{ data: unknown[] }>('/api/v1/experiments');
    await expect(
      runExperiment({ dataset: 'sdk-arithmetic', task: () => '1', evaluators: ['no-such-evaluator'] }),
    ).rejects.toThrow("Cannot find evaluator 'no-such-evaluator'");
    await expect(
      runExperiment({ dataset: 'sdk-arithmetic', task: () => '1', concurrency: 0 }),
    ).rejects.toThrow(TypeError);
    await expect(runExperiment({ dataset: 'nope', task: () => '1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const after = await argus.get<{ data: unknown[] }>('/api/v1/experiments');
    expect(after.data.length).toBe(before.data.length);
  });
});
