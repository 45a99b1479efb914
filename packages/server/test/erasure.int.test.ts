/**
 * GDPR/CCPA erasure end to end: data ingested over OTLP, erasure by user, session and trace
 * through the API, then every ClickHouse table read directly: nothing of the subject is left,
 * other users and other projects are intact, and neither the receipt, the audit log nor
 * ClickHouse's mutation log holds the erased value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.ts';
import { Purger } from '../src/governance/purge.ts';
import { MAX_SUBJECT_CHARS } from '../src/governance/receipts.ts';
import { createLogger } from '../src/logger.ts';
import { makeSpan, randomHex } from '../src/query/test-helpers.ts';
import { runMain } from './support/cli.ts';
import {
  callApi,
  chatSpanAt,
  countRows,
  expectPurgedFromDisk,
  insertScore,
  logBody,
  postOtlp,
  tracesBody,
} from './support/governance.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** A user id built to break string-concatenated SQL. */
const ALICE = `o'brien"); DROP TABLE spans; -- \\' {value:String}`;
const BOB = 'bob';
const now = Date.now() - 60_000;
const t = { a1: randomHex(16), a2: randomHex(16), b1: randomHex(16), b2: randomHex(16), b3: randomHex(16) };
const otherProjectTrace = randomHex(16);

let argus: TestServer;
const count = (sql: string, params: Record<string, string> = {}) => countRows(argus, sql, params);
const rowsOfTrace = async (traceId: string) => {
  const out: Record<string, number> = {};
  for (const table of ['spans', 'trace_index', 'logs', 'scores'])
    out[table] = await count(`SELECT count() AS n FROM ${table} WHERE trace_id = {id:String}`, {
      id: traceId,
    });
  return out;
};
const NONE = { spans: 0, trace_index: 0, logs: 0, scores: 0 };

interface Receipt {
  id: string;
  projectId: string;
  subject: { kind: string; value?: string };
  subjectHash: string;
  requestedBy: string;
  requestedAt: string;
  completedAt: string | null;
  status: string;
  deleted: Record<string, number>;
}
const erase = (body: unknown) => callApi<{ data: Receipt }>(argus.url, 'POST', '/api/v1/erasures', body);

beforeAll(async () => {
  argus = await startTestServer({ retentionSweepIntervalMs: 0 });
  const root = chatSpanAt(t.a1, { atMs: now, word: 'alpha', userId: ALICE, sessionId: 's-1' });
  const spans = [
    root,
    // A child without the user id: it goes with its trace.
    chatSpanAt(t.a1, { atMs: now + 10, word: 'alpha', parentSpanId: root.spanId }),
    chatSpanAt(t.a2, { atMs: now, word: 'beta', userId: ALICE, sessionId: 's-2' }),
    chatSpanAt(t.b1, { atMs: now, word: 'gamma', userId: BOB, sessionId: 's-1' }),
    chatSpanAt(t.b2, { atMs: now, word: 'delta', userId: BOB, sessionId: 's-3' }),
    chatSpanAt(t.b3, { atMs: now, word: 'epsilon', userId: BOB, sessionId: 's-3' }),
  ];
  await postOtlp(argus.url, '/v1/traces', tracesBody(spans));
  for (const id of Object.values(t)) {
    await postOtlp(argus.url, '/v1/logs', logBody(id, now, 'log'));
    await insertScore(argus, id, now);
  }
  // The same user id in another project must survive an erasure in `default`.
  await argus.server.store.insertSpans([
    makeSpan({ projectId: 'other', traceId: otherProjectTrace, userId: ALICE, sessionId: 's-1' }),
  ]);
}, 120_000);
afterAll(async () => {
  await argus?.stop();
});

