/**
 * The acceptance scenario of offline evaluation (issue 15), through the REST API alone as a
 * new user would: 40 arithmetic questions, a connection to the mock LLM, two prompt
 * experiments with exact_match on a right and a 40 %-wrong model, the compare verdict, an
 * llm_judge experiment whose judge calls are traces, and an external target.
 */
import { isMockMathWrong, type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Experiment, ExperimentComparison, ExperimentItemResult } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arithmeticItems,
  call,
  ok,
  promptTarget,
  setUpArithmetic,
  startArithmeticRun,
  type TraceAnswer,
  waitFor,
} from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let mock: MockLlm;
let base: string;
let ids: { connectionId: string; datasetId: string; exactId: string };

beforeAll(async () => {
  [argus, mock] = await Promise.all([startTestServer(), startMockLlm()]);
  base = argus.url;
  ids = await setUpArithmetic(base, mock.url);
});
afterAll(async () => {
  await Promise.all([argus?.stop(), mock?.close()]);
});

async function runPrompt(model: string, evaluators: string[], name = model): Promise<Experiment> {
  const created = await startArithmeticRun(base, ids, { name, model, evaluators, concurrency: 8 });
  expect(created).toMatchObject({ status: 'queued', progress: { done: 0, total: 40 } });
  return waitFor(base, created.id);
}

async function itemsOf(id: string): Promise<ExperimentItemResult[]> {
  return (
    await ok<{ data: ExperimentItemResult[] }>(base, 'GET', `/api/v1/experiments/${id}/items?limit=100`)
  ).data;
}

