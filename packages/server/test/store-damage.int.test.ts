/**
 * Issue 11, finding 7: damaged telemetry on disk. A part the engine sets aside at start is logged
 * with what to do; a query that reads a corrupt part answers 503 STORE_CORRUPTED with recovery
 * advice (not 500 INTERNAL) and the engine's detail goes to the log, never to the client.
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { type ChildServer, spawnServer } from './support/process.ts';
import { startTestServer } from './support/server.ts';

const traceId = randomHex(16);
let dataDir: string;
let child: ChildServer | undefined;

/** The largest file of a part directory (a compact part keeps every column in one data file). */
function largestFile(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .map((f) => path.join(dir, f));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

beforeAll(async () => {
  const argus = await startTestServer();
  const post = (p: string, body: string) =>
    fetch(argus.url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const spans = Array.from({ length: 50 }, () => chatSpanJson(traceId, randomHex(8), { contentChars: 4000 }));
  expect((await post('/v1/traces', tracesRequestJson(spans))).status).toBe(200);
  const now = String(BigInt(Date.now()) * 1_000_000n);
  const logs = {
    resourceLogs: [
      {
        resource: { attributes: [] },
        scopeLogs: [
          { scope: { name: 't' }, logRecords: [{ timeUnixNano: now, body: { stringValue: 'x' } }] },
        ],
      },
    ],
  };
  expect((await post('/v1/logs', JSON.stringify(logs))).status).toBe(200);
  const parts = await argus.server.store.driver.query<{ table: string; path: string }>(
    "SELECT table, path FROM system.parts WHERE active AND table IN ('spans', 'logs') AND database = currentDatabase()",
  );
  await argus.server.close();
  dataDir = argus.dataDir;
  // Flip bytes inside the spans part (same size: only the checksum can tell) …
  const spansFile = largestFile(parts.find((p) => p.table === 'spans')!.path);
  const bytes = readFileSync(spansFile);
  for (let i = Math.floor(bytes.length * 0.3); i < Math.floor(bytes.length * 0.9); i += 97) bytes[i]! ^= 0xff;
  writeFileSync(spansFile, bytes);
  // … and take a file away from the logs part, which the engine then sets aside at start.
  const logsFile = largestFile(parts.find((p) => p.table === 'logs')!.path);
  renameSync(logsFile, `${logsFile}.lost`);
  child = await spawnServer(['--data-dir', dataDir]);
});
afterAll(async () => {
  child?.child.kill('SIGTERM');
  if (child) await child.exited;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('damaged telemetry (finding 7)', () => {
  it('logs a part set aside in detached/ with what to do', () => {
    expect(child!.output()).toMatch(
      /table 'logs' has a part set aside in detached\/ .*restore the data directory from a backup/,
    );
  });

  it('answers 503 STORE_CORRUPTED with advice when a query reads a corrupt part', async () => {
    const response = await fetch(`${child!.url}/api/v1/traces/${traceId}`);
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(JSON.parse(text).error).toMatchObject({
      code: 'STORE_CORRUPTED',
      message: expect.stringContaining('restoring the data directory from a backup'),
    });
    expect(text).not.toMatch(/DB::|Code: \d+|checksum/i);
    expect(child!.output()).toContain('stored telemetry is damaged');
  });
});
