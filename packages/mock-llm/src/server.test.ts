import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(() => mock.close());

const chat = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
const message = (content: string) => ({
  model: 'claude-haiku-4-5',
  max_tokens: 10,
  messages: [{ role: 'user', content }],
});

describe('failure triggers', () => {
  it.each([
    [
      'chat 429',
      '/v1/chat/completions',
      chat('Hi [[fail:429]]'),
      429,
      { error: { type: 'requests', code: 'rate_limit_exceeded' } },
    ],
    ['chat 500', '/v1/chat/completions', chat('Hi [[fail:500]]'), 500, { error: { type: 'server_error' } }],
    [
      'responses 429',
      '/v1/responses',
      { model: 'gpt-4o', input: '[[fail:429]]' },
      429,
      { error: { code: 'rate_limit_exceeded' } },
    ],
    [
      'embeddings 500',
      '/v1/embeddings',
      { model: 'text-embedding-3-small', input: '[[fail:500]]' },
      500,
      { error: {} },
    ],
    [
      'messages 429',
      '/v1/messages',
      message('[[fail:429]]'),
      429,
      { type: 'error', error: { type: 'rate_limit_error' } },
    ],
    [
      'messages 500',
      '/v1/messages',
      message('[[fail:500]]'),
      500,
      { type: 'error', error: { type: 'api_error' } },
    ],
    // Statuses without a dedicated body get the generic shape of their class.
    [
      'messages 529',
      '/v1/messages',
      message('[[fail:529]]'),
      529,
      { type: 'error', error: { type: 'overloaded_error' } },
    ],
  ])('%s', async (_name, path, body, status, shape) => {
    const response = await post(mock.url + path, body);
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject(shape);
    if (status === 429) expect(response.headers.get('retry-after')).toBe('1');
  });

  // The demo must not put a test marker into what a simulated user typed (issue 13): the header
  // fails the request and the messages stay clean.
  it.each([
    [
      'chat',
      '/v1/chat/completions',
      chat('Do you sell gift cards?'),
      { error: { code: 'rate_limit_exceeded' } },
    ],
    [
      'responses',
      '/v1/responses',
      { model: 'gpt-4o', input: 'Hi' },
      { error: { code: 'rate_limit_exceeded' } },
    ],
    ['messages', '/v1/messages', message('Hi'), { type: 'error', error: { type: 'rate_limit_error' } }],
  ])('fails a %s request on the x-mock-fail: 429 header', async (_name, path, body, shape) => {
    const response = await post(mock.url + path, body, { 'x-mock-fail': '429' });
    expect(response.status).toBe(429);
    expect(response.json).toMatchObject(shape);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('breaks a stream midway on the x-mock-fail: stream header', async () => {
    const { events } = await post(
      `${mock.url}/v1/chat/completions`,
      { ...chat('How long does standard shipping take?'), stream: true },
      { 'x-mock-fail': 'stream' },
    );
    expect(events.length).toBeGreaterThan(1);
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ error: { type: 'server_error' } });
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
  });

  it.each(['teapot', '200', '600', ''])(
    'refuses x-mock-fail: %j with a 400 naming the header',
    async (value) => {
      const response = await post(`${mock.url}/v1/chat/completions`, chat('Hi'), { 'x-mock-fail': value });
      expect(response.status).toBe(400);
      expect(response.json.error.message).toBe(
        `Invalid x-mock-fail header '${value}': expected a status from 400 to 599 or 'stream'`,
      );
    },
  );

  it('fails every request at errorRate 1, with 429s and 500s, and counts requests', async () => {
    const flaky = await startMockLlm({ errorRate: 1, seed: 7 });
    try {
      const statuses = new Set<number>();
      for (let i = 0; i < 20; i++)
        statuses.add((await post(`${flaky.url}/v1/chat/completions`, chat('Hi'))).status);
      expect([...statuses].sort()).toEqual([429, 500]);
      expect(flaky.requests).toBe(20);
    } finally {
      await flaky.close();
    }
  });
});

describe('routing and validation', () => {
  it('answers 404 for unknown routes and 400 for bad JSON', async () => {
    const unknown = await post(`${mock.url}/v1/nope`, {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toBe('Unknown request URL: POST /v1/nope');
    const bad = await post(`${mock.url}/v1/messages`, '{not json');
    expect(bad.status).toBe(400);
    expect(bad.json.error.type).toBe('invalid_request_error');
  });

  it('serves prefixed base URLs (Azure- or Ollama-style paths)', async () => {
    const { status, json } = await post(`${mock.url}/ollama/v1/chat/completions`, chat('Hi'));
    expect(status).toBe(200);
    expect(json.object).toBe('chat.completion');
  });

  it('waits latencyMs before answering', async () => {
    const slow = await startMockLlm({ latencyMs: 80 });
    try {
      const start = performance.now();
      await post(`${slow.url}/v1/chat/completions`, chat('Hi'));
      expect(performance.now() - start).toBeGreaterThanOrEqual(75);
    } finally {
      await slow.close();
    }
  });

  it('refuses to bind a non-loopback host', async () => {
    await expect(startMockLlm({ host: '0.0.0.0' })).rejects.toThrow(
      "host '0.0.0.0' is not a loopback address",
    );
  });
});
