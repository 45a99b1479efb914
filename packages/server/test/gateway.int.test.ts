/**
 * Issue 19: the gateway with the official clients. The `openai` and `@anthropic-ai/sdk` clients
 * pointed at the gateway get the same bytes as when they call the mock LLM directly, streamed and
 * not; every call is a trace with tokens, cost and (streamed) time to first token; a failing
 * connection falls back to a healthy one and the attempts are recorded; aliases, context headers,
 * the added-and-stripped stream usage and the gateway's own errors.
 */
import Anthropic from '@anthropic-ai/sdk';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { GatewayStatus, Span, TraceDetail } from '@argus/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/cli.ts';
import { call, ok } from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let mock: MockLlm;
let gatewayOpenai: OpenAI;
let directOpenai: OpenAI;
const ids: Record<string, string> = {};

async function connection(name: string, body: Record<string, unknown>): Promise<string> {
  const { data } = await ok<{ data: { id: string } }>(argus.url, 'POST', '/api/v1/llm-connections', {
    name,
    ...body,
  });
  return data.id;
}

beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 1 });
  argus = await startTestServer();
  const openaiBase = { provider: 'openai-compatible', baseUrl: `${mock.url}/v1` };
  ids.main = await connection('main', {
    ...openaiBase,
    models: ['gpt-4o*', 'text-embedding-3-small', 'gpt-3.5-turbo-instruct'],
  });
  ids.claude = await connection('claude', { provider: 'anthropic', baseUrl: mock.url, models: ['claude-*'] });
  // Two connections serve `fallback-model`; the first (name order) always answers 503.
  ids.broken = await connection('a-broken', {
    ...openaiBase,
    models: ['fallback-model'],
    headers: { 'x-mock-fail': '503' },
  });
  ids.healthy = await connection('b-healthy', { ...openaiBase, models: ['fallback-model'] });
  // Slow on purpose: its answers start 2.3 s late, or its events come 1.3 s apart.
  await connection('slow-start', {
    ...openaiBase,
    models: ['slow-start'],
    headers: { 'x-mock-latency-ms': '2300' },
  });
  await connection('slow-tokens', {
    ...openaiBase,
    models: ['slow-tokens'],
    headers: { 'x-mock-chunk-delay-ms': '1300' },
  });
  gatewayOpenai = new OpenAI({ baseURL: `${argus.url}/gateway/v1`, apiKey: 'unused', maxRetries: 0 });
  directOpenai = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'unused', maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await argus?.stop();
  await mock?.close();
});

