/**
 * Issue 19 items 3-5 with authentication on: gateway keys (an ingest-role key is enough), per-key
 * request limits and USD budgets answered with a provider-style 429, spend per key on /metrics and
 * in the status API, provider keys passed through only when the project allows it, the response
 * cache (JSON and streamed replay, recorded as cached at no cost, hit rate on /metrics) and logprob
 * sampling (asked upstream, stripped from the caller's answer, confidence recorded on the span).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { GatewayStatus, Span, TraceDetail } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createKey, keyCaller, signIn } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const PASSWORD = 'a gateway admin password';
const QUESTION = [{ role: 'user', content: 'What is the capital of France?' }];
let argus: TestServer;
let mock: MockLlm;
let admin: Caller;
/** A stand-in provider that records the Authorization header it was sent. */
let keyEcho: http.Server;
const seenKeys: string[] = [];

beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 1 });
  keyEcho = http.createServer((request, response) => {
    seenKeys.push(String(request.headers.authorization ?? ''));
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: 'x',
        model: 'echo',
        choices: [],
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      }),
    );
  });
  await new Promise<void>((resolve) => keyEcho.listen(0, '127.0.0.1', resolve));
  argus = await startTestServer({
    auth: 'on',
    adminUsername: 'admin',
    adminPassword: PASSWORD,
    // Authentication on: the SSRF guard refuses loopback providers unless allowed.
    llmAllowedHosts: '127.0.0.1',
  });
  admin = await signIn(argus.url, 'admin', PASSWORD);
  const create = (body: Record<string, unknown>) => admin.json('POST', '/api/v1/llm-connections', body);
  await create({
    name: 'mock',
    provider: 'openai-compatible',
    baseUrl: `${mock.url}/v1`,
    models: ['gpt-4o*'],
  });
  const echoUrl = `http://127.0.0.1:${(keyEcho.address() as AddressInfo).port}/v1`;
  await create({
    name: 'echo',
    provider: 'openai-compatible',
    baseUrl: echoUrl,
    apiKey: 'sk-sealed',
    models: ['echo'],
  });
}, 60_000);

afterAll(async () => {
  await argus?.stop();
  await mock?.close();
  keyEcho?.close();
});

async function gatewayKey(limits?: Record<string, unknown>): Promise<{ id: string; caller: Caller }> {
  const key = await createKey(admin, 'default', 'ingest');
  if (limits) await admin.json('PUT', `/api/v1/gateway/keys/${key.id}/limits`, limits);
  return { id: key.id, caller: keyCaller(argus.url, key.secretKey) };
}

const chat = (caller: Caller, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  caller.call(
    'POST',
    '/gateway/v1/chat/completions',
    { model: 'gpt-4o-mini', messages: QUESTION, ...body },
    headers,
  );

async function spanOf(traceId: string): Promise<Span> {
  for (let i = 0; i < 200; i++) {
    const answer = await admin.call('GET', `/api/v1/traces/${traceId}`);
    if (answer.status === 200) {
      const span = ((await answer.json()) as TraceDetail).spans[0];
      if (span) return span;
    } else await answer.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no span in trace ${traceId}`);
}

describe('keys and limits', () => {
  it('refuses a call without a key, and serves one with an ingest key', async () => {
    const anonymous = await fetch(`${argus.url}/gateway/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    const { caller } = await gatewayKey();
    expect((await chat(caller)).status).toBe(200);
  });

  it('answers a provider-style 429 with Retry-After past the requests per minute', async () => {
    const { caller } = await gatewayKey({ requestsPerMinute: 2 });
    expect((await chat(caller)).status).toBe(200);
    expect((await chat(caller)).status).toBe(200);
    const refused = await chat(caller);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { message: string; type: string; code: string } };
    expect(body.error).toMatchObject({ type: 'rate_limit_exceeded', code: 'RATE_LIMITED' });
    expect(body.error.message).toContain('2 requests per minute');
  });

  it('stops a key at its daily budget and shows its spend on /metrics and in the status', async () => {
    const { id, caller } = await gatewayKey({ usdPerDay: 0.000001 });
    const first = await chat(caller);
    expect(first.status).toBe(200);
    await spanOf(first.headers.get('x-argus-trace-id') ?? '');
    let refused: Response | undefined;
    for (let i = 0; i < 100 && refused === undefined; i++) {
      const next = await chat(caller);
      if (next.status === 429) refused = next;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refused).toBeDefined();
    expect(((await refused!.json()) as { error: { message: string } }).error.message).toContain('per day');
    const metrics = await (await admin.call('GET', '/metrics')).text();
    const line = metrics
      .split('\n')
      .find(
        (l) => l.startsWith('argus_gateway_key_spend_usd{') && l.includes(id) && l.includes('period="day"'),
      );
    expect(Number(line?.split(' ').at(-1))).toBeGreaterThan(0);
    const { data } = await admin.json<{ data: GatewayStatus }>('GET', '/api/v1/gateway/status');
    expect(data.keys.find((k) => k.keyId === id)).toMatchObject({ limits: { usdPerDay: 0.000001 } });
  });

  it('refuses limits for a key of no project of the caller', async () => {
    const answer = await admin.call('PUT', '/api/v1/gateway/keys/no-such-key/limits', {
      requestsPerMinute: 1,
    });
    expect(answer.status).toBe(404);
  });

  it('passes a provider key through only when the project allows it', async () => {
    const { caller } = await gatewayKey();
    expect((await chat(caller, { model: 'echo' }, { 'x-argus-provider-key': 'sk-caller' })).status).toBe(403);
    await admin.json('PUT', '/api/v1/gateway/settings', { allowProviderKeys: true });
    expect((await chat(caller, { model: 'echo' }, { 'x-argus-provider-key': 'sk-caller' })).status).toBe(200);
    expect((await chat(caller, { model: 'echo' })).status).toBe(200);
    expect(seenKeys.slice(-2)).toEqual(['Bearer sk-caller', 'Bearer sk-sealed']);
    await admin.json('PUT', '/api/v1/gateway/settings', { allowProviderKeys: false });
  });
});

