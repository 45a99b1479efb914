/**
 * The REST API under /api/v1: traces, spans, metric series, sessions, users, models,
 * projects, health and the OpenAPI document. Handlers validate the query string, run one
 * query function and answer JSON; failures are thrown as ArgusError and mapped by the server
 * to `{ error: { code, message } }`.
 */
import type { IncomingMessage } from 'node:http';
import { maybeRequestAuth } from '../auth/context.ts';
import type { Config } from '../config.ts';
import { ArgusError, isArgusError } from '../errors.ts';
import { noStore } from '../http/respond.ts';
import type { Reply, Router } from '../http/router.ts';
import {
  cursorListOf,
  getSession,
  getTrace,
  listModels,
  listSessions,
  listSpans,
  listTraces,
  listUsers,
  maxWindowMsFor,
  metricSeries,
  type ParseFiltersOptions,
  parseSeriesParams,
  parseSpanFilters,
  parseSpanOrder,
  rejectUnknown,
  SORT_PARAM,
} from '../query/index.ts';
import { parseScoreSeriesParams, scoreSeries } from '../query/score-series.ts';
import { STORAGE_FULL_MESSAGE } from '../store/clickhouse/engine-errors.ts';
import type { Store } from '../store/index.ts';
import { buildOpenApiDocument } from './openapi.ts';

/** What the API routes need. */
export interface ApiDeps {
  store: Store;
  config: Config;
  /** The project a request belongs to (from its credentials). */
  projectOf: (request: IncomingMessage) => string;
  startedAt: Date;
  version: string;
  /** Largest query window; default the larger of 31 days and the retention period. */
  maxWindowMs?: number;
}

const MAX_SESSION_ID_CHARS = 256;

/** Registers every /api/v1 route (and `/health`) on the router. */
export function registerApiRoutes(router: Router, deps: ApiDeps): void {
  const { store } = deps;
  const driver = store.driver;
  const maxWindowMs = deps.maxWindowMs ?? maxWindowMsFor(deps.config.retentionDays);
  const window: ParseFiltersOptions = { maxWindowMs };

  router.on('GET', '/api/v1/traces', 'read', async ({ request, url }) => {
    const filters = parseSpanFilters(url.searchParams, { ...window, cursorList: 'traces' });
    return noStore(await listTraces(driver, deps.projectOf(request), filters));
  });
  router.on('GET', '/api/v1/traces/:traceId', 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    return noStore(await getTrace(driver, deps.projectOf(request), params.traceId ?? ''));
  });
  router.on('GET', '/api/v1/spans', 'read', async ({ request, url }) => {
    const order = parseSpanOrder(url.searchParams);
    const cursorList = cursorListOf(order);
    const filters = parseSpanFilters(url.searchParams, { ...window, cursorList, extra: [SORT_PARAM] });
    return noStore(await listSpans(driver, deps.projectOf(request), filters, order));
  });
  router.on('GET', '/api/v1/metrics/series', 'read', async ({ request, url }) => {
    // `score=<name>` asks for a score's mean over time instead of span metrics (query/score-series.ts).
    if (url.searchParams.has('score'))
      return noStore(
        await scoreSeries(
          driver,
          deps.projectOf(request),
          parseScoreSeriesParams(url.searchParams, maxWindowMs),
        ),
      );
    const params = parseSeriesParams(url.searchParams, window);
    return noStore(await metricSeries(driver, deps.projectOf(request), params));
  });
  router.on('GET', '/api/v1/sessions', 'read', async ({ request, url }) => {
    const filters = parseSpanFilters(url.searchParams, { ...window, cursorList: 'sessions' });
    return noStore(await listSessions(driver, deps.projectOf(request), filters));
  });
  router.on('GET', '/api/v1/sessions/:sessionId', 'read', async ({ request, url, params }) => {
    const sessionId = params.sessionId ?? '';
    if (sessionId.length === 0 || sessionId.length > MAX_SESSION_ID_CHARS) {
      throw new ArgusError(
        'INVALID_PARAMETER',
        `Invalid parameter 'sessionId': it has ${sessionId.length} characters; expected 1 to ${MAX_SESSION_ID_CHARS}`,
      );
    }
    const filters = parseSpanFilters(url.searchParams, { ...window, cursorList: 'traces', windowOnly: true });
    return noStore(await getSession(driver, deps.projectOf(request), sessionId, filters));
  });
  router.on('GET', '/api/v1/users', 'read', async ({ request, url }) => {
    const filters = parseSpanFilters(url.searchParams, { ...window, cursorList: 'users' });
    return noStore(await listUsers(driver, deps.projectOf(request), filters));
  });
  router.on('GET', '/api/v1/models', 'read', async ({ request, url }) => {
    const filters = parseSpanFilters(url.searchParams, { ...window, limitOnly: true });
    return noStore(await listModels(driver, deps.projectOf(request), filters));
  });
  const health = async ({ url, request }: { url: URL; request: IncomingMessage }): Promise<Reply> => {
    rejectUnknown(url.searchParams, []);
    // Load balancers need only the status; where and how data is stored is for callers with
    // credentials (or anyone in open mode, where everything is open anyway).
    const detailed = deps.config.authMode === 'off' || maybeRequestAuth(request) !== undefined;
    return healthReply(deps, detailed);
  };
  router.on('GET', '/api/v1/health', 'public', health);
  router.on('GET', '/health', 'public', health);
  let openApi: string | undefined;
  router.on('GET', '/api/v1/openapi.json', 'public', ({ url }) => {
    rejectUnknown(url.searchParams, []);
    openApi ??= JSON.stringify(buildOpenApiDocument(deps.version));
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: openApi };
  });
}

/** Health: 200 `ok` when a trivial query answers, 503 `unavailable` otherwise. */
async function healthReply(deps: ApiDeps, detailed: boolean): Promise<Reply> {
  const started = performance.now();
  let error: string | undefined;
  try {
    await deps.store.driver.query('SELECT 1 AS ok');
  } catch (cause) {
    // Only our own messages are shown; engine errors may carry internals.
    error = isArgusError(cause) ? cause.message : 'The store did not answer SELECT 1; see the server log';
  }
  const healthy = error === undefined;
  // Reads still work on a full disk, so the status stays ok; the storage block says writes fail.
  const isFull = deps.store.writer.stats.storageFullSince > 0;
  if (isFull && error === undefined) error = STORAGE_FULL_MESSAGE;
  if (!detailed) {
    return {
      status: healthy ? 200 : 503,
      headers: { 'cache-control': 'no-store' },
      body: { status: healthy ? 'ok' : 'unavailable', version: deps.version },
    };
  }
  return {
    status: healthy ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
    body: {
      status: healthy ? 'ok' : 'unavailable',
      version: deps.version,
      startedAt: deps.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
      storage: {
        mode: deps.config.storageMode,
        description: deps.store.description,
        driver: deps.store.driver.kind,
        ok: healthy,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        ...(isFull ? { full: true } : {}),
        ...(error ? { error } : {}),
      },
      writer: { ...deps.store.writer.stats },
    },
  };
}