describe('experiments over 40 arithmetic questions', () => {
  let right: Experiment;
  let wrong: Experiment;

  beforeAll(async () => {
    [right, wrong] = await Promise.all([
      runPrompt('mock-math-right', [ids.exactId]),
      runPrompt('mock-math-wrong-40', [ids.exactId]),
    ]);
  });

  it('gives means 1.0 and 0.6 with 95 % intervals that contain them', () => {
    // The mock says which answers it gets wrong: exactly 16 of the 40.
    const wrongCount = arithmeticItems().filter((q) => isMockMathWrong('mock-math-wrong-40', q.input)).length;
    expect(wrongCount).toBe(16);
    expect(right).toMatchObject({ status: 'completed', progress: { done: 40, total: 40 } });
    expect(right.summary.scores.exact).toEqual({ mean: 1, ci95: [1, 1], n: 40 });
    const score = wrong.summary.scores.exact!;
    expect(score.n).toBe(40);
    expect(score.mean).toBeCloseTo(0.6, 12);
    expect(score.ci95[0]).toBeLessThan(0.6);
    expect(score.ci95[1]).toBeGreaterThan(0.6);
    expect(wrong.summary.errors).toBe(0);
    expect(wrong.summary.latencyMs?.p95).toBeGreaterThanOrEqual(wrong.summary.latencyMs?.p50 ?? Number.NaN);
    expect(wrong.summary.tokens.total).toBeGreaterThan(0);
  });

  it('links every item run to a trace the API returns, with the call and the score', async () => {
    const items = await itemsOf(wrong.id);
    expect(items.map((i) => i.itemId).sort()).toEqual(
      arithmeticItems()
        .map((q) => q.id)
        .sort(),
    );
    for (const item of items) {
      const expected = arithmeticItems().find((q) => q.id === item.itemId)!;
      expect(item.scores.exact).toBe(isMockMathWrong('mock-math-wrong-40', expected.input) ? 0 : 1);
      const trace = await ok<TraceAnswer>(base, 'GET', `/api/v1/traces/${item.traceId}`);
      const kinds = trace.spans.map((s) => s.kind).sort();
      expect(kinds).toEqual(['chain', 'llm']);
      const llm = trace.spans.find((s) => s.kind === 'llm');
      expect(llm).toMatchObject({ requestModel: 'mock-math-wrong-40', inputTokens: expect.any(Number) });
      expect(trace.scores.map((s) => [s.name, s.value])).toEqual([['exact', item.scores.exact]]);
    }
  });

  it('flags the regression from the right model to the wrong one, and not the other way', async () => {
    const { data } = await ok<{ data: ExperimentComparison }>(
      base,
      'GET',
      `/api/v1/experiments/compare?baseline=${right.id}&candidate=${wrong.id}`,
    );
    expect(data).toMatchObject({ pairedItems: 40, pairedRuns: 40, regression: true, alpha: 0.05 });
    const exact = data.evaluators.exact!;
    expect(exact).toMatchObject({
      test: 'mcnemar_exact',
      regressed: 16,
      improved: 0,
      unchanged: 24,
      regression: true,
    });
    expect(exact.difference).toBeCloseTo(-0.4, 12);
    expect(exact.pValue).toBeCloseTo(2 / 2 ** 16, 12);
    expect(exact.ci95[0]).toBeLessThan(-0.4);
    expect(exact.ci95[1]).toBeGreaterThan(-0.4);
    expect(data.latencyMs.n).toBe(40);
    const reverse = await ok<{ data: ExperimentComparison }>(
      base,
      'GET',
      `/api/v1/experiments/compare?baseline=${wrong.id}&candidate=${right.id}`,
    );
    expect(reverse.data.regression).toBe(false);
    expect(reverse.data.evaluators.exact).toMatchObject({ improvement: true, improved: 16 });
  });

  it('runs repetitions, and compares them item by item against a single run', async () => {
    const created = await startArithmeticRun(base, ids, {
      name: 'twice',
      model: 'mock-math-wrong-40',
      repetitions: 2,
      concurrency: 8,
    });
    expect(created.progress).toEqual({ done: 0, total: 80 });
    const twice = await waitFor(base, created.id);
    expect(twice.summary.scores.exact).toMatchObject({ n: 80 });
    expect(twice.summary.scores.exact?.mean).toBeCloseTo(0.6, 12);
    const items = await itemsOf(twice.id);
    expect(items.map((i) => i.repetition).filter((r) => r === 1)).toHaveLength(40);
    const { data } = await ok<{ data: ExperimentComparison }>(
      base,
      'GET',
      `/api/v1/experiments/compare?baseline=${right.id}&candidate=${twice.id}`,
    );
    // Paired by item (40), of which 40 item-and-repetition pairs (repetition 0 on both sides).
    expect(data).toMatchObject({ pairedItems: 40, pairedRuns: 40, regression: true });
    expect(data.evaluators.exact).toMatchObject({ regressed: 16, unchanged: 24 });
  });

  it('answers bad compare and create requests with specific errors', async () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['GET', `/api/v1/experiments/compare?baseline=${right.id}`, undefined, 400, /'candidate'/],
      [
        'GET',
        `/api/v1/experiments/compare?baseline=${right.id}&candidate=${right.id}`,
        undefined,
        400,
        /is the baseline/,
      ],
      [
        'GET',
        `/api/v1/experiments/compare?baseline=${right.id}&candidate=nope`,
        undefined,
        404,
        /experiment 'nope'/,
      ],
      ['GET', `/api/v1/experiments/compare?baseline=a&candidate=b&alpha=2`, undefined, 400, /'alpha'/],
      ['GET', '/api/v1/experiments/nope', undefined, 404, /Cannot find experiment 'nope'/],
      [
        'POST',
        '/api/v1/experiments',
        { name: 'x', datasetId: 'nope', target: { type: 'external' } },
        404,
        /dataset 'nope'/,
      ],
      [
        'POST',
        '/api/v1/experiments',
        { name: 'x', datasetId: ids.datasetId, target: { type: 'prompt' } },
        400,
        /'target.connectionId'/,
      ],
      [
        'POST',
        '/api/v1/experiments',
        { name: 'x', datasetId: ids.datasetId, target: { type: 'external' }, evaluators: ['nope'] },
        404,
        /evaluator 'nope'/,
      ],
      [
        'POST',
        '/api/v1/experiments',
        { name: 'x', datasetId: ids.datasetId, target: { type: 'external' }, concurrency: 99 },
        400,
        /'concurrency'/,
      ],
      ['POST', `/api/v1/experiments/${right.id}/cancel`, undefined, 409, /it is completed/],
      [
        'POST',
        `/api/v1/experiments/${right.id}/results`,
        [{ itemId: 'q1', output: '1' }],
        409,
        /prompt the server runs/,
      ],
    ];
    for (const [method, path, body, status, message] of cases) {
      const answer = await call(base, method, path, body);
      expect({ path, status: answer.status }).toEqual({ path, status });
      expect(answer.json.error.message).toMatch(message);
    }
  });
});

