/**
 * kill -9 during sustained ingest: every span whose request was acknowledged (200) must be in
 * the store after a restart. Traffic goes to loopback only and stops by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openChdbDriver } from '../src/store/clickhouse/chdb-driver.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { spawnServer } from './support/process.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('crash during ingest', () => {
  it('loses no acknowledged span when the server is killed with SIGKILL', async () => {
    const first = await spawnServer(['--data-dir', dataDir]);
    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const deadline = Date.now() + 20_000;
    const worker = async () => {
      while (!stop && Date.now() < deadline) {
        const traceId = randomHex(16);
        const ids = Array.from({ length: 50 }, () => randomHex(8));
        const body = tracesRequestJson(ids.map((id) => chatSpanJson(traceId, id)));
        sent += ids.length;
        try {
          const response = await fetch(`${first.url}/v1/traces`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json' },
          });
          if (response.status === 200) acknowledged.push(...ids);
          else await response.arrayBuffer();
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    while (acknowledged.length < 3000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(await first.exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(3000);
    expect(sent).toBeGreaterThan(acknowledged.length - 1);

    // Restart on the same directory: it must open cleanly and serve.
    const second = await spawnServer(['--data-dir', dataDir]);
    const health = (await (await fetch(`${second.url}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const driver = openChdbDriver({
      path: path.join(dataDir, 'clickhouse'),
      maxMemoryBytes: 512 * 1024 * 1024,
      queryTimeoutMs: 60_000,
    });
    try {
      const missing = await driver.query<{ n: string }>(
        'SELECT count() AS n FROM (SELECT arrayJoin({ids:Array(String)}) AS id) WHERE id NOT IN (SELECT span_id FROM spans)',
        { ids: acknowledged },
      );
      expect(Number(missing[0]!.n)).toBe(0);
    } finally {
      await driver.close();
    }
  });
});
