/**
 * The experiment runner against a real store (chDB and SQLite in a temp dir) with a scripted
 * provider, to exercise what a well-behaved mock rarely does: a provider still rate-limiting
 * after the client's retries pauses the experiment and the item is tried again later (never
 * recorded twice), and one that never stops ends as that item's error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetItem, Evaluator } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { writeSpans } from '../src/ingest/ingest-signal.ts';
import { createLogger } from '../src/logger.ts';
import { type ChatResult, ProviderCallError } from '../src/quality/connections-client.ts';
import { runEvaluator } from '../src/quality/evaluators/run.ts';
import { type ExperimentRecord, ExperimentRepository } from '../src/quality/experiments/repository.ts';
import { ResultsStore } from '../src/quality/experiments/results-store.ts';
import { ExperimentRunner } from '../src/quality/experiments/runner.ts';
import type { ExperimentServices } from '../src/quality/experiments/services.ts';
import { openStore, type Store } from '../src/store/index.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-exp-runner-'));
const config = loadConfig({ dataDir: dir, logLevel: 'error', writerFlushIntervalMs: 5 }, {});
let store: Store;
beforeAll(async () => {
  store = await openStore(config);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ITEMS: DatasetItem[] = Array.from({ length: 6 }, (_, i) => ({
  id: `q${i}`,
  datasetId: 'ds',
  input: `What is ${i}+1?`,
  expectedOutput: String(i + 1),
  metadata: {},
  validFrom: '2026-01-01T00:00:00.000Z',
}));
const EXACT: Evaluator = {
  id: 'ev',
  projectId: 'default',
  name: 'exact',
  type: 'exact_match',
  config: {},
  createdAt: '',
  updatedAt: '',
};

/** Services whose provider answers with `answer(question, callNumber)`. */
function servicesWith(
  answer: (question: string, call: number) => ChatResult,
): ExperimentServices & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    openConnection: async () => ({
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: '',
      headers: {},
    }),
    chat: async (_target, request) => {
      const question = request.messages.at(-1)!.content;
      calls.push(question);
      return answer(question, calls.length);
    },
    datasetVersion: async () => '2026-01-01T00:00:00.000Z',
    readItems: async () => ITEMS,
    loadEvaluators: async () => [EXACT],
    evaluate: (_projectId, evaluator, sample) => runEvaluator(evaluator, sample),
    writeSpans: async (spans) => {
      await writeSpans(spans, { config, store, enrichSpan: (s) => s });
    },
    insertScore: (score) => store.insertScore(score),
  };
}

const rateLimited = () =>
  new ProviderCallError('The provider at mock answered 429: slow down', { providerStatus: 429, attempts: 5 });
const sum = (question: string) => String(Number(/(\d+)\+1/.exec(question)![1]) + 1);
const chat = (text: string): ChatResult => ({
  text,
  toolCalls: [],
  usage: { inputTokens: 5, outputTokens: 1, totalTokens: 6 },
  model: 'm',
  finishReason: 'stop',
  latencyMs: 1,
  attempts: 1,
});

async function run(id: string, services: ExperimentServices & { calls: string[] }) {
  const repo = new ExperimentRepository(store.metadata.sql);
  const results = new ResultsStore(store.driver);
  const record: ExperimentRecord = {
    id,
    projectId: 'default',
    name: id,
    datasetId: 'ds',
    datasetVersion: '2026-01-01T00:00:00.000Z',
    target: {
      type: 'prompt',
      connectionId: 'c',
      model: 'm',
      messages: [{ role: 'user', content: '{{input}}' }],
    },
    evaluators: ['ev'],
    repetitions: 1,
    concurrency: 3,
    metadata: {},
    status: 'queued',
    error: undefined,
    done: 0,
    total: ITEMS.length,
    summary: undefined,
    createdAt: new Date().toISOString(),
    startedAt: undefined,
    finishedAt: undefined,
  };
  await repo.insert(record);
  const runner = new ExperimentRunner({
    repo,
    results,
    services,
    logger: createLogger('error'),
    rateLimitPauseMs: 20,
  });
  runner.start('default', id);
  for (let i = 0; i < 500 && runner.isRunning(id); i++) await new Promise((r) => setTimeout(r, 10));
  return { experiment: (await repo.get('default', id))!, rows: await results.read('default', id) };
}

describe('the experiment runner under rate limits', () => {
  it('pauses and retries an item still rate-limited after the client retries, storing each item once', async () => {
    // q2 is refused twice, everything else answers.
    let refusals = 0;
    const services = servicesWith((question) => {
      if (question.includes('2+1') && refusals < 2) {
        refusals++;
        throw rateLimited();
      }
      return chat(sum(question));
    });
    const { experiment, rows } = await run('paused', services);
    expect(experiment).toMatchObject({ status: 'completed', done: 6 });
    expect(experiment.summary?.scores.exact).toMatchObject({ mean: 1, n: 6 });
    expect(rows.map((r) => r.itemId)).toEqual(ITEMS.map((i) => i.id));
    expect(rows.every((r) => r.error === '')).toBe(true);
    // Six items, q2 called three times: two refusals and its answer.
    expect(services.calls.filter((q) => q.includes('2+1'))).toHaveLength(3);
    expect(services.calls).toHaveLength(8);
  });

  it('records the provider error on an item that stays rate-limited, and completes the rest', async () => {
    const services = servicesWith((question) => {
      if (question.includes('4+1')) throw rateLimited();
      return chat(sum(question));
    });
    const { experiment, rows } = await run('refused', services);
    expect(experiment).toMatchObject({ status: 'completed', done: 6 });
    const refused = rows.find((r) => r.itemId === 'q4')!;
    expect(refused.error).toMatch(/answered 429/);
    expect(refused.scores).toEqual({});
    // The first try and three more after pauses.
    expect(services.calls.filter((q) => q.includes('4+1'))).toHaveLength(4);
    expect(experiment.summary).toMatchObject({ errors: 1, scores: { exact: { mean: 1, n: 5 } } });
  });
});
