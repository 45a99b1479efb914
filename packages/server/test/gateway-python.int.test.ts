/**
 * Issue 19: the official Python `openai` client (the pinned one of the compatibility venv,
 * `.venv-compat`, which scripts/test-all.sh creates) pointed at the gateway gets the same answers
 * as when it calls the mock LLM directly, streamed and not, and each call is a trace with tokens.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { TraceDetail } from '@argus/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, ok } from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const python = path.resolve(here, '../../../.venv-compat/bin/python');

let argus: TestServer;
let mock: MockLlm;

beforeAll(async () => {
  if (!existsSync(python))
    throw new Error(`${python} is missing: run scripts/test-all.sh --no-test to create the Python venvs`);
  mock = await startMockLlm({ chunkDelayMs: 1 });
  argus = await startTestServer();
  await ok(argus.url, 'POST', '/api/v1/llm-connections', {
    name: 'mock',
    provider: 'openai-compatible',
    baseUrl: `${mock.url}/v1`,
    models: ['gpt-4o*'],
  });
}, 60_000);

afterAll(async () => {
  await argus?.stop();
  await mock?.close();
});

interface Result {
  gateway: unknown;
  direct: unknown;
  gatewayChunks: unknown[];
  directChunks: unknown[];
  traceIds: string[];
}

it("gives the Python openai client the provider's answers and records each call", async () => {
  const { stdout } = await promisify(execFile)(python, [path.join(here, 'gateway', 'python_openai.py')], {
    env: {
      ...process.env,
      GATEWAY_URL: `${argus.url}/gateway/v1`,
      MOCK_URL: `${mock.url}/v1`,
      PYTHONDONTWRITEBYTECODE: '1',
    },
    timeout: 60_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line).toBeDefined();
  const result = JSON.parse(line!.slice('RESULT '.length)) as Result;
  expect(result.gateway).toEqual(result.direct);
  expect(result.gatewayChunks.length).toBeGreaterThan(2);
  expect(result.gatewayChunks).toEqual(result.directChunks);
  for (const traceId of result.traceIds) {
    let tokens = 0;
    for (let i = 0; i < 200 && tokens === 0; i++) {
      const trace = await call<TraceDetail>(argus.url, 'GET', `/api/v1/traces/${traceId}`);
      tokens = trace.status === 200 ? (trace.json.spans[0]?.outputTokens ?? 0) : 0;
      if (tokens === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(tokens).toBeGreaterThan(0);
  }
});
