/**
 * Issue 19: kill -9 during gateway traffic loses no recorded call whose answer had completed more
 * than the write-ahead log's append (a few ms) earlier. The server runs in a child process with its
 * defaults; calls (streamed and not) go through the gateway to the mock LLM over loopback and stop
 * by themselves. Calls that ended in the last 2 s before the kill are not checked: 2 s stands for
 * the hand-off and the append, with room for a slow, shared machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import { afterAll, describe, expect, it } from 'vitest';
import { openChdbDriver } from '../src/store/clickhouse/chdb-driver.ts';
import { spawnServer } from './support/process.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-gateway-crash-'));
let mock: MockLlm | undefined;
afterAll(async () => {
  await mock?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const SETTLED_MS = 2_000;

describe('crash during gateway traffic', () => {
  it('keeps every call that completed before the flush interval when killed with SIGKILL', async () => {
    mock = await startMockLlm({ chunkDelayMs: 1 });
    const server = await spawnServer(['--data-dir', dataDir]);
    const created = await fetch(`${server.url}/api/v1/llm-connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'mock',
        provider: 'openai-compatible',
        baseUrl: `${mock.url}/v1`,
        models: [],
      }),
    });
    expect(created.status).toBe(201);
    const completed: { traceId: string; at: number }[] = [];
    let stop = false;
    const deadline = Date.now() + 30_000;
    const worker = async (n: number) => {
      for (let i = 0; !stop && Date.now() < deadline; i++) {
        const body = JSON.stringify({
          model: 'gpt-4o-mini',
          stream: (i + n) % 2 === 0,
          messages: [{ role: 'user', content: `Question ${n}-${i}` }],
        });
        try {
          const response = await fetch(`${server.url}/gateway/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await response.text();
          if (response.status === 200)
            completed.push({ traceId: response.headers.get('x-argus-trace-id') ?? '', at: Date.now() });
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 4 }, (_, n) => worker(n));
    // Kill once enough calls ended more than SETTLED_MS ago (a fast machine reaches 400 calls sooner).
    const settledNow = () => completed.filter((c) => c.at < Date.now() - SETTLED_MS).length;
    while ((completed.length < 400 || settledNow() < 150) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(await server.exited).toBe('SIGKILL');
    const settled = completed.filter((c) => c.at < killedAt - SETTLED_MS).map((c) => c.traceId);
    expect(settled.length).toBeGreaterThanOrEqual(100);

    // Restart on the same directory: it must open cleanly; then read the store directly.
    const second = await spawnServer(['--data-dir', dataDir]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const driver = openChdbDriver({
      path: path.join(dataDir, 'clickhouse'),
      maxMemoryBytes: 512 * 1024 * 1024,
      queryTimeoutMs: 60_000,
    });
    try {
      const missing = await driver.query<{ n: string }>(
        "SELECT count() AS n FROM (SELECT arrayJoin({ids:Array(String)}) AS id) WHERE id NOT IN (SELECT trace_id FROM spans WHERE service_name = 'argus-gateway')",
        { ids: settled },
      );
      expect(Number(missing[0]!.n)).toBe(0);
    } finally {
      await driver.close();
    }
  }, 120_000);
});
