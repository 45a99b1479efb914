/**
 * The `argus` command as a user runs it: help, start-up errors, and the query commands against
 * a running server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArgus } from './support/cli.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { type ChildServer, spawnServer } from './support/process.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-cli-'));
let server: ChildServer;
const traceId = randomHex(16);

const argus = runArgus;

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  const root = randomHex(8);
  const body = tracesRequestJson(
    [
      chatSpanJson(traceId, root),
      chatSpanJson(traceId, randomHex(8), { parentSpanId: root, model: 'gpt-4o' }),
    ],
    'cli-test',
  );
  const response = await fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  expect(response.status).toBe(200);
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('argus CLI', () => {
  it('documents every command in --help, and every start flag in start --help', async () => {
    const { code, stdout } = await argus(['--help']);
    expect(code).toBe(0);
    for (const word of ['start', 'traces', 'trace <traceId>', 'spans', 'series', 'health', 'pricing']) {
      expect(stdout).toContain(word);
    }
    const start = await argus(['start', '--help']);
    expect(start.code).toBe(0);
    for (const word of [
      '--port',
      '--host',
      '--data-dir',
      'ARGUS_DATA_DIR',
      '--clickhouse-url',
      '--retention-days',
    ]) {
      expect(start.stdout).toContain(word);
    }
  });

  it('refuses an invalid option naming it and its source, with exit code 2', async () => {
    const flag = await argus(['start', '--port', 'eighty']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("'port' from flag --port");
    const env = await argus(['start'], { ARGUS_RETENTION_DAYS: '-3' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("'retentionDays' from env ARGUS_RETENTION_DAYS");
  });

  it('refuses a second server on a data directory that is in use', async () => {
    const second = await argus(['start', '--port', '0', '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('another Argus process');
  });

  it('lists traces and prints a trace tree from the running server', async () => {
    const list = await argus(['traces', '--url', server.url, '--service', 'cli-test']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(traceId);
    const tree = await argus(['trace', traceId, '--url', server.url]);
    expect(tree.code).toBe(0);
    const lines = tree.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^chat gpt-4o-mini \[llm\]/);
    expect(lines[1]).toMatch(/^ {2}chat gpt-4o \[llm\]/);
    const json = JSON.parse(
      (await argus(['spans', '--url', server.url, '--json', '--model', 'gpt-4o'])).stdout,
    );
    expect(json.data.map((s: { traceId: string }) => s.traceId)).toEqual([traceId]);
  });

  it('says clearly when no server is running', async () => {
    const result = await argus(['traces', '--url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the Argus server');
  });

  it('looks up prices without a server', async () => {
    const result = await argus(['pricing', 'gpt-4o-mini-2024-07-18', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });
});
