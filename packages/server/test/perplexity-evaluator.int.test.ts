/**
 * Perplexity on evaluation data through the API, as a user runs it: a `perplexity` evaluator on an
 * OpenAI-compatible connection (the mock LLM's /v1/completions with echo), used in an experiment
 * over 40 items; each item's score is its expected output's perplexity given its input, and the
 * scoring calls make a per-model perplexity series (service argus-evaluators).
 */

import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Experiment, ExperimentItemResult } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arithmeticItems, ok, setUpArithmetic, startArithmeticRun, waitFor } from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let mock: MockLlm;
let experiment: Experiment;
let items: ExperimentItemResult[];

/** The mock's own logprobs of `text` after `context` and a line break, summed in token order. */
async function expectedPerplexity(model: string, context: string, text: string): Promise<number> {
  const prefix = `${context}\n`;
  const response = await fetch(`${mock.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, prompt: prefix + text, echo: true, logprobs: 1, max_tokens: 0 }),
  });
  const lp = (
    (await response.json()) as {
      choices: { logprobs: { token_logprobs: (number | null)[]; text_offset: number[] } }[];
    }
  ).choices[0]!.logprobs;
  let sum = 0;
  let n = 0;
  for (const [i, l] of lp.token_logprobs.entries()) {
    if (l === null || (lp.text_offset[i] ?? 0) < prefix.length) continue;
    sum += l;
    n++;
  }
  return Math.exp(-(sum / n));
}

beforeAll(async () => {
  [argus, mock] = await Promise.all([startTestServer(), startMockLlm({ latencyMs: 0 })]);
  const ids = await setUpArithmetic(argus.url, mock.url);
  const evaluator = await ok(argus.url, 'POST', '/api/v1/evaluators', {
    name: 'ppl',
    type: 'perplexity',
    config: { connectionId: ids.connectionId, model: 'mock-lm', maxPerplexity: 3 },
  });
  const created = await startArithmeticRun(argus.url, ids, {
    name: 'perplexity',
    model: 'mock-math-right',
    concurrency: 8,
    evaluators: [evaluator.data.id],
  });
  experiment = await waitFor(argus.url, created.id);
  items = (
    await ok<{ data: ExperimentItemResult[] }>(
      argus.url,
      'GET',
      `/api/v1/experiments/${created.id}/items?limit=100`,
    )
  ).data;
}, 120_000);

afterAll(async () => {
  await Promise.all([argus?.stop(), mock?.close()]);
});

describe('perplexity evaluator in an experiment', () => {
  it('scores every item with its expected output’s perplexity given its input', async () => {
    expect(experiment.status).toBe('completed');
    expect(experiment.summary.scores.ppl?.n).toBe(40);
    for (const q of arithmeticItems().slice(0, 5)) {
      const item = items.find((i) => i.itemId === q.id)!;
      expect(item.scores.ppl).toBe(await expectedPerplexity('mock-lm', q.input, q.expectedOutput));
    }
    const mean = items.reduce((sum, i) => sum + (i.scores.ppl ?? 0), 0) / items.length;
    expect(experiment.summary.scores.ppl?.mean).toBeCloseTo(mean, 9);
  });

  it('makes per-model perplexity on evaluation data a series', async () => {
    type Series = { totals: Record<string, number>; series: { group: { model?: string } }[] };
    let result: Series | undefined;
    for (let tries = 0; tries < 100; tries++) {
      result = await argus.get<Series>(
        '/api/v1/metrics/series?service=argus-evaluators&metrics=perplexityMean,logprobRequests&groupBy=model',
      );
      if (result.totals.logprobRequests === 40) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(result?.totals.logprobRequests).toBe(40);
    // Grouped by response model: the version the mock says answered.
    expect(result?.series.map((s) => s.group.model)).toEqual(['mock-lm-2024-07-18']);
    const mean = items.reduce((sum, i) => sum + (i.scores.ppl ?? 0), 0) / items.length;
    expect(result?.totals.perplexityMean).toBeCloseTo(mean, 9);
  });
});