describe('erasure by user', () => {
  let receipt: Receipt;
  beforeAll(async () => {
    const answer = await erase({ userId: ALICE });
    expect(answer.status).toBe(200);
    receipt = answer.body.data;
  });

  it('answers a receipt with the counts of what it deleted', () => {
    expect(receipt).toMatchObject({
      projectId: 'default',
      subject: { kind: 'user', value: ALICE },
      subjectHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      requestedBy: 'anonymous:anonymous (auth off)',
      status: 'completed',
      deleted: { traces: 2, spans: 3, logs: 2, scores: 2 },
    });
    expect(receipt.deleted.traceIndex).toBeGreaterThanOrEqual(2);
    expect(Date.parse(receipt.completedAt!)).toBeGreaterThanOrEqual(Date.parse(receipt.requestedAt));
  });

  it("leaves nothing of the user's traces in any table", async () => {
    expect(await rowsOfTrace(t.a1)).toEqual(NONE);
    expect(await rowsOfTrace(t.a2)).toEqual(NONE);
    const byUser =
      "SELECT count() AS n FROM {table:Identifier} WHERE project_id = 'default' AND user_id = {u:String}";
    expect(await count(byUser, { table: 'spans', u: ALICE })).toBe(0);
    expect(await count(byUser, { table: 'trace_index', u: ALICE })).toBe(0);
    expect(await count("SELECT count() AS n FROM spans WHERE hasToken(lower(input), 'alpha')")).toBe(0);
  });

  it('leaves other users and other projects intact', async () => {
    for (const id of [t.b1, t.b2, t.b3])
      expect(await rowsOfTrace(id)).toMatchObject({ spans: 1, logs: 1, scores: 1 });
    expect(
      await count('SELECT count() AS n FROM spans WHERE trace_id = {id:String}', { id: otherProjectTrace }),
    ).toBe(1);
  });

  it("never writes the value into ClickHouse's mutation log", async () => {
    const commands = await argus.server.store.driver.query<{ command: string }>(
      'SELECT command FROM system.mutations',
    );
    expect(commands.length).toBeGreaterThan(0);
    for (const { command } of commands) expect(command).not.toContain('brien');
  });

  it('removes the erased rows from disk too (the purge after the request), not only from queries', async () => {
    const driver = argus.server.store.driver;
    const purger = new Purger({
      driver,
      target: { profile: 'single', cluster: 'default' },
      logger: createLogger('silent'),
    });
    expect((await purger.schedule()).failed).toBeUndefined();
    await expectPurgedFromDisk(argus, ['spans', 'trace_index', 'logs', 'scores']);
  });

  it("leaves no copy of the user's rows in the write-ahead log's files", () => {
    const wal = path.join(argus.dataDir, 'wal');
    const files = readdirSync(wal).filter((f) => f.endsWith('.wal'));
    for (const file of files)
      expect(readFileSync(path.join(wal, file)).toString()).not.toContain('DROP TABLE spans');
  });

  it('flushes writes still queued when the request arrives, so they do not survive it', async () => {
    const late = randomHex(16);
    void argus.server.store.insertSpans([makeSpan({ traceId: late, userId: 'carol', at: now })]);
    const answer = await erase({ userId: 'carol' });
    expect(answer.body.data.deleted).toMatchObject({ traces: 1, spans: 1 });
    expect(await rowsOfTrace(late)).toEqual(NONE);
  });
});

describe('erasure by session and by trace', () => {
  it('erases every trace of a session, whoever the user', async () => {
    const answer = await erase({ sessionId: 's-1' });
    expect(answer.body.data).toMatchObject({
      subject: { kind: 'session' },
      deleted: { traces: 1, spans: 1 },
    });
    expect(await rowsOfTrace(t.b1)).toEqual(NONE);
    expect(
      await count("SELECT count() AS n FROM spans WHERE project_id = 'default' AND session_id = 's-1'"),
    ).toBe(0);
    expect(await rowsOfTrace(t.b2)).toMatchObject({ spans: 1 });
  });

  it('erases one trace (id in any case) and nothing else', async () => {
    const answer = await erase({ traceId: t.b2.toUpperCase() });
    expect(answer.body.data).toMatchObject({
      subject: { kind: 'trace', value: t.b2 },
      deleted: { traces: 1, spans: 1, logs: 1, scores: 1 },
    });
    expect(await rowsOfTrace(t.b2)).toEqual(NONE);
    expect(await rowsOfTrace(t.b3)).toMatchObject({ spans: 1, logs: 1, scores: 1 });
  });

  it('answers a completed receipt with zero counts for a subject that has no data', async () => {
    const answer = await erase({ userId: 'nobody' });
    expect(answer.body.data).toMatchObject({
      status: 'completed',
      deleted: { traces: 0, spans: 0, logs: 0, scores: 0, traceIndex: 0 },
    });
  });
});

