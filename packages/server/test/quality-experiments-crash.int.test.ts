/**
 * kill -9 in the middle of a prompt experiment: the restarted server resumes it, and only the
 * calls that were in flight at the kill (at most `concurrency`) are made again — every item run
 * with a stored result is never called twice. The server runs as a child process; the mock LLM
 * in this one counts the calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { ExperimentItemResult } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from './support/process.ts';
import { ok, setUpArithmetic, startArithmeticRun, waitFor } from './support/quality.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-exp-crash-'));
const CONCURRENCY = 4;
let mock: MockLlm;
let second: ChildServer | undefined;

beforeAll(async () => {
  mock = await startMockLlm({ latencyMs: 40 });
});
afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await mock?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 during a prompt experiment', () => {
  it('resumes at the next start and re-calls at most the calls in flight', async () => {
    const first = await spawnServer(['--data-dir', dataDir]);
    const ids = await setUpArithmetic(first.url, mock.url);
    const { id } = await startArithmeticRun(first.url, ids, {
      name: 'killed',
      model: 'mock-math-right',
      concurrency: CONCURRENCY,
    });
    // The first server's last progress read: results stored before the kill are at least these
    // (more may land between the read and the kill). The second server's progress is no measure
    // of them: by the time it is read, the resumed job may have stored more.
    const atKill = await waitFor(first.url, id, (e) => e.progress.done >= 12);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const beforeRestart = mock.requests;
    expect(beforeRestart).toBeLessThan(40);

    second = await spawnServer(['--data-dir', dataDir]);
    const storedAtKill = atKill.progress.done;
    const done = await waitFor(second.url, id);
    expect(done).toMatchObject({ status: 'completed', progress: { done: 40, total: 40 } });
    expect(done.summary.scores.exact).toEqual({ mean: 1, ci95: [1, 1], n: 40 });
    // After the restart only item runs without a stored result were called (at most 40 minus
    // those stored before the kill, of which storedAtKill is a lower bound) …
    expect(mock.requests - beforeRestart).toBeLessThanOrEqual(40 - storedAtKill);
    // … so beyond the 40 items, only calls in flight at the kill were made twice.
    expect(mock.requests).toBeGreaterThanOrEqual(40);
    expect(mock.requests).toBeLessThanOrEqual(40 + CONCURRENCY);
    const items = await ok<{ data: ExperimentItemResult[] }>(
      second.url,
      'GET',
      `/api/v1/experiments/${id}/items?limit=100`,
    );
    expect(new Set(items.data.map((i) => i.itemId)).size).toBe(40);
  });
});
