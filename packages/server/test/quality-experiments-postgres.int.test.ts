/**
 * Experiments with their metadata in PostgreSQL (the scale-out path): the experiment records,
 * progress and frozen summaries live there; two prompt experiments run, compare, and an
 * external one completes through the same REST API as on SQLite.
 */
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Experiment, ExperimentComparison } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresClient } from '../src/store/metadata/postgres-client.ts';
import { hasPostgres, startPostgres, type TestPostgres } from './support/postgres.ts';
import { arithmeticItems, ok, setUpArithmetic, startArithmeticRun, waitFor } from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const enabled = hasPostgres() || Boolean(process.env.CI);
let pg: TestPostgres;
let argus: TestServer;
let mock: MockLlm;
beforeAll(async () => {
  if (!enabled) return;
  pg = await startPostgres();
  [argus, mock] = await Promise.all([
    startTestServer({ databaseUrl: pg.url, secretKey: 'a secret key for the experiments test, 32+ chars' }),
    startMockLlm(),
  ]);
});
afterAll(async () => {
  await Promise.all([argus?.stop(), mock?.close()]);
  pg?.stop();
});

describe.runIf(enabled)('experiments on PostgreSQL metadata', () => {
  it('runs, summarises, compares, and keeps the records in PostgreSQL', async () => {
    const base = argus.url;
    const ids = await setUpArithmetic(base, mock.url);
    const run = async (model: string) => {
      const created = await startArithmeticRun(base, ids, { name: model, model, concurrency: 8 });
      return waitFor(base, created.id);
    };
    const [right, wrong] = await Promise.all([run('mock-math-right'), run('mock-math-wrong-40')]);
    expect(right.summary.scores.exact?.mean).toBe(1);
    expect(wrong.summary.scores.exact?.mean).toBeCloseTo(0.6, 12);
    const { data } = await ok<{ data: ExperimentComparison }>(
      base,
      'GET',
      `/api/v1/experiments/compare?baseline=${right.id}&candidate=${wrong.id}`,
    );
    expect(data.regression).toBe(true);

    const external = await ok<{ data: Experiment }>(base, 'POST', '/api/v1/experiments', {
      name: 'app',
      datasetId: ids.datasetId,
      target: { type: 'external' },
      evaluators: [ids.exactId],
    });
    await ok(
      base,
      'POST',
      `/api/v1/experiments/${external.data.id}/results`,
      arithmeticItems().map((q) => ({ itemId: q.id, output: q.expectedOutput })),
    );
    expect((await waitFor(base, external.data.id)).summary.scores.exact?.mean).toBe(1);

    const sql = openPostgresClient(pg.url);
    try {
      const rows = await sql.all<{ id: string; status: string; done: number; summary: string }>(
        'SELECT id, status, done, summary FROM experiments ORDER BY created_at',
      );
      expect(rows.map((r) => [r.status, Number(r.done)])).toEqual([
        ['completed', 40],
        ['completed', 40],
        ['completed', 40],
      ]);
      expect(rows.every((r) => JSON.parse(r.summary).scores.exact.n === 40)).toBe(true);
    } finally {
      await sql.close();
    }
  });
});