/** The gateway's span of a trace, once written (the span is written after the answer ends). */
async function spanOf(traceId: string): Promise<Span> {
  for (let i = 0; i < 200; i++) {
    const answer = await call<TraceDetail>(argus.url, 'GET', `/api/v1/traces/${traceId}`);
    const span =
      answer.status === 200 ? answer.json.spans.find((s) => s.serviceName === 'argus-gateway') : undefined;
    if (span) return span;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no gateway span in trace ${traceId}`);
}

/** POSTs the same body to the gateway and to the mock; answers both raw. */
async function both(path: string, body: unknown, headers: Record<string, string> = {}) {
  const init = (extra: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...extra, ...headers },
    body: JSON.stringify(body),
  });
  const [viaGateway, direct] = await Promise.all([
    fetch(`${argus.url}/gateway${path.startsWith('/anthropic') ? '' : '/v1'}${path}`, init({})),
    fetch(
      `${mock.url}${path.startsWith('/anthropic') ? path.slice('/anthropic'.length) : `/v1${path}`}`,
      init({}),
    ),
  ]);
  return {
    gateway: { status: viaGateway.status, headers: viaGateway.headers, text: await viaGateway.text() },
    direct: { status: direct.status, headers: direct.headers, text: await direct.text() },
  };
}

const QUESTION = [{ role: 'user' as const, content: 'What is the capital of France?' }];

describe('OpenAI-compatible endpoints', () => {
  it.each([
    // Chat, not streamed: the body goes upstream unchanged, so even the mock's id matches.
    ['/chat/completions', { model: 'gpt-4o-mini', messages: QUESTION }],
    // Chat streamed with usage asked for: nothing to add or strip, so every byte matches.
    [
      '/chat/completions',
      { model: 'gpt-4o-mini', messages: QUESTION, stream: true, stream_options: { include_usage: true } },
    ],
    // The legacy completions endpoint, streamed with usage.
    [
      '/completions',
      {
        model: 'gpt-3.5-turbo-instruct',
        prompt: 'Say hello',
        stream: true,
        stream_options: { include_usage: true },
      },
    ],
    ['/embeddings', { model: 'text-embedding-3-small', input: ['alpha', 'beta'] }],
    // The Responses API, not streamed and streamed (its usage is always in response.completed).
    ['/responses', { model: 'gpt-4o-mini', input: 'What is the capital of France?' }],
    ['/responses', { model: 'gpt-4o-mini', input: 'What is the capital of France?', stream: true }],
  ])('POST %s answers the bytes the provider sent and records a trace', async (path, body) => {
    const { gateway, direct } = await both(path, body);
    expect(gateway.status).toBe(200);
    expect(gateway.text).toBe(direct.text);
    // A body passed on unchanged keeps the provider's length (an event stream has none).
    expect(gateway.headers.get('content-length')).toBe(direct.headers.get('content-length'));
    const traceId = gateway.headers.get('x-argus-trace-id') ?? '';
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    expect(Number(gateway.headers.get('x-argus-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const span = await spanOf(traceId);
    expect(span.kind).toBe(path === '/embeddings' ? 'embedding' : 'llm');
    expect(span.requestModel).toBe(body.model);
    expect(span.inputTokens).toBeGreaterThan(0);
    expect(span.tokensEstimated).toBe(false);
    expect(span.costUsd).toBeGreaterThan(0);
    if ('stream' in body && body.stream) expect(span.ttftMs).toBeGreaterThan(0);
  });

  it('gives the openai client the same answer as the provider, streamed and not, with TTFT and inter-token latency', async () => {
    const request = { model: 'gpt-4o-mini', messages: QUESTION, temperature: 0.2, max_tokens: 50 };
    const viaGateway = await gatewayOpenai.chat.completions.create(request).withResponse();
    expect(viaGateway.data).toEqual(await directOpenai.chat.completions.create(request));
    const span = await spanOf(viaGateway.response.headers.get('x-argus-trace-id') ?? '');
    expect(span.params).toMatchObject({ temperature: 0.2, maxTokens: 50, stream: false });
    expect(span.output).toEqual([
      expect.objectContaining({
        role: 'assistant',
        parts: [{ type: 'text', content: viaGateway.data.choices[0]?.message.content }],
      }),
    ]);

    const streamed = await gatewayOpenai.chat.completions.create({ ...request, stream: true }).withResponse();
    const direct = await directOpenai.chat.completions.create({ ...request, stream: true });
    const chunks: unknown[] = [];
    for await (const chunk of streamed.data) chunks.push(chunk);
    const directChunks: unknown[] = [];
    for await (const chunk of direct) directChunks.push(chunk);
    // The gateway asked for usage upstream; the caller did not, so no chunk carries it.
    expect(JSON.stringify(chunks)).not.toContain('usage');
    const strip = (c: unknown) => ({ ...(c as object), id: '' });
    // Ids differ (the mock hashes the body, which gained stream_options); all else is the same.
    expect(chunks.map(strip)).toEqual(directChunks.map(strip));
    const streamSpan = await spanOf(streamed.response.headers.get('x-argus-trace-id') ?? '');
    expect(streamSpan.outputTokens).toBeGreaterThan(0);
    expect(streamSpan.tokensEstimated).toBe(false);
    expect(streamSpan.ttftMs).toBeGreaterThan(0);
    expect(streamSpan.attributes['gen_ai.server.inter_token_latency.max_ms']).toBeGreaterThan(0);
  });

  it('lists the models of the connections and the aliases', async () => {
    const models = await gatewayOpenai.models.list();
    expect(models.data.map((m) => m.id)).toEqual(
      expect.arrayContaining(['text-embedding-3-small', 'fallback-model']),
    );
  });
});

describe('Anthropic messages', () => {
  const client = () =>
    new Anthropic({ baseURL: `${argus.url}/gateway/anthropic`, apiKey: 'unused', maxRetries: 0 });
  const direct = () => new Anthropic({ baseURL: mock.url, apiKey: 'unused', maxRetries: 0 });
  const request = { model: 'claude-haiku-4-5', max_tokens: 200, messages: QUESTION };

  it.each([false, true])("answers the provider's bytes (stream %s)", async (stream) => {
    const { gateway, direct: fromMock } = await both(
      '/anthropic/v1/messages',
      { ...request, stream },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(gateway.status).toBe(200);
    expect(gateway.text).toBe(fromMock.text);
    const span = await spanOf(gateway.headers.get('x-argus-trace-id') ?? '');
    expect(span.provider).toBe('anthropic');
    expect(span.outputTokens).toBeGreaterThan(0);
    expect(span.costUsd).toBeGreaterThan(0);
    if (stream) expect(span.ttftMs).toBeGreaterThan(0);
  });

  it('gives the Anthropic client the same message and stream', async () => {
    const viaGateway = await client().messages.create(request);
    expect(viaGateway).toEqual(await direct().messages.create(request));
    const events: unknown[] = [];
    for await (const event of await client().messages.create({ ...request, stream: true }))
      events.push(event);
    const directEvents: unknown[] = [];
    for await (const event of await direct().messages.create({ ...request, stream: true }))
      directEvents.push(event);
    expect(events).toEqual(directEvents);
  });
});

describe('routing', () => {
  it('falls back from a failing connection to a healthy one and records both attempts', async () => {
    const answer = await gatewayOpenai.chat.completions
      .create({ model: 'fallback-model', messages: QUESTION })
      .withResponse();
    expect(answer.response.status).toBe(200);
    const span = await spanOf(answer.response.headers.get('x-argus-trace-id') ?? '');
    expect(span.status).toBe('ok');
    const attempts = JSON.parse(String(span.attributes['argus.gateway.attempts'])) as {
      connection: string;
      status: number;
    }[];
    expect(attempts.map((a) => [a.connection, a.status])).toEqual([
      ['a-broken', 503],
      ['b-healthy', 200],
    ]);
    // The broken connection now cools down: the next call goes to the healthy one first.
    const next = await gatewayOpenai.chat.completions
      .create({ model: 'fallback-model', messages: QUESTION })
      .withResponse();
    const nextSpan = await spanOf(next.response.headers.get('x-argus-trace-id') ?? '');
    expect(JSON.parse(String(nextSpan.attributes['argus.gateway.attempts']))).toHaveLength(1);
    const { data: status } = await ok<{ data: GatewayStatus }>(argus.url, 'GET', '/api/v1/gateway/status');
    const broken = status.connections.find((c) => c.name === 'a-broken');
    expect(broken).toMatchObject({ failures: 1, lastError: 'answered 503' });
    expect(broken?.coolingDownUntil).toBeDefined();
  });

  it("passes the provider's error on when every attempt fails", async () => {
    await ok(argus.url, 'PUT', '/api/v1/gateway/aliases/always-broken', {
      targets: [{ connectionId: ids.broken, model: 'fallback-model', weight: 1 }],
    });
    const answer = await call<{ error: { message: string } }>(
      argus.url,
      'POST',
      '/gateway/v1/chat/completions',
      {
        model: 'always-broken',
        messages: QUESTION,
      },
    );
    expect(answer.status).toBe(503);
    expect(answer.json.error.message).toBeTruthy();
  });

  it('sends an alias to its target model', async () => {
    await ok(argus.url, 'PUT', '/api/v1/gateway/aliases/fast', {
      targets: [{ connectionId: ids.main, model: 'gpt-4o-mini', weight: 1 }],
    });
    const answer = await gatewayOpenai.chat.completions
      .create({ model: 'fast', messages: QUESTION })
      .withResponse();
    expect(answer.data.model).toBe('gpt-4o-mini-2024-07-18');
    const span = await spanOf(answer.response.headers.get('x-argus-trace-id') ?? '');
    expect(span.requestModel).toBe('fast');
    expect(span.costUsd).toBeGreaterThan(0);
  });

  it('refuses a model nothing serves, naming it', async () => {
    const answer = await call<{ error: { code: string; message: string } }>(
      argus.url,
      'POST',
      '/gateway/v1/chat/completions',
      {
        model: 'no-such-model',
        messages: QUESTION,
      },
    );
    expect(answer.status).toBe(404);
    expect(answer.json.error.message).toContain("'no-such-model'");
  });
});

describe('context and bad input', () => {
  it("joins the caller's trace and records user, session, tags and metadata", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await gatewayOpenai.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: QUESTION },
        {
          headers: {
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
            'x-argus-user-id': 'user-7',
            'x-argus-session-id': 'session-3',
            'x-argus-tags': 'beta, eu',
            'x-argus-metadata': '{"tenant":"acme"}',
          },
        },
      )
      .withResponse();
    expect(answer.response.headers.get('x-argus-trace-id')).toBe(traceId);
    const span = await spanOf(traceId);
    expect(span).toMatchObject({
      parentSpanId: '00f067aa0ba902b7',
      userId: 'user-7',
      sessionId: 'session-3',
      tags: ['beta', 'eu'],
      metadata: { tenant: 'acme' },
    });
  });

  it.each([
    // Not JSON at all.
    ['{"model":', {}, 400, 'not JSON'],
    // No model to route by.
    [JSON.stringify({ messages: QUESTION }), {}, 400, "'model'"],
    // Metadata that is not an object of strings.
    [
      JSON.stringify({ model: 'gpt-4o-mini', messages: QUESTION }),
      { 'x-argus-metadata': '[1]' },
      400,
      'x-argus-metadata',
    ],
    // A provider key while the project does not allow them.
    [
      JSON.stringify({ model: 'gpt-4o-mini', messages: QUESTION }),
      { 'x-argus-provider-key': 'sk-x' },
      403,
      'allowProviderKeys',
    ],
  ])('answers %s with %j in the OpenAI error shape', async (body, headers, status, words) => {
    const response = await fetch(`${argus.url}/gateway/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { message: string; type: string } };
    expect(json.error.message).toContain(words);
    expect(json.error.type).toBeTruthy();
  });
});

