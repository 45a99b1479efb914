/**
 * kill -9 with spans, logs and metric points only in the write-ahead log, then kill -9 again while
 * the next start replays them (issue 20 review): after a third start every acknowledged row is in
 * the store, and no span is stored twice. Traffic goes to loopback only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openChdbDriver } from '../src/store/clickhouse/chdb-driver.ts';
import { logBody } from './support/governance.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { gauge, metricsRequest } from './support/otlp-metrics.ts';
import { ARGUS_BIN, freePort, spawnServer } from './support/process.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-wal-replay-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// Inserts wait a minute: what is acknowledged stays in the log until the kill.
const HOLD = { ARGUS_WRITER_FLUSH_INTERVAL_MS: '60000' };

async function post(url: string, body: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Starts argus and kills it with SIGKILL once it says it is replaying the log (and `afterMs` more). */
async function killDuringReplay(afterMs: number): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [ARGUS_BIN, 'start', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, ARGUS_LOG_LEVEL: 'warn', ARGUS_GRPC_PORT: '0', ...HOLD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (
    !output.includes('inserting rows acknowledged') &&
    child.exitCode === null &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, afterMs));
  child.kill('SIGKILL');
  await exited;
  return output;
}

describe('crash during the replay of the write-ahead log', () => {
  it('loses no acknowledged span, log or metric point and stores no span twice', async () => {
    const first = await spawnServer(['--data-dir', dataDir], HOLD);
    const spanIds: string[] = [];
    const logTraces: string[] = [];
    const metricNames: string[] = [];
    for (let i = 0; i < 8; i++) {
      const traceId = randomHex(16);
      const ids = Array.from({ length: 50 }, () => randomHex(8));
      expect(
        await post(`${first.url}/v1/traces`, tracesRequestJson(ids.map((id) => chatSpanJson(traceId, id)))),
      ).toBe(200);
      spanIds.push(...ids);
      const logTrace = randomHex(16);
      expect(await post(`${first.url}/v1/logs`, logBody(logTrace, Date.now(), `w${i}`))).toBe(200);
      logTraces.push(logTrace);
      const name = `replay.check.${randomHex(4)}`;
      const metrics = metricsRequest({ 'service.name': 'wal-replay' }, [
        gauge(name, '1', [{ atMs: Date.now(), value: i }]),
      ]);
      expect(await post(`${first.url}/v1/metrics`, metrics)).toBe(200);
      metricNames.push(name);
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(readdirSync(path.join(dataDir, 'wal')).some((f) => f.endsWith('.wal'))).toBe(true);

    // Killed right as the replay begins, then part-way through it.
    expect(await killDuringReplay(0)).toContain('inserting rows acknowledged');
    expect(await killDuringReplay(150)).toContain('inserting rows acknowledged');

    const third = await spawnServer(['--data-dir', dataDir]);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);

    const driver = openChdbDriver({
      path: path.join(dataDir, 'clickhouse'),
      maxMemoryBytes: 512 * 1024 * 1024,
      queryTimeoutMs: 60_000,
    });
    try {
      const spans = await driver.query<{ span_id: string; n: string }>(
        'SELECT span_id, count() AS n FROM spans WHERE span_id IN {ids:Array(String)} GROUP BY span_id',
        { ids: spanIds },
      );
      expect(spans).toHaveLength(spanIds.length);
      expect(spans.filter((row) => Number(row.n) !== 1)).toEqual([]);
      const logs = await driver.query<{ trace_id: string }>(
        'SELECT DISTINCT trace_id FROM logs WHERE trace_id IN {ids:Array(String)}',
        { ids: logTraces },
      );
      expect(logs.map((row) => row.trace_id).sort()).toEqual([...logTraces].sort());
      const points = await driver.query<{ metric_name: string }>(
        'SELECT DISTINCT metric_name FROM metric_points WHERE metric_name IN {names:Array(String)}',
        { names: metricNames },
      );
      expect(points.map((row) => row.metric_name).sort()).toEqual([...metricNames].sort());
    } finally {
      await driver.close();
    }
  }, 180_000);
});
