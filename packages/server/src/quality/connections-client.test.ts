import { getEventListeners } from 'node:events';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callChat, callEmbedding, ProviderCallError, scrubSecrets } from './connections-client.ts';
import { runEvaluator } from './evaluators/run.ts';
import { type ConnectionTarget, chatRequest } from './provider-wire.ts';

let mock: MockLlm;
let slow: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
  slow = await startMockLlm({ latencyMs: 400 });
});
afterAll(async () => {
  await mock.close();
  await slow.close();
});

const target = (over: Partial<ConnectionTarget> = {}): ConnectionTarget => ({
  provider: 'openai-compatible',
  baseUrl: `${mock.url}/v1`,
  apiKey: 'sk-unit-secret',
  headers: {},
  ...over,
});

describe('callChat', () => {
  it('returns text, usage, logprobs and latency from an OpenAI-compatible server', async () => {
    const result = await callChat(target(), {
      model: 'mock-math-right',
      messages: [{ role: 'user', content: 'What is 12+7?' }],
      logprobs: true,
      topLogprobs: 2,
    });
    expect(result).toMatchObject({ text: '19', finishReason: 'stop', attempts: 1 });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.logprobs?.[0]).toMatchObject({ token: '19' });
    expect(result.logprobs?.[0]?.topLogprobs).toHaveLength(2);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('speaks the Anthropic Messages API', async () => {
    const result = await callChat(target({ provider: 'anthropic', baseUrl: mock.url }), {
      model: 'claude-haiku-4-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it('retries 429 and 5xx answers with backoff, then reports the last one', async () => {
    const before = mock.requests;
    const error = await callChat(
      target({ headers: { 'x-mock-fail': '429' } }),
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      { maxRetries: 2, backoffMs: 1, maxBackoffMs: 5 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerStatus: 429, attempts: 3 });
    expect(mock.requests - before).toBe(3);
  });

  it('leaves no abort listener on a signal that outlives the call after its backoffs', async () => {
    // The experiment runner passes one signal to every call it makes.
    const controller = new AbortController();
    await callChat(
      target({ headers: { 'x-mock-fail': '429' } }),
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      { maxRetries: 2, backoffMs: 1, maxBackoffMs: 5, signal: controller.signal },
    ).catch(() => undefined);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('does not retry a 4xx other than 408/409/429', async () => {
    const before = mock.requests;
    await expect(
      callChat(target({ headers: { 'x-mock-fail': '400' } }), {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ providerStatus: 400, attempts: 1 });
    expect(mock.requests - before).toBe(1);
  });

  it('refuses a private literal address on every call while the guard is on, without retrying', async () => {
    const before = mock.requests;
    await expect(
      callChat(
        target(),
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { hostPolicy: { restrictPrivate: true, allowedHosts: [] } },
      ),
    ).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED' });
    expect(mock.requests).toBe(before);
  });

  it('gives up on an attempt after its time limit', async () => {
    await expect(
      callChat(
        target({ baseUrl: `${slow.url}/v1` }),
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { timeoutMs: 50, maxRetries: 0 },
      ),
    ).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
  });
});

describe('callEmbedding', () => {
  it('returns one vector per text in input order', async () => {
    const result = await callEmbedding(target({ embeddingModel: 'text-embedding-3-small' }), {
      texts: ['a', 'b'],
    });
    expect(result.vectors).toHaveLength(2);
    expect(result.vectors[0]).toHaveLength(1536);
  });

  it('refuses Anthropic, which has no embeddings API', async () => {
    await expect(
      callEmbedding(target({ provider: 'anthropic' }), { texts: ['a'], model: 'x' }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
  });
});

describe('wire shapes', () => {
  it('calls an Azure deployment with api-key and api-version', () => {
    const wire = chatRequest(
      { provider: 'azure-openai', baseUrl: 'https://acme.openai.azure.com/', apiKey: 'k', headers: {} },
      { model: 'gpt-4o', messages: [] },
    );
    expect(wire.url).toBe(
      'https://acme.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    );
    expect(wire.headers['api-key']).toBe('k');
    expect(wire.headers.authorization).toBeUndefined();
  });

  it('asks OpenAI for max_completion_tokens and compatible servers for max_tokens', () => {
    const request = { model: 'o4-mini', messages: [], maxTokens: 5 };
    expect(chatRequest({ provider: 'openai', apiKey: 'k', headers: {} }, request).body).toMatchObject({
      max_completion_tokens: 5,
    });
    expect(chatRequest(target(), request).body).toMatchObject({ max_tokens: 5 });
  });

  it('removes the key and header values from messages', () => {
    const t = target({ headers: { 'x-org': 'org-secret-123' } });
    expect(scrubSecrets('bad key sk-unit-secret for org-secret-123', t)).toBe('bad key *** for ***');
  });
});

describe('an llm_judge over each dialect', () => {
  it.each([
    // Why: JSON answers and tool calls are read from both the OpenAI and the Anthropic shapes.
    ['openai-compatible', 'json'],
    ['openai-compatible', 'tool'],
    ['anthropic', 'json'],
    ['anthropic', 'tool'],
  ] as const)('%s answering with %s', async (provider, answerWith) => {
    const connection = target(provider === 'anthropic' ? { provider, baseUrl: mock.url } : {});
    const config = { connectionId: 'c', model: 'mock-judge', template: 'correctness', answerWith };
    const run = (output: string) =>
      runEvaluator(
        { name: 'j', type: 'llm_judge', config },
        { input: 'What is 2+2?', output, expected: '4' },
        {
          connection: async () => connection,
        },
      );
    expect(await run('4')).toMatchObject({ score: 1, label: 'correct' });
    expect(await run('5')).toMatchObject({ score: 0, label: 'incorrect' });
  });
});

describe('evaluator traces', () => {
  it('hang the evaluator span under a given parent and record each model call as its child', async () => {
    const requests: import('../otlp/types.ts').TracesRequest[] = [];
    const parent = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };
    const result = await runEvaluator(
      {
        name: 'judge',
        type: 'llm_judge',
        config: { connectionId: 'c', model: 'mock-judge-flaky', template: 'relevance' },
      },
      { input: 'hi', output: 'hello' },
      {
        connection: async () => target(),
        parent,
        recordTrace: async (request) => void requests.push(request),
      },
    );
    expect(result.traceId).toBe(parent.traceId);
    const spans = requests[0]!.resourceSpans[0]!.scopeSpans[0]!.spans;
    const [root, ...calls] = spans;
    expect(root).toMatchObject({
      traceId: parent.traceId,
      parentSpanId: parent.spanId,
      name: 'evaluator judge',
    });
    expect(calls).toHaveLength(2);
    for (const call of calls)
      expect(call).toMatchObject({ traceId: parent.traceId, parentSpanId: root!.spanId });
    expect(root!.attributes['openinference.span.kind']).toBe('EVALUATOR');
  });
});