describe('receipts and audit', () => {
  it('lists receipts newest first without raw values, and finds one by its subject', async () => {
    const list = await callApi<{ data: Receipt[]; nextCursor: string | null }>(
      argus.url,
      'GET',
      '/api/v1/erasures',
    );
    expect(list.body.data.map((r) => r.subject.kind)).toEqual(['user', 'trace', 'session', 'user', 'user']);
    expect(JSON.stringify(list.body)).not.toContain('brien');
    expect(list.body.data.every((r) => r.subject.value === undefined && r.status === 'completed')).toBe(true);

    const found = await callApi<{ data: Receipt[] }>(
      argus.url,
      'GET',
      `/api/v1/erasures?userId=${encodeURIComponent(ALICE)}`,
    );
    expect(found.body.data).toHaveLength(1);
    const one = await callApi<{ data: Receipt }>(
      argus.url,
      'GET',
      `/api/v1/erasures/${found.body.data[0]!.id}`,
    );
    expect(one.body.data).toMatchObject({ subject: { kind: 'user' }, deleted: { traces: 2, spans: 3 } });

    const page = await callApi<{ data: Receipt[]; nextCursor: string }>(
      argus.url,
      'GET',
      '/api/v1/erasures?limit=2',
    );
    const next = await callApi<{ data: Receipt[] }>(
      argus.url,
      'GET',
      `/api/v1/erasures?limit=2&cursor=${page.body.nextCursor}`,
    );
    expect([...page.body.data, ...next.body.data].map((r) => r.id)).toEqual(
      list.body.data.slice(0, 4).map((r) => r.id),
    );
    expect((await callApi(argus.url, 'GET', '/api/v1/erasures/nope')).status).toBe(404);
  });

  it('stores no raw value in the erasures table', async () => {
    const rows = await argus.server.store.metadata.sql.all('SELECT * FROM erasures');
    expect(rows.length).toBe(5);
    expect(JSON.stringify(rows)).not.toContain('brien');
    expect(JSON.stringify(rows)).not.toContain('carol');
  });

  it('audits every erasure as data.erase with counts and never the value', async () => {
    const audit = await new AuditLog(argus.server.store.metadata.sql).list({
      projects: ['default'],
      action: 'data.erase',
      limit: 10,
    });
    expect(audit.data.map((e) => e.target)).toEqual(['user', 'trace', 'session', 'user', 'user']);
    expect(audit.data.at(-1)).toMatchObject({
      outcome: 'success',
      details: { deleted: { traces: 2, spans: 3 } },
    });
    expect(JSON.stringify(audit.data)).not.toContain('brien');
  });
});

describe('bad erasure requests', () => {
  // Each case is a way to name no subject, two subjects, or an unusable one.
  it.each([
    [{}, /Invalid erasure field 'body': give exactly one of traceId, userId or sessionId/],
    [{ userId: 'a', sessionId: 'b' }, /give exactly one of traceId, userId or sessionId/],
    [{ userId: '' }, /Invalid erasure field 'userId': is empty/],
    [{ userId: 'x'.repeat(MAX_SUBJECT_CHARS + 1) }, /'userId': is over 1024 characters/],
    [{ sessionId: 42 }, /'sessionId'/],
    [{ traceId: "1' OR '1'='1" }, /'traceId': expected 32 hexadecimal characters/],
    [{ user: 'a' }, /Invalid erasure field/],
    ['not json', /Cannot parse erasure: the body is not JSON/],
  ])('refuses %o with 400 and a clear message', async (body, message) => {
    const answer = await callApi<{ error: { code: string; message: string } }>(
      argus.url,
      'POST',
      '/api/v1/erasures',
      body,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(message);
  });

  it('refuses a bad listing filter or cursor', async () => {
    for (const query of ['?userId=a&sessionId=b', '?cursor=zzz', '?limit=0', '?traceId=xyz', '?user=a'])
      expect((await callApi(argus.url, 'GET', `/api/v1/erasures${query}`)).status, query).toBe(400);
  });
});

describe('argus erase and argus retention', () => {
  const run = (args: string[]) => runMain([...args, '--url', argus.url]);

  it('erases through the API and prints the receipt', async () => {
    const result = await run(['erase', '--trace-id', t.b3, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ status: 'completed', deleted: { spans: 1 } });
    expect(await rowsOfTrace(t.b3)).toEqual(NONE);
  });

  it('exits 2 with the usage for no subject or two', async () => {
    for (const args of [['erase'], ['erase', '--user-id', 'a', '--session-id', 'b']]) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.err).toContain('Usage: argus erase --trace-id');
    }
  });

  it('shows, sets and sweeps the retention policy', async () => {
    expect((await run(['retention', 'set', '--telemetry-days', '20', '--content-days', '5'])).out).toContain(
      'Telemetry kept 20 days, content 5 days',
    );
    expect((await run(['retention'])).out).toContain("(limit 30, the project's policy)");
    expect((await run(['retention', 'sweep'])).out).toMatch(/^Deleted: spans 0/);
    expect((await run(['retention', 'set', '--telemetry-days', '40', '--content-days', '5'])).err).toContain(
      '--retention-days',
    );
  });
});
