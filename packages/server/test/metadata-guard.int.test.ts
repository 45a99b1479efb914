/**
 * Issue 11, finding 7: an empty or unreadable metadata.db beside existing telemetry is not a first
 * start. `argus start` refuses with exit 2 and one sentence on how to recover, and leaves both
 * stores as they were (no new admin, no migrated empty database).
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArgus } from './support/cli.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { startTestServer } from './support/server.ts';

let dataDir: string;
beforeAll(async () => {
  // A data directory that has served: one span stored, metadata migrated.
  const argus = await startTestServer();
  const response = await fetch(`${argus.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: tracesRequestJson([chatSpanJson(randomHex(16), randomHex(8))]),
  });
  expect(response.status).toBe(200);
  await argus.server.close();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-meta-'));
  rmSync(dataDir, { recursive: true });
  // Keep the served directory under a name of our own (stop() would remove it).
  renameSync(argus.dataDir, dataDir);
});
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function replaceMetadata(content: Buffer | string): string {
  const file = path.join(dataDir, 'metadata.db');
  for (const extra of ['-wal', '-shm']) rmSync(file + extra, { force: true });
  writeFileSync(file, content);
  return file;
}

const start = () => runArgus(['start', '--data-dir', dataDir, '--port', '0', '--grpc-port', '0'], {});

describe('argus start with lost metadata (finding 7)', () => {
  it.each([
    // Why: an emptied file (a failed copy, a restore of the wrong file) used to be migrated afresh
    // and print a new admin password, silently dropping users, keys, projects and the audit log.
    { name: 'empty', content: '', says: 'is empty but the telemetry store already holds data' },
    // Why: a file that is not a database must never be replaced.
    { name: 'unreadable', content: 'not a database at all '.repeat(200), says: 'cannot be read' },
  ])('refuses an $name metadata.db with exit 2 and one sentence', async ({ content, says }) => {
    const file = replaceMetadata(content);
    const before = readFileSync(file);
    const run = await start();
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(says);
    expect(lines[0]).toMatch(/restore .* from a backup/);
    expect(run.stdout).not.toContain('First start');
    // Nothing was migrated into it: a second start refuses the same way.
    const again = await start();
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(says);
    if (content !== '') expect(readFileSync(file).equals(before)).toBe(true);
  });
});
