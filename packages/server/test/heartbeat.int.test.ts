/**
 * The ingest heartbeat of `argus start`, as its operator sees it: a line while data flows,
 * nothing while idle, nothing at all with --heartbeat-interval-ms 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { type ChildServer, spawnServer } from './support/process.ts';

const INTERVAL_MS = 300;
const running: { server: ChildServer; dir: string }[] = [];

async function start(intervalMs: number): Promise<ChildServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-heartbeat-'));
  const server = await spawnServer(['--data-dir', dir, '--heartbeat-interval-ms', String(intervalMs)]);
  running.push({ server, dir });
  return server;
}

afterEach(async () => {
  for (const { server, dir } of running.splice(0)) {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Sends `batches` OTLP requests of 5 spans each, one of them failed. */
async function sendTraffic(url: string, batches: number): Promise<void> {
  for (let i = 0; i < batches; i++) {
    const traceId = randomHex(16);
    const spans = Array.from({ length: 5 }, () => chatSpanJson(traceId, randomHex(8)));
    (spans[0] as { status?: unknown }).status = { code: 2, message: 'rate limited' };
    const response = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      body: tracesRequestJson(spans, 'heartbeat-test'),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
  }
}

const heartbeats = (output: string) => output.split('\n').filter((line) => line.includes(' ingest: '));

/** Waits (bounded) until `predicate` holds for the server's output. */
async function waitFor(server: ChildServer, predicate: (output: string) => boolean): Promise<void> {
  for (let i = 0; i < 100 && !predicate(server.output()); i++) await new Promise((r) => setTimeout(r, 100));
}

describe('ingest heartbeat', () => {
  it('prints a line with spans/s, logs, errors and rejected while data flows, and none while idle', async () => {
    const server = await start(INTERVAL_MS);
    // Idle for several intervals: silence.
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 5));
    expect(heartbeats(server.output())).toEqual([]);
    await sendTraffic(server.url, 4);
    // Every span is counted once, over one or more lines.
    const spansIn = (output: string) =>
      heartbeats(output)
        .map((line) => Number(/\((\d[\d,]*) in /.exec(line)?.[1]?.replace(/,/g, '')))
        .reduce((sum, n) => sum + n, 0);
    await waitFor(server, (output) => spansIn(output) >= 20);
    const lines = heartbeats(server.output());
    const total = spansIn(server.output());
    expect(total).toBe(20);
    expect(lines[0]).toMatch(/\d+(\.\d)? spans\/s \(\d+ in [\d.]+ s\), \d+ logs, \d+ errors, 0 rejected$/);
    const errors = lines.map((line) => Number(/(\d+) errors/.exec(line)?.[1])).reduce((sum, n) => sum + n, 0);
    expect(errors).toBe(4);
    // Quiet again once the traffic stops.
    const count = heartbeats(server.output()).length;
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 5));
    expect(heartbeats(server.output()).length).toBe(count);
  });

  it('keeps serving when the reader of its output goes away (the heartbeat meets a closed pipe)', async () => {
    const server = await start(INTERVAL_MS);
    server.child.stdout!.destroy();
    await sendTraffic(server.url, 2);
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 5));
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await sendTraffic(server.url, 1);
  });

  it('stays silent with --heartbeat-interval-ms 0', async () => {
    const server = await start(0);
    await sendTraffic(server.url, 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(heartbeats(server.output())).toEqual([]);
    expect(server.output()).toContain('Press Ctrl+C to stop.');
  });
});