describe('cache', () => {
  it.each([false, true])(
    'replays a cached answer byte for byte (stream %s), recorded as cached at no cost',
    async (stream) => {
      const { caller } = await gatewayKey();
      const body = {
        messages: [{ role: 'user', content: `Cache me ${stream}` }],
        stream,
        stream_options: stream ? { include_usage: true } : undefined,
      };
      const first = await chat(caller, body, { 'x-argus-cache': 'true' });
      const firstText = await first.text();
      const second = await chat(caller, body, { 'x-argus-cache': 'true' });
      expect(second.headers.get('x-argus-cache')).toBe('hit');
      const secondText = await second.text();
      expect(secondText).toBe(firstText);
      // A replayed JSON answer has its length, as the provider's had; a replayed stream has none.
      expect(second.headers.get('content-length')).toBe(stream ? null : String(Buffer.byteLength(firstText)));
      const span = await spanOf(second.headers.get('x-argus-trace-id') ?? '');
      expect(span.attributes['argus.gateway.cached']).toBe(true);
      expect(span.costUsd).toBe(0);
      expect(span.outputTokens).toBeGreaterThan(0);
      // Without the header (and the cache off for the project), the same call goes to the provider.
      const third = await chat(caller, body);
      expect(third.headers.get('x-argus-cache')).toBeNull();
      await third.body?.cancel();
    },
  );

  it('counts hits and misses on /metrics and in the status', async () => {
    const metrics = await (await admin.call('GET', '/metrics')).text();
    expect(metrics).toMatch(
      /argus_gateway_cache_lookups_total\{argus_project="default",result="hit"\} [1-9]/,
    );
    const { data } = await admin.json<{ data: GatewayStatus }>('GET', '/api/v1/gateway/status');
    expect(data.cache.hits).toBeGreaterThan(0);
    expect(data.cache.hitRate).toBeGreaterThan(0);
    expect(data.overhead.calls).toBeGreaterThan(0);
  });
});

describe('logprob sampling', () => {
  it('asks upstream for logprobs, strips them from the answer and records confidence', async () => {
    const { caller } = await gatewayKey();
    await admin.json('PUT', '/api/v1/gateway/settings', { logprobSampleRate: 1 });
    try {
      const answer = await chat(caller);
      const json = (await answer.json()) as { choices: { logprobs: unknown }[] };
      expect(json.choices[0]?.logprobs).toBeNull();
      const span = await spanOf(answer.headers.get('x-argus-trace-id') ?? '');
      expect(span.attributes['argus.gateway.logprobs_sampled']).toBe(true);
      expect(span.logprobTokens).toBeGreaterThan(0);
      // A caller that asked for logprobs gets them.
      const asked = (await (await chat(caller, { logprobs: true })).json()) as {
        choices: { logprobs: unknown }[];
      };
      expect(asked.choices[0]?.logprobs).not.toBeNull();
    } finally {
      await admin.json('PUT', '/api/v1/gateway/settings', { logprobSampleRate: 0 });
    }
  });
});
