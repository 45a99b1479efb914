/**
 * Per-project retention end to end: a policy set through the API, spans/logs/scores/metric points
 * ingested at past times, a sweep, then the ClickHouse tables read directly: nothing past the
 * telemetry cutoff, no content past the content cutoff, numbers and recent data intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.ts';
import { Purger } from '../src/governance/purge.ts';
import { RetentionSweeper } from '../src/governance/sweeper.ts';
import { createLogger } from '../src/logger.ts';
import { makeSpan, randomHex } from '../src/query/test-helpers.ts';
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
import { gauge, metricsRequest } from './support/otlp-metrics.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const DAY = 86_400_000;
const now = Date.now();
const OLD = now - 20 * DAY; // past telemetryDays (10): deleted
const MID = now - 5 * DAY; // past contentDays (3) only: content blanked, numbers kept
const RECENT = now - 3_600_000; // untouched
const ids = { old: randomHex(16), mid: randomHex(16), recent: randomHex(16), other: randomHex(16) };

let argus: TestServer;
const rows = async <T = Record<string, unknown>>(
  sql: string,
  params: Record<string, string | string[]> = {},
) => argus.server.store.driver.query<T>(sql, params);
const count = (sql: string, params: Record<string, string | string[]> = {}) => countRows(argus, sql, params);

beforeAll(async () => {
  argus = await startTestServer({ retentionDays: 30, retentionSweepIntervalMs: 0 });
  const spans = [
    chatSpanAt(ids.old, { atMs: OLD, word: 'aardvark', userId: 'u-old' }),
    chatSpanAt(ids.mid, { atMs: MID, word: 'bison', userId: 'u-mid' }),
    chatSpanAt(ids.recent, { atMs: RECENT, word: 'cheetah', userId: 'u-recent' }),
  ];
  await postOtlp(argus.url, '/v1/traces', tracesBody(spans));
  await postOtlp(argus.url, '/v1/logs', logBody(ids.old, OLD, 'aardvark'));
  await postOtlp(argus.url, '/v1/logs', logBody(ids.mid, MID, 'bison'));
  await postOtlp(argus.url, '/v1/logs', logBody(ids.recent, RECENT, 'cheetah'));
  for (const [traceId, at] of [
    [ids.old, OLD],
    [ids.mid, MID],
    [ids.recent, RECENT],
  ] as const)
    await insertScore(argus, traceId, at);
  await postOtlp(
    argus.url,
    '/v1/metrics',
    metricsRequest({ 'service.name': 'governance-test' }, [
      gauge('queue.depth', '1', [
        { atMs: OLD, value: 1 },
        { atMs: RECENT, value: 2 },
      ]),
    ]),
  );
  // Another project with the default policy: a sweep of `default` must not touch it.
  await argus.server.store.insertSpans([makeSpan({ projectId: 'other', traceId: ids.other, at: OLD })]);
}, 120_000);
afterAll(async () => {
  await argus?.stop();
});

describe('retention policy API', () => {
  it('answers the default policy until the project sets one', async () => {
    const answer = await callApi(argus.url, 'GET', '/api/v1/settings/retention');
    expect(answer).toEqual({
      status: 200,
      body: { data: { telemetryDays: 30, contentDays: 30, maxDays: 30, source: 'default' } },
    });
  });

  // Each case breaks one rule of "contentDays ≤ telemetryDays ≤ --retention-days" or the body shape.
  it.each([
    [
      { telemetryDays: 31, contentDays: 3 },
      /'telemetryDays': 31 is over this instance's limit of 30 days.*--retention-days/,
    ],
    [{ telemetryDays: 10, contentDays: 11 }, /'contentDays': 11 is over telemetryDays 10/],
    [{ telemetryDays: 0, contentDays: 0 }, /'telemetryDays'/],
    [{ telemetryDays: 10 }, /'contentDays'/],
    [{ telemetryDays: 10, contentDays: 3, extra: 1 }, /Invalid retention field/],
  ])('refuses %o with 400 naming the field', async (body, message) => {
    const answer = await callApi<{ error: { code: string; message: string } }>(
      argus.url,
      'PUT',
      '/api/v1/settings/retention',
      body,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('INVALID_PARAMETER');
    expect(answer.body.error.message).toMatch(message);
  });

  it('stores a shorter policy and audits the change with old and new values', async () => {
    const answer = await callApi(argus.url, 'PUT', '/api/v1/settings/retention', {
      telemetryDays: 10,
      contentDays: 3,
    });
    expect(answer.body).toEqual({
      data: { telemetryDays: 10, contentDays: 3, maxDays: 30, source: 'project' },
    });
    const audit = await new AuditLog(argus.server.store.metadata.sql).list({
      projects: ['default'],
      action: 'settings.update',
      limit: 5,
    });
    expect(audit.data[0]).toMatchObject({
      action: 'settings.update',
      target: 'retention',
      details: {
        old: { telemetryDays: 30, contentDays: 30, source: 'default' },
        new: { telemetryDays: 10, contentDays: 3 },
      },
    });
  });
});

describe('retention sweep', () => {
  let report: Record<string, unknown>;

  beforeAll(async () => {
    const answer = await callApi<{ data: Record<string, unknown> }>(
      argus.url,
      'POST',
      '/api/v1/retention/sweep',
    );
    expect(answer.status).toBe(200);
    report = answer.body.data;
  });

  it('reports what it deleted and blanked', () => {
    expect(report).toMatchObject({
      projectId: 'default',
      telemetryDays: 10,
      contentDays: 3,
      deleted: { spans: 1, logs: 1, scores: 1, metricPoints: 1, traceIndex: 1 },
      blanked: { spans: 1, logs: 1 },
    });
  });

  it('leaves no row older than telemetryDays in any table', async () => {
    // Whole UTC days: the cutoff is the start of the day 10 days ago.
    expect(report.telemetryCutoff).toBe(new Date(Math.floor((now - 10 * DAY) / DAY) * DAY).toISOString());
    const params = { t: String(report.telemetryCutoff).replace('T', ' ').replace('Z', '') };
    for (const [table, column] of [
      ['spans', 'start_time'],
      ['trace_index', 'end_time'],
      ['logs', 'time'],
      ['scores', 'time'],
      ['metric_points', 'time'],
    ]) {
      const sql = `SELECT count() AS n FROM ${table} WHERE project_id = 'default' AND ${column} < toDateTime64({t:String}, 9, 'UTC')`;
      expect(await count(sql, params), table).toBe(0);
    }
    for (const table of ['spans', 'trace_index', 'logs', 'scores'])
      expect(
        await count(`SELECT count() AS n FROM ${table} WHERE trace_id = {id:String}`, { id: ids.old }),
        table,
      ).toBe(0);
  });

  it('leaves no content older than contentDays, anywhere a word could hide', async () => {
    for (const word of ['aardvark', 'bison']) {
      const spans = `SELECT count() AS n FROM spans WHERE position(input, {w:String}) > 0 OR position(output, {w:String}) > 0
        OR position(input_preview, {w:String}) > 0 OR position(output_preview, {w:String}) > 0
        OR position(attributes, {w:String}) > 0 OR position(events, {w:String}) > 0`;
      expect(await count(spans, { w: word }), word).toBe(0);
      const logs = `SELECT count() AS n FROM logs WHERE position(body, {w:String}) > 0 OR position(content, {w:String}) > 0 OR position(attributes, {w:String}) > 0`;
      expect(await count(logs, { w: word }), word).toBe(0);
    }
    // The full-text index was rebuilt with the blanked parts.
    expect(await count("SELECT count() AS n FROM spans WHERE hasToken(lower(input), 'bison')")).toBe(0);
  });

  it('keeps tokens, cost, latency, model and user of content-expired spans', async () => {
    const [span] = await rows<Record<string, unknown>>(
      `SELECT input, output, input_tokens, output_tokens, cost_usd, duration_ms, request_model, user_id, attributes
       FROM spans WHERE trace_id = {id:String}`,
      { id: ids.mid },
    );
    expect(span).toMatchObject({
      input: '',
      output: '',
      input_tokens: 320,
      output_tokens: 180,
      request_model: 'gpt-4o-mini',
      user_id: 'u-mid',
    });
    expect(span!.cost_usd).toBeGreaterThan(0);
    expect(span!.duration_ms).toBeCloseTo(850);
    expect(JSON.parse(String(span!.attributes))).toMatchObject({ 'argus.content_expired': true });
    expect(
      await count('SELECT count() AS n FROM trace_index WHERE trace_id = {id:String}', { id: ids.mid }),
    ).toBe(1);
  });

  it('leaves recent data, and other projects, as they were', async () => {
    expect(await count("SELECT count() AS n FROM spans WHERE hasToken(lower(input), 'cheetah')")).toBe(1);
    expect(await count("SELECT count() AS n FROM logs WHERE position(body, 'cheetah') > 0")).toBe(1);
    expect(
      await count('SELECT count() AS n FROM scores WHERE trace_id = {id:String}', { id: ids.recent }),
    ).toBe(1);
    expect(await count("SELECT count() AS n FROM metric_points WHERE metric_name = 'queue.depth'")).toBe(1);
    expect(
      await count('SELECT count() AS n FROM spans WHERE trace_id = {id:String}', { id: ids.other }),
    ).toBe(1);
  });

  it('keeps the anonymous rollups of deleted spans: metrics outlive content', async () => {
    const minute = new Date(Math.floor(OLD / 60_000) * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    const sql = `SELECT sum(requests) AS n FROM spans_1m WHERE project_id = 'default' AND minute = toDateTime({m:String}, 'UTC')`;
    expect(await count(sql, { m: minute })).toBe(1);
  });

  it('audits the sweep with its counts and does nothing (and audits nothing) the second time', async () => {
    const log = new AuditLog(argus.server.store.metadata.sql);
    const before = await log.list({ projects: ['default'], action: 'retention.sweep', limit: 10 });
    expect(before.data).toHaveLength(1);
    expect(before.data[0]).toMatchObject({
      target: 'retention',
      details: { deleted: { spans: 1 }, blanked: { spans: 1 } },
    });
    const again = await callApi<{
      data: { deleted: Record<string, number>; blanked: Record<string, number> };
    }>(argus.url, 'POST', '/api/v1/retention/sweep');
    expect([...Object.values(again.body.data.deleted), ...Object.values(again.body.data.blanked)]).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(
      (await log.list({ projects: ['default'], action: 'retention.sweep', limit: 10 }).then((p) => p.data))
        .length,
    ).toBe(1);
  });

  it('is enforced by the sweeper under its lease, audited as the system actor', async () => {
    const late = randomHex(16);
    await postOtlp(argus.url, '/v1/traces', tracesBody([chatSpanAt(late, { atMs: OLD, word: 'dingo' })]));
    await argus.server.store.metadata.ensureProject('other', 'Other');
    const store = argus.server.store;
    const deps = {
      driver: store.driver,
      metadata: store.metadata,
      target: { profile: 'single', cluster: 'default' } as const,
      maxDays: 30,
      audit: new AuditLog(store.metadata.sql),
      logger: createLogger('silent'),
      intervalMs: 60_000,
    };
    const purger = new Purger({ driver: store.driver, target: deps.target, logger: deps.logger });
    const sweeper = new RetentionSweeper({ ...deps, purger, holderId: 'a' });
    const rival = new RetentionSweeper({ ...deps, purger, holderId: 'b' });
    const reports = await sweeper.tick();
    // Only `default` has a shorter policy; `other` follows the tables' TTL.
    expect(reports?.map((r) => [r.projectId, r.deleted.spans])).toEqual([['default', 1]]);
    expect(await rival.tick()).toBeUndefined();
    await sweeper.stop();
    expect(await count('SELECT count() AS n FROM spans WHERE trace_id = {id:String}', { id: late })).toBe(0);
    expect(
      await count('SELECT count() AS n FROM spans WHERE trace_id = {id:String}', { id: ids.other }),
    ).toBe(1);
    const [entry] = (await deps.audit.list({ projects: ['default'], action: 'retention.sweep', limit: 1 }))
      .data;
    expect(entry).toMatchObject({ actor: { type: 'system', id: 'retention', name: 'retention sweeper' } });
    // The round ended with the purge: deleted rows are gone from disk too, not only hidden.
    await expectPurgedFromDisk(argus, ['spans', 'trace_index', 'logs', 'scores', 'metric_points']);
  });
});
