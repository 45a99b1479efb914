import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_PATHS } from '../alerts/openapi.ts';
import { ANNOTATION_PATHS } from '../annotation/openapi.ts';
import { AUTH_PATHS } from '../auth/openapi.ts';
import { DRIFT_PATHS } from '../behaviour/drift/openapi.ts';
import { EXPLAIN_PATHS } from '../behaviour/explain/openapi.ts';
import { GATEWAY_PATHS } from '../gateway/openapi.ts';
import { GOVERNANCE_PATHS } from '../governance/openapi.ts';
import { errorReply } from '../http/respond.ts';
import { type Reply, Router } from '../http/router.ts';
import { LANGSMITH_PATHS } from '../langsmith/openapi.ts';
import { createLogger } from '../logger.ts';
import { ONLINE_PATHS } from '../online/openapi.ts';
import { EXPERIMENT_PATHS } from '../quality/experiments/openapi.ts';
import { QUALITY_PATHS } from '../quality/openapi.ts';
import { FILTER_PARAMS } from '../query/filters.ts';
import { hourStart, makeContentLog, makeSpan, makeStepSpan, tempConfig } from '../query/test-helpers.ts';
import { REDACTION_PATHS } from '../redact/openapi.ts';
import { openStore, type Store } from '../store/index.ts';
import { INGEST_AND_PRICING_PATHS } from './openapi.ts';
import { EXPORT_PATHS } from './openapi-export.ts';
import { METRICS_PATHS } from './openapi-metrics.ts';
import { registerApiRoutes } from './routes.ts';

const temp = tempConfig('routes');
let store: Store;
const router = new Router();
const base = hourStart(2);
let traceId = '';

beforeAll(async () => {
  store = await openStore(temp.config);
  registerApiRoutes(router, {
    store,
    config: temp.config,
    projectOf: () => 'default',
    startedAt: new Date(Date.now() - 5000),
    version: '9.9.9-test',
  });
  const root = makeStepSpan({ at: base, userId: 'user-1', sessionId: 'session-1', tags: ['vip'] });
  const llm = makeSpan({
    at: base + 10,
    traceId: root.traceId,
    parentSpanId: root.spanId,
    userId: 'user-1',
    sessionId: 'session-1',
    tags: ['vip'],
    input: undefined,
    output: undefined,
  });
  traceId = root.traceId;
  await store.insertSpans([root, llm]);
  await store.insertLogs([
    makeContentLog({
      traceId,
      spanId: llm.spanId,
      at: base + 20,
      content: { input: [{ role: 'user', parts: [{ type: 'text', content: 'Ping from a log record' }] }] },
    }),
  ]);
});
afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

const silent = createLogger('silent');

/** Runs a GET through the router the way the server does, errors mapped to replies. */
async function get(pathAndQuery: string): Promise<Reply & { body: Record<string, unknown> }> {
  const url = new URL(pathAndQuery, 'http://localhost');
  const match = router.match('GET', url.pathname);
  if (!match || match === 'method') throw new Error(`no route for ${url.pathname}`);
  try {
    const reply = await match.handler({ request: {} as IncomingMessage, url, params: match.params });
    const body = typeof reply.body === 'string' ? JSON.parse(reply.body) : reply.body;
    return { ...reply, body: JSON.parse(JSON.stringify(body)) };
  } catch (error) {
    return errorReply(error, silent) as Reply & { body: Record<string, unknown> };
  }
}

const LISTS = ['/api/v1/traces', '/api/v1/spans', '/api/v1/sessions', '/api/v1/users', '/api/v1/models'];

