/**
 * Issue 11, findings 3 and 5, through the real HTTP door: distinct spans are never taken for
 * retries (ids one digit apart, the same ids in two projects), and old timestamps are answered
 * per item with partial success — never a 503 that loses the good neighbours, never the
 * engine's own text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { metricsRequest } from './support/otlp-metrics.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let betaKey: string;
beforeAll(async () => {
  argus = await startTestServer({ retentionDays: 30 });
  // Open mode: a project's ingest key selects it (as an exporter in that tenant would send).
  const json = { 'content-type': 'application/json' };
  await fetch(`${argus.url}/api/v1/projects`, {
    method: 'POST',
    headers: json,
    body: '{"id":"beta","name":"B"}',
  });
  const created = await fetch(`${argus.url}/api/v1/keys`, {
    method: 'POST',
    headers: { ...json, 'x-argus-project': 'beta' },
    body: '{"name":"beta ingest","role":"ingest"}',
  });
  betaKey = ((await created.json()) as { secretKey: string }).secretKey;
});
afterAll(async () => {
  await argus?.stop();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(argus.url + path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

const spanIdsOf = async (traceId: string, project?: string) => {
  const query = project ? `?project=${project}` : '';
  const trace = await argus.get<{ spans: { spanId: string }[] }>(`/api/v1/traces/${traceId}${query}`);
  return trace.spans.map((s) => s.spanId).sort();
};

describe('retry filter (finding 3)', () => {
  it('stores 10 spans whose ids differ in one hex digit', async () => {
    const traceId = randomHex(16);
    // Span ids …0001 to …000a: the old filter kept 13 leading digits, so all 10 shared a key.
    const ids = Array.from({ length: 10 }, (_, i) => `abcdef012345${(i + 1).toString(16).padStart(4, '0')}`);
    const r = await post('/v1/traces', tracesRequestJson(ids.map((id) => chatSpanJson(traceId, id))));
    expect(r.status).toBe(200);
    expect(await spanIdsOf(traceId)).toEqual([...ids].sort());
  });

  it('stores 10 spans whose trace ids differ in one hex digit', async () => {
    const base = randomHex(16);
    const spanId = randomHex(8);
    // The 4th digit varies: the old filter read only the last 8 digits of a trace id.
    const traceIds = Array.from({ length: 10 }, (_, i) => `${base.slice(0, 3)}${i}${base.slice(4)}`);
    const r = await post('/v1/traces', tracesRequestJson(traceIds.map((t) => chatSpanJson(t, spanId))));
    expect(r.status).toBe(200);
    for (const traceId of traceIds) expect(await spanIdsOf(traceId)).toEqual([spanId]);
  });

  it('stores the same trace and span ids in two projects', async () => {
    const traceId = randomHex(16);
    const spanId = randomHex(8);
    const body = tracesRequestJson([chatSpanJson(traceId, spanId)]);
    expect((await post('/v1/traces', body)).status).toBe(200);
    // Another tenant repeating ids it has seen (a traceparent) must not suppress them, nor be suppressed.
    expect((await post('/v1/traces', body, { authorization: `Bearer ${betaKey}` })).status).toBe(200);
    expect(await spanIdsOf(traceId)).toEqual([spanId]);
    expect(await spanIdsOf(traceId, 'beta')).toEqual([spanId]);
  });

  it('still drops a retried batch in the same project', async () => {
    const traceId = randomHex(16);
    const service = `retry-${randomHex(4)}`;
    const body = tracesRequestJson(
      [chatSpanJson(traceId, randomHex(8)), chatSpanJson(traceId, randomHex(8))],
      service,
    );
    expect((await post('/v1/traces', body)).status).toBe(200);
    expect((await post('/v1/traces', body)).status).toBe(200);
    const list = await argus.get<{ data: { traceId: string; spanCount: number }[] }>(
      `/api/v1/traces?service=${service}`,
    );
    expect(list.data.map((t) => [t.traceId, t.spanCount])).toEqual([[traceId, 2]]);
  });
});

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

describe('old timestamps (finding 5)', () => {
  // Why each: 11 and 18 digits broke the insert (503); 13 and 16 digits were read as milli- and
  // microseconds; 10 digits (seconds) and 1 digit were read as something else again.
  const OLD = ['10000000000', '1700000000123', '1700000000123456', '100000000000000000', '1700000000', '5'];

  it('answers 200 with partial success naming the old spans and stores the good ones', async () => {
    const traceId = randomHex(16);
    const good = [randomHex(8), randomHex(8)];
    const spans = [
      chatSpanJson(traceId, good[0]!),
      ...OLD.map((t) => ({
        ...chatSpanJson(traceId, randomHex(8)),
        startTimeUnixNano: t,
        endTimeUnixNano: t,
      })),
      chatSpanJson(traceId, good[1]!),
    ];
    const r = await post('/v1/traces', tracesRequestJson(spans));
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body.partialSuccess.rejectedSpans).toBe(String(OLD.length));
    expect(body.partialSuccess.errorMessage).toContain(
      "'startTimeUnixNano' is 10000000000 (1970-01-01T00:00:10.000Z)",
    );
    expect(body.partialSuccess.errorMessage).toContain('older than the 30-day retention');
    expect(body.partialSuccess.errorMessage).toContain('milliseconds');
    expect(r.text).not.toMatch(/DB::|Code: \d+/);
    expect(await spanIdsOf(traceId)).toEqual([...good].sort());
  });

  it('stores times within the retention exactly, to the nanosecond', async () => {
    const traceId = randomHex(16);
    const spanId = randomHex(8);
    const start = nowNs() - 86_400_000_000_000n + 123_456_789n;
    const span = {
      ...chatSpanJson(traceId, spanId),
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 5n),
    };
    expect((await post('/v1/traces', tracesRequestJson([span]))).status).toBe(200);
    const trace = await argus.get<{ spans: { startTimeUnixNano: string; endTimeUnixNano: string }[] }>(
      `/api/v1/traces/${traceId}`,
    );
    expect(trace.spans[0]).toMatchObject({
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 5n),
    });
  });

  it('rejects old log records alone, keeping the good ones', async () => {
    const marker = randomHex(6);
    const record = (time: string, observed: string, n: number) => ({
      timeUnixNano: time,
      observedTimeUnixNano: observed,
      severityNumber: 9,
      body: { stringValue: `${marker} record ${n}` },
    });
    const now = String(nowNs());
    const request = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'old-logs' } }] },
          scopeLogs: [
            {
              scope: { name: 't' },
              logRecords: [
                record(now, now, 1),
                record('10000000000', now, 2),
                // Unset event time: the (old) observed time stands in for it.
                record('0', '100000000000000000', 3),
                // An old observed time beside a good event time is stored as sent.
                record(now, '10000000000', 4),
              ],
            },
          ],
        },
      ],
    };
    const r = await post('/v1/logs', JSON.stringify(request));
    expect(r.status).toBe(200);
    expect(r.json().partialSuccess.rejectedLogRecords).toBe('2');
    expect(r.json().partialSuccess.errorMessage).toContain("'timeUnixNano' is 10000000000");
    expect(r.text).not.toMatch(/DB::|Code: \d+/);
    // No log-reading route yet: read the table the route wrote to.
    const logs = await argus.server.store.driver.query<{ body: string }>(
      'SELECT body FROM logs WHERE positionCaseInsensitive(body, {m:String}) > 0 ORDER BY body',
      { m: marker },
    );
    expect(logs.map((l) => l.body)).toEqual([`${marker} record 1`, `${marker} record 4`]);
  });

  it('rejects old metric points alone, keeping the good ones', async () => {
    const name = `old.points.${randomHex(3)}`;
    const now = nowNs();
    const point = (time: bigint, value: number, start = time) => ({
      attributes: [],
      startTimeUnixNano: String(start),
      timeUnixNano: String(time),
      asDouble: value,
    });
    const body = metricsRequest({ 'service.name': 'old-points' }, [
      {
        name,
        unit: '1',
        // The third point's start time is old but its time is not: it is stored as sent.
        gauge: {
          dataPoints: [point(now, 1), point(10_000_000_000n, 2), point(now - 1_000_000n, 3, 10_000_000_000n)],
        },
      },
    ]);
    const r = await post('/v1/metrics', body);
    expect(r.status).toBe(200);
    expect(r.json().partialSuccess.rejectedDataPoints).toBe('1');
    expect(r.text).not.toMatch(/DB::|Code: \d+/);
    const stored = await argus.server.store.driver.query<{ value: number }>(
      'SELECT value FROM metric_points WHERE metric_name = {n:String} ORDER BY value',
      { n: name },
    );
    expect(stored.map((p) => Number(p.value))).toEqual([1, 3]);
  });

  it('skips a LangSmith run older than the retention and stores its neighbour', async () => {
    const good = crypto.randomUUID();
    const old = crypto.randomUUID();
    const run = (id: string, start: string) => ({
      id,
      trace_id: id,
      dotted_order: `${start.replace(/[-:.]/g, '').replace('Z', '')}Z${id}`,
      name: 'chain',
      run_type: 'chain',
      start_time: start,
      end_time: start,
      inputs: { q: 'hi' },
      outputs: { a: 'ho' },
    });
    const r = await post(
      '/runs/batch',
      JSON.stringify({
        post: [run(good, new Date().toISOString()), run(old, '1970-01-01T00:00:10.000000Z')],
      }),
      { 'x-api-key': 'any' },
    );
    expect(r.status).toBe(202);
    expect(r.json().partialSuccess).toMatchObject({ rejectedRuns: 1 });
    expect(r.json().partialSuccess.errorMessage).toContain("'start_time'");
    expect(r.text).not.toMatch(/DB::|Code: \d+/);
    const hex = (uuid: string) => uuid.replaceAll('-', '');
    expect((await fetch(`${argus.url}/api/v1/traces/${hex(good)}`)).status).toBe(200);
    expect((await fetch(`${argus.url}/api/v1/traces/${hex(old)}`)).status).toBe(404);
  });
});
