/**
 * Issue 19, shadow traffic across a restart: a shadow is kept in the metadata store, so after a
 * graceful restart on the same data directory it goes on shadowing, counting its pairs from what
 * its experiments stored (maxPairs holds across the restart), and its pairs stay comparable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Experiment, GatewayShadow, GatewayShadowStatus } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type ArgusServer, startServer } from '../src/server.ts';
import { ok } from './support/quality.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-shadow-restart-'));
let mock: MockLlm;
let server: ArgusServer | undefined;

async function start(): Promise<ArgusServer> {
  const config = loadConfig(
    { port: 0, grpcPort: 0, dataDir, logLevel: 'error', writerFlushIntervalMs: 5 },
    {},
  );
  return startServer(config, createLogger(config.logLevel));
}

beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 1 });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await mock?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function chat(base: string, content: string): Promise<void> {
  const response = await fetch(`${base}/gateway/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

async function done(base: string, id: string, pairs: number): Promise<Experiment> {
  for (let i = 0; i < 400; i++) {
    const { data } = await ok<{ data: Experiment }>(base, 'GET', `/api/v1/experiments/${id}`);
    if (data.progress.done >= pairs && (pairs < data.progress.total || data.status === 'completed'))
      return data;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`experiment ${id} did not reach ${pairs} pairs`);
}

describe('a shadow across a restart', () => {
  it('goes on shadowing and stops at maxPairs counted over both runs', async () => {
    server = await start();
    await ok(server.url, 'POST', '/api/v1/llm-connections', {
      name: 'main',
      provider: 'openai-compatible',
      baseUrl: `${mock.url}/v1`,
      models: ['gpt-*'],
    });
    const { data: shadow } = await ok<{ data: GatewayShadow }>(
      server.url,
      'PUT',
      '/api/v1/gateway/shadows/kept',
      { model: 'gpt-4o-mini', candidate: { model: 'gpt-4.1-mini' }, share: 1, maxPairs: 3 },
    );
    await chat(server.url, 'First run, one');
    await chat(server.url, 'First run, two');
    await done(server.url, shadow.candidateExperimentId, 2);
    await server.close();

    server = await start();
    for (let i = 0; i < 3; i++) await chat(server.url, `Second run, ${i}`);
    const candidate = await done(server.url, shadow.candidateExperimentId, 3);
    expect(candidate.status).toBe('completed');
    expect(candidate.progress).toEqual({ done: 3, total: 3 });
    const { data: shadows } = await ok<{ data: GatewayShadowStatus[] }>(
      server.url,
      'GET',
      '/api/v1/gateway/shadows',
    );
    // One candidate call after the restart: the third pair; the other calls found it complete.
    expect(shadows[0]).toMatchObject({ name: 'kept', pairs: 3, sent: 1, state: 'completed' });
    const { data: compared } = await ok<{ data: { pairedItems: number } }>(
      server.url,
      'GET',
      `/api/v1/experiments/compare?baseline=${shadow.primaryExperimentId}&candidate=${shadow.candidateExperimentId}`,
    );
    expect(compared.pairedItems).toBe(3);
  });
});
