/**
 * A prompt experiment is a background job that survives a restart and never bills an item run
 * twice: the server is stopped mid-run and started again on the same data directory, and the
 * mock LLM counts the calls. Also: provider rate limits (429 with Retry-After) are backed off,
 * and a cancelled experiment stops starting calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Experiment, ExperimentItemResult } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type ArgusServer, startServer } from '../src/server.ts';
import { call, ok, promptTarget, setUpArithmetic, startArithmeticRun, waitFor } from './support/quality.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-exp-restart-'));

function start(): Promise<ArgusServer> {
  const config = loadConfig(
    { port: 0, grpcPort: 0, dataDir, logLevel: 'error', writerFlushIntervalMs: 5 },
    {},
  );
  return startServer(config, createLogger(config.logLevel));
}

let server: ArgusServer | undefined;
let mock: MockLlm;

beforeAll(async () => {
  // Every answer takes 40 ms, so the run is still going when the server stops.
  mock = await startMockLlm({ latencyMs: 40 });
});
afterAll(async () => {
  await server?.close();
  await mock?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a prompt experiment across a restart', () => {
  it('resumes after the restart without calling a finished item again', async () => {
    server = await start();
    const ids = await setUpArithmetic(server.url, mock.url);
    const { id } = await startArithmeticRun(server.url, ids, {
      name: 'resumed',
      model: 'mock-math-right',
      concurrency: 2,
    });
    const before = mock.requests;
    const midway = await waitFor(server.url, id, (e) => e.progress.done >= 8);
    expect(midway.status).toBe('running');
    // A graceful stop lets the calls in flight finish and store their results.
    await server.close();
    const callsBeforeRestart = mock.requests - before;
    expect(callsBeforeRestart).toBeLessThan(40);
    server = await start();
    const resumedAt = (await ok<{ data: Experiment }>(server.url, 'GET', `/api/v1/experiments/${id}`)).data;
    expect(resumedAt.progress.done).toBe(callsBeforeRestart);
    const done = await waitFor(server.url, id);
    expect(done).toMatchObject({ status: 'completed', progress: { done: 40, total: 40 } });
    // Each of the 40 items was called exactly once across both runs.
    expect(mock.requests - before).toBe(40);
    expect(done.summary.scores.exact).toEqual({ mean: 1, ci95: [1, 1], n: 40 });
    const items = await ok<{ data: ExperimentItemResult[] }>(
      server.url,
      'GET',
      `/api/v1/experiments/${id}/items?limit=100`,
    );
    expect(new Set(items.data.map((i) => i.itemId)).size).toBe(40);
  });

  it('cancels: no new calls start, the experiment ends cancelled with what it has', async () => {
    const url = server!.url;
    const { data: datasets } = await ok<{ data: { id: string }[] }>(url, 'GET', '/api/v1/datasets');
    const { data: connections } = await ok<{ data: { id: string }[] }>(url, 'GET', '/api/v1/llm-connections');
    const created = await ok<{ data: Experiment }>(url, 'POST', '/api/v1/experiments', {
      name: 'cancelled',
      datasetId: datasets[0]!.id,
      target: promptTarget(connections[0]!.id, 'mock-math-right'),
      concurrency: 1,
    });
    await waitFor(url, created.data.id, (e) => e.progress.done >= 2);
    const cancel = await call(url, 'POST', `/api/v1/experiments/${created.data.id}/cancel`);
    expect(cancel.status).toBe(200);
    const ended = await waitFor(url, created.data.id);
    expect(ended.status).toBe('cancelled');
    expect(ended.progress.done).toBeLessThan(40);
    const calls = mock.requests;
    await new Promise((r) => setTimeout(r, 200));
    expect(mock.requests).toBe(calls);
  });
});

describe('provider rate limits', () => {
  it('backs off 429 answers (Retry-After) and 5xx, and still completes every item', async () => {
    const flaky = await startMockLlm({ errorRate: 0.15, seed: 7 });
    try {
      const url = server!.url;
      const connection = await ok(url, 'POST', '/api/v1/llm-connections', {
        name: 'flaky',
        provider: 'openai-compatible',
        baseUrl: `${flaky.url}/v1`,
        apiKey: 'sk-test',
      });
      const { data: datasets } = await ok<{ data: { id: string }[] }>(url, 'GET', '/api/v1/datasets');
      const created = await ok<{ data: Experiment }>(url, 'POST', '/api/v1/experiments', {
        name: 'rate limited',
        datasetId: datasets[0]!.id,
        target: promptTarget(connection.data.id, 'mock-math-right'),
        concurrency: 8,
      });
      const done = await waitFor(url, created.data.id);
      expect(done).toMatchObject({ status: 'completed', progress: { done: 40, total: 40 } });
      expect(done.summary.errors).toBe(0);
      // Failed attempts were made and retried: more requests than items.
      expect(flaky.requests).toBeGreaterThan(40);
    } finally {
      await flaky.close();
    }
  });
});
