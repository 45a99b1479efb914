/**
 * Issue 19 item 1: `--gateway-port` serves the gateway's `/gateway/*` routes on a second port, with
 * the same authentication and recording; every other path there answers 404, and the main port
 * keeps serving the gateway. A port in use stops start-up with a sentence naming the option.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { TraceDetail } from '@argus/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArgus } from './support/cli.ts';
import { call, ok } from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let mock: MockLlm;

beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 1 });
  argus = await startTestServer({ gatewayPort: 0 });
  await ok(argus.url, 'POST', '/api/v1/llm-connections', {
    name: 'main',
    provider: 'openai-compatible',
    baseUrl: `${mock.url}/v1`,
    models: ['gpt-4o-mini'],
  });
}, 60_000);

afterAll(async () => {
  await argus?.stop();
  await mock?.close();
});

describe('--gateway-port', () => {
  it('serves the gateway on its own port and records the calls', async () => {
    const gatewayUrl = argus.server.gatewayUrl ?? '';
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gatewayUrl).not.toBe(argus.url);
    const client = new OpenAI({ baseURL: `${gatewayUrl}/gateway/v1`, apiKey: 'unused', maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello?' }] })
      .withResponse();
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const traceId = response.headers.get('x-argus-trace-id') ?? '';
    let trace: TraceDetail | undefined;
    for (let i = 0; i < 200 && !trace; i++) {
      const answer = await call<TraceDetail>(argus.url, 'GET', `/api/v1/traces/${traceId}`);
      if (answer.status === 200) trace = answer.json;
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(trace?.spans[0]?.serviceName).toBe('argus-gateway');
    const models = await call<{ data: { id: string }[] }>(gatewayUrl, 'GET', '/gateway/v1/models');
    expect(models.json.data.map((m) => m.id)).toContain('gpt-4o-mini');
    // The main port still serves the gateway.
    const main = await fetch(`${argus.url}/gateway/v1/models`);
    expect(main.status).toBe(200);
  });

  it.each([['/api/v1/gateway/status'], ['/v1/traces'], ['/']])(
    'answers 404 for %s on the gateway port',
    async (path) => {
      const answer = await call(argus.server.gatewayUrl ?? '', 'GET', path);
      expect(answer.status).toBe(404);
      expect(answer.json.error.message).toContain('this port serves only the gateway (/gateway/…)');
    },
  );

  it('refuses to start on a gateway port in use, naming the option', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-gateway-port-'));
    try {
      // Its own process: chDB opens one data directory per process.
      const result = await runArgus([
        'start',
        '--port',
        '0',
        '--grpc-port',
        '0',
        '--gateway-port',
        String(port),
        '--data-dir',
        dir,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Cannot listen on port ${port} (gateway): another program is using it`);
      expect(result.stderr).toContain('--gateway-port <port>');
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