describe('keep-alive', () => {
  it.each([
    // No answer yet: the gateway answers 200 at once and sends comments until the provider answers.
    ['slow-start', true],
    // Headers came, the first token has not: comments between the events, then the tokens.
    ['slow-tokens', false],
  ])('sends SSE comments while %s waits for its first token', async (model, readToEnd) => {
    await ok(argus.url, 'PUT', '/api/v1/gateway/settings', { keepAliveMs: 1000 });
    try {
      const response = await fetch(`${argus.url}/gateway/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: QUESTION, stream: true, max_tokens: 3 }),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      let text = '';
      const token = /"content":"[^"]/;
      while (!token.test(text) || (readToEnd && !text.includes('[DONE]'))) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      await reader.cancel();
      expect(text).toContain(': keep-alive\n\n');
      // The comments come before the first token, never inside an event.
      expect(text.indexOf(': keep-alive')).toBeLessThan(text.search(token));
      expect(
        text
          .split('\n\n')
          .every((block) => block === '' || block.startsWith('data: ') || block === ': keep-alive'),
      ).toBe(true);
    } finally {
      await ok(argus.url, 'PUT', '/api/v1/gateway/settings', { keepAliveMs: 10_000 });
    }
  });
});

describe('a caller that goes away mid-stream', () => {
  it('is recorded as such, and the gateway goes on serving', async () => {
    const response = await fetch(`${argus.url}/gateway/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow-tokens', messages: QUESTION, stream: true, max_tokens: 5 }),
    });
    expect(response.status).toBe(200);
    const traceId = response.headers.get('x-argus-trace-id')!;
    const reader = response.body!.getReader();
    let text = '';
    while (!/"content":"[^"]/.test(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    await reader.cancel();
    const span = await spanOf(traceId);
    expect(span.status).toBe('error');
    expect(span.statusMessage).toBe('the caller closed the connection before the answer ended');
    const next = await gatewayOpenai.chat.completions.create({ model: 'gpt-4o-mini', messages: QUESTION });
    expect(next.choices[0]?.message.content).toBeTruthy();
  });
});

describe('argus gateway', () => {
  it('sets an alias, changes a setting and shows the status from the command line', async () => {
    const url = ['--url', argus.url];
    const alias = await runMain([
      'gateway',
      'alias',
      'set',
      'cli-fast',
      '--target',
      `${ids.main}:gpt-4o-mini:2`,
      ...url,
    ]);
    expect(alias).toMatchObject({ code: 0 });
    expect(alias.out).toContain('Alias cli-fast → gpt-4o-mini');
    const settings = await runMain([
      'gateway',
      'settings',
      '--set',
      'cache.ttlSeconds=60',
      '--set',
      'maxAttempts=2',
      '--json',
      ...url,
    ]);
    expect(JSON.parse(settings.out)).toMatchObject({ maxAttempts: 2, cache: { ttlSeconds: 60 } });
    const status = await runMain(['gateway', 'status', ...url]);
    expect(status.code).toBe(0);
    expect(status.out).toContain('a-broken');
    expect(status.out).toMatch(/Added latency: p50 [\d.]+ ms, p99 [\d.]+ ms over \d+ calls/);
    const bad = await runMain(['gateway', 'alias', 'set', 'x', '--target', 'no-model', ...url]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Invalid --target 'no-model'");
  });
});