describe('a connection that lists its models', () => {
  it('refuses a prompt experiment of a model it does not serve, naming the ones it does', async () => {
    const connection = await ok<{ data: { id: string } }>(base, 'POST', '/api/v1/llm-connections', {
      name: 'mock-math-only',
      provider: 'openai-compatible',
      baseUrl: `${mock.url}/v1`,
      apiKey: 'sk-test-not-a-secret',
      models: ['mock-math-*'],
    });
    const answer = await call(base, 'POST', '/api/v1/experiments', {
      name: 'x',
      datasetId: ids.datasetId,
      target: promptTarget(connection.data.id, 'gpt-4o'),
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'INVALID_PARAMETER' });
    expect(answer.json.error.message).toMatch(
      /'target\.model'.*does not serve 'gpt-4o' \(it serves mock-math-\*\)/,
    );
  });
});

describe('the OpenAPI document', () => {
  it('describes every experiment route, and every described one exists', async () => {
    const doc = await ok<{ paths: Record<string, Record<string, unknown>> }>(
      base,
      'GET',
      '/api/v1/openapi.json',
    );
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/experiments'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const registered = argus.server.routes
      .filter((r) => r.path.startsWith('/api/v1/experiments'))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(registered.sort());
  });
});

describe('an llm_judge experiment', () => {
  it('scores with the judge and every judge call is a traced evaluator span', async () => {
    const judge = await ok(base, 'POST', '/api/v1/evaluators', {
      name: 'judge',
      type: 'llm_judge',
      config: { connectionId: ids.connectionId, model: 'mock-judge', template: 'correctness' },
    });
    const done = await runPrompt('mock-math-wrong-40', [judge.data.id], 'judged');
    expect(done.status).toBe('completed');
    expect(done.summary.scores.judge?.mean).toBeCloseTo(0.6, 12);
    const items = await itemsOf(done.id);
    expect(items).toHaveLength(40);
    for (const item of items.slice(0, 10)) {
      const trace = await ok<TraceAnswer>(base, 'GET', `/api/v1/traces/${item.traceId}`);
      const evaluator = trace.spans.find((s) => s.kind === 'evaluator');
      expect(evaluator).toBeDefined();
      const judgeCall = trace.spans.find(
        (s) => s.kind === 'llm' && s.requestModel === 'mock-judge' && s.parentSpanId === evaluator?.spanId,
      );
      expect(judgeCall).toBeDefined();
      expect(trace.scores.map((s) => s.name)).toEqual(['judge']);
    }
  });
});

describe('an external target', () => {
  it('takes posted outputs, scores them, completes when every item has one, and refuses strangers', async () => {
    const created = await ok<{ data: Experiment }>(base, 'POST', '/api/v1/experiments', {
      name: 'my app',
      datasetId: ids.datasetId,
      target: { type: 'external' },
      evaluators: [ids.exactId],
    });
    const id = created.data.id;
    expect(created.data.status).toBe('running');
    const unknown = await call(base, 'POST', `/api/v1/experiments/${id}/results`, [
      { itemId: 'q999', output: '1' },
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toMatch(/'0.itemId': 'q999' is not an item/);
    const questions = arithmeticItems();
    const first = await ok<{ data: unknown }>(base, 'POST', `/api/v1/experiments/${id}/results`, {
      results: questions.slice(0, 20).map((q) => ({ itemId: q.id, output: q.expectedOutput, latencyMs: 5 })),
    });
    expect(first.data).toEqual({ accepted: 20, progress: { done: 20, total: 40 } });
    await ok(
      base,
      'POST',
      `/api/v1/experiments/${id}/results`,
      questions.slice(20).map((q) => ({ itemId: q.id, output: 'no idea', latencyMs: 7 })),
    );
    const done = await waitFor(base, id);
    expect(done).toMatchObject({ status: 'completed', progress: { done: 40, total: 40 } });
    expect(done.summary.scores.exact?.mean).toBe(0.5);
    const late = await call(base, 'POST', `/api/v1/experiments/${id}/results`, [
      { itemId: 'q1', output: '1' },
    ]);
    expect(late.status).toBe(409);
    const audit = await ok<{ data: { action: string; target: string }[] }>(
      base,
      'GET',
      '/api/v1/audit?limit=1000',
    );
    expect(audit.data).toContainEqual(expect.objectContaining({ action: 'experiment.create', target: id }));
    expect((await call(base, 'DELETE', `/api/v1/experiments/${id}`)).status).toBe(204);
    expect((await call(base, 'GET', `/api/v1/experiments/${id}`)).status).toBe(404);
    expect((await call(base, 'GET', `/api/v1/experiments/${id}/items`)).status).toBe(404);
  });
});