describe('API routes', () => {
  it.each(LISTS)('%s answers a { data } page', async (path) => {
    const reply = await get(path);
    expect(reply.status).toBe(200);
    expect((reply.body.data as unknown[]).length).toBeGreaterThan(0);
    expect(reply.body.nextCursor).toBeUndefined();
  });

  it('answers a trace by id with merged log content, and 404 for an unknown one', async () => {
    const reply = await get(`/api/v1/traces/${traceId}`);
    expect(reply.status).toBe(200);
    const spans = reply.body.spans as { input?: unknown }[];
    expect(JSON.stringify(spans[1]!.input)).toContain('Ping from a log record');
    const missing = await get(`/api/v1/traces/${'f'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('f'.repeat(32)) },
    });
  });

  it('answers a session and a metric series', async () => {
    const session = await get('/api/v1/sessions/session-1');
    expect(session.status).toBe(200);
    expect((session.body.traces as { traceId: string }[]).map((t) => t.traceId)).toEqual([traceId]);
    const series = await get('/api/v1/metrics/series?metrics=requests&step=1h');
    expect(series.status).toBe(200);
    expect(series.body.totals).toEqual({ requests: 1 });
  });

  it('answers health on both paths with storage and writer state', async () => {
    for (const path of ['/health', '/api/v1/health']) {
      const reply = await get(path);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'ok',
        version: '9.9.9-test',
        storage: { mode: 'embedded', driver: 'chdb', ok: true, description: store.description },
        writer: { inserts: expect.any(Number), queuedRows: 0 },
      });
      expect(reply.body.uptimeSeconds).toBeGreaterThanOrEqual(5);
    }
  });

  it.each([
    ['/api/v1/traces?from=yesterday', 'from'],
    ['/api/v1/traces?modle=gpt-4o', 'modle'],
    ['/api/v1/spans?limit=0', 'limit'],
    ['/api/v1/spans?kind=robot', 'kind'],
    ['/api/v1/sessions?cursor=abc', 'cursor'],
    ['/api/v1/users?status=bad', 'status'],
    ['/api/v1/models?cursor=abc', 'cursor'],
    ['/api/v1/metrics/series?step=1s', 'step'],
    ['/api/v1/metrics/series?groupBy=user', 'groupBy'],
    ['/api/v1/traces/not-hex', 'traceId'],
    [`/api/v1/sessions/${'s'.repeat(300)}`, 'sessionId'],
    ['/api/v1/sessions/session-1?model=x', 'model'],
    ['/api/v1/traces/0123456789abcdef0123456789abcdef?verbose=1', 'verbose'],
    ['/health?deep=1', 'deep'],
    ['/api/v1/openapi.json?v=2', 'v'],
  ])('GET %s → 400 INVALID_PARAMETER naming %s', async (path, param) => {
    const reply = await get(path);
    expect(reply.status).toBe(400);
    const error = (reply.body as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain(`'${param}'`);
  });

  const ATTACKS = [
    "' OR '1'='1",
    "x'); DROP TABLE spans; --",
    "\\' OR 1=1 --",
    '{projectId:String}',
    "default' OR project_id != '",
    'user-1\u0000',
  ];
  const STRING_PARAMS = ['service', 'environment', 'model', 'provider', 'userId', 'sessionId', 'tag', 'q'];
  it.each(STRING_PARAMS.flatMap((param) => ATTACKS.map((attack) => [param, attack] as const)))(
    '?%s=%j finds nothing and breaks nothing on every list',
    async (param, attack) => {
      const query = `?${new URLSearchParams({ [param]: attack })}`;
      for (const path of LISTS) {
        const reply = await get(path + query);
        expect(reply.status, `${path}${query}`).toBe(200);
        expect(reply.body.data, `${path}${query}`).toEqual([]);
      }
      const series = await get(`/api/v1/metrics/series${query}&metrics=requests`);
      expect(series.body.totals).toEqual({ requests: 0 });
    },
  );

  it('keeps every table intact after the attacks', async () => {
    const [row] = await store.driver.query<{ n: string }>('SELECT count() AS n FROM spans');
    expect(Number(row!.n)).toBe(2);
    const session = await get(`/api/v1/sessions/${encodeURIComponent("' OR 1=1 --")}`);
    expect(session.status).toBe(404);
  });
});

describe('OpenAPI document', () => {
  const ROUTES = [
    '/api/v1/traces',
    '/api/v1/traces/{traceId}',
    '/api/v1/spans',
    '/api/v1/metrics/series',
    '/api/v1/sessions',
    '/api/v1/sessions/{sessionId}',
    '/api/v1/users',
    '/api/v1/models',
    '/api/v1/health',
    '/health',
    '/api/v1/openapi.json',
  ];

  it('describes every route, and every documented route exists', async () => {
    const doc = (await get('/api/v1/openapi.json')).body as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    // Ingest, pricing and metrics routes are registered by their own modules (tested there).
    const own = Object.keys(doc.paths).filter(
      (p) =>
        !(p in INGEST_AND_PRICING_PATHS) &&
        !(p in METRICS_PATHS) &&
        !(p in ALERT_PATHS) &&
        !(p in GOVERNANCE_PATHS) &&
        !(p in REDACTION_PATHS) &&
        !(p in AUTH_PATHS) &&
        !(p in EXPORT_PATHS) &&
        !(p in LANGSMITH_PATHS) &&
        !(p in QUALITY_PATHS) &&
        !(p in ANNOTATION_PATHS) &&
        !(p in EXPERIMENT_PATHS) &&
        !(p in DRIFT_PATHS) &&
        !(p in EXPLAIN_PATHS) &&
        !(p in ONLINE_PATHS) &&
        !(p in GATEWAY_PATHS),
    );
    expect(own.sort()).toEqual([...ROUTES].sort());
    for (const path of ROUTES) {
      const concrete = path.replace('{traceId}', 'a'.repeat(32)).replace('{sessionId}', 's');
      expect(router.match('GET', concrete), path).toMatchObject({ handler: expect.any(Function) });
    }
  });

  it('documents every filter parameter and resolves every reference', async () => {
    const doc = (await get('/api/v1/openapi.json')).body as {
      components: { parameters: Record<string, unknown>; schemas: Record<string, unknown> };
    };
    for (const param of [...FILTER_PARAMS, 'limit', 'cursor', 'metrics', 'groupBy', 'step']) {
      expect(doc.components.parameters[param], param).toMatchObject({ name: param, in: 'query' });
    }
    const refs = JSON.stringify(doc).match(/"#\/components\/[a-z]+\/[A-Za-z]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const [, , kind, name] = JSON.parse(ref).split('/');
      expect((doc.components as Record<string, Record<string, unknown>>)[kind]?.[name], ref).toBeDefined();
    }
  });

  it('matches real responses: TraceSummary, SpanSummary and Span fields', async () => {
    type ObjectSchema = { properties: Record<string, unknown>; required: string[] };
    const schemas = (
      (await get('/api/v1/openapi.json')).body as { components: { schemas: Record<string, ObjectSchema> } }
    ).components.schemas;
    const [summary] = (await get('/api/v1/traces')).body.data as Record<string, unknown>[];
    expect(Object.keys(summary!).sort()).toEqual(schemas.TraceSummary!.required.sort());
    const [span] = (await get('/api/v1/spans?kind=llm')).body.data as Record<string, unknown>[];
    expect(schemas.SpanSummary!.required.filter((key) => !(key in span!))).toEqual([]);
    expect(Object.keys(span!).filter((key) => !(key in schemas.SpanSummary!.properties))).toEqual([]);
    const full = ((await get(`/api/v1/traces/${traceId}`)).body.spans as Record<string, unknown>[])[1]!;
    expect(schemas.Span!.required.filter((key) => !(key in full))).toEqual([]);
    expect(Object.keys(full).filter((key) => !(key in schemas.Span!.properties))).toEqual([]);
  });
});
