/**
 * Confidence from logprobs end to end: wrapOpenAI calls with `logprobs: true` against the mock
 * LLM, exported to a real Argus; each LLM span carries perplexity = exp(−mean) of exactly the
 * logprobs the mock returned (streamed or not), keeps the tokens for the trace view, and the span
 * list filters on it (minPerplexity / maxPerplexity) and sorts by it (least confident first).
 */

import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Span } from '@argus/shared';
import { OpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { flush, init, shutdown, wrapOpenAI } from '../src/index.ts';

const SERVICE = 'sdk-logprobs-test';
const PROMPTS = ['Tell me about rivers', 'Explain photosynthesis briefly', 'What is a compiler?'];

let argus: TestServer;
let mock: MockLlm;
let openai: OpenAI;
/** Response id → the logprobs the mock returned. */
const returned = new Map<string, number[]>();

type Page = { data: Span[]; nextCursor?: string };

async function spans(query: string): Promise<Page> {
  return argus.get<Page>(`/api/v1/spans?service=${SERVICE}&kind=llm&${query}`);
}

beforeAll(async () => {
  [argus, mock] = await Promise.all([startTestServer(), startMockLlm({ latencyMs: 1 })]);
  init({ endpoint: argus.url, serviceName: SERVICE, diagnostics: () => {} });
  openai = wrapOpenAI(new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'test-key' }));
  for (const prompt of PROMPTS) {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
      logprobs: true,
      top_logprobs: 3,
    });
    returned.set(
      completion.id,
      (completion.choices[0]?.logprobs?.content ?? []).map((t) => t.logprob),
    );
  }
  const stream = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Stream a short poem about the sea' }],
    logprobs: true,
    top_logprobs: 2,
    stream: true,
  });
  let streamId = '';
  const streamed: number[] = [];
  for await (const chunk of stream) {
    streamId = chunk.id;
    for (const t of chunk.choices[0]?.logprobs?.content ?? []) streamed.push(t.logprob);
  }
  returned.set(streamId, streamed);
  // One call without logprobs: no confidence, never in a perplexity filter or order.
  await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'No logprobs' }],
  });
  await flush();
  const deadline = Date.now() + 15_000;
  while ((await spans('limit=100')).data.length < 5 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
}, 60_000);

afterAll(async () => {
  await shutdown();
  await mock?.close();
  await argus?.stop();
});

/** exp(−mean), summed in token order as the server does. */
function perplexityOf(logprobs: number[]): number {
  let sum = 0;
  for (const l of logprobs) sum += l;
  return Math.exp(-(sum / logprobs.length));
}

describe('confidence from wrapOpenAI logprobs', () => {
  it('gives each LLM span the exact perplexity of the logprobs the mock returned', async () => {
    const { data } = await spans('limit=100');
    expect(data).toHaveLength(5);
    for (const [responseId, logprobs] of returned) {
      const span = data.find((s) => s.responseId === responseId);
      expect(logprobs.length).toBeGreaterThan(3);
      expect(span?.perplexity).toBe(perplexityOf(logprobs));
      expect(span?.logprobTokens).toBe(logprobs.length);
      expect(span?.logprobMin).toBe(Math.min(...logprobs));
      expect(span?.lowProbShare).toBe(logprobs.filter((l) => l < Math.log(0.5)).length / logprobs.length);
      expect(span?.topEntropyMean).toBeGreaterThan(0);
    }
    const plain = data.find((s) => !returned.has(s.responseId));
    expect(plain?.perplexity).toBeUndefined();
    expect(plain?.logprobTokens).toBeUndefined();
  });

  it('keeps the tokens and their alternatives on the span for the trace view', async () => {
    const { data } = await spans('limit=100');
    const [responseId, logprobs] = [...returned][0]!;
    const listed = data.find((s) => s.responseId === responseId)!;
    const trace = await argus.get<{ spans: Span[] }>(`/api/v1/traces/${listed.traceId}`);
    const span = trace.spans.find((s) => s.spanId === listed.spanId)!;
    const event = span.events.find((e) => e.name === 'gen_ai.choice.logprobs');
    const content = event?.attributes['logprobs.content'] as { logprob: number; top_logprobs: unknown[] }[];
    expect(content.map((t) => t.logprob)).toEqual(logprobs);
    expect(content[0]?.top_logprobs).toHaveLength(3);
  });

  it('filters by minPerplexity and maxPerplexity', async () => {
    const values = [...returned.values()].map(perplexityOf).sort((a, b) => a - b);
    // A bound between two spans' values, so no span sits on it.
    const middle = Number((((values[1] ?? 0) + (values[2] ?? 0)) / 2).toFixed(12));
    expect(values[1]).toBeLessThan(middle);
    expect(values[2]).toBeGreaterThan(middle);
    const atLeast = await spans(`minPerplexity=${middle}`);
    expect(atLeast.data.map((s) => s.perplexity).sort()).toEqual(values.slice(2).sort());
    const atMost = await spans(`maxPerplexity=${middle}`);
    expect(atMost.data.every((s) => s.perplexity !== undefined && s.perplexity <= middle)).toBe(true);
    expect(atMost.data.length).toBe(2);
    const bad = await fetch(`${argus.url}/api/v1/spans?minPerplexity=3&maxPerplexity=2`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      "Invalid parameter 'minPerplexity': 3 is greater than maxPerplexity 2",
    );
  });

  it('sorts least confident first, paging exactly, and leaves out spans without logprobs', async () => {
    const expected = [...returned.values()].map(perplexityOf).sort((a, b) => b - a);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await spans(`sort=perplexity&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((s) => s.perplexity ?? Number.NaN));
      cursor = page.nextCursor;
    } while (cursor !== undefined && seen.length < 10);
    expect(seen).toEqual(expected);
    const timeCursor = (await spans('limit=1')).nextCursor;
    const mixed = await fetch(`${argus.url}/api/v1/spans?sort=perplexity&cursor=${timeCursor}`);
    expect(mixed.status).toBe(400);
    const badSort = await fetch(`${argus.url}/api/v1/spans?sort=confidence`);
    expect(((await badSort.json()) as { error: { message: string } }).error.message).toBe(
      "Invalid parameter 'sort': 'confidence' is not one of time, perplexity",
    );
  });
});
