/**
 * `GET /api/v1/export/spans`: the caller's project's spans as NDJSON (one canonical span per
 * line, newest first), streamed batch by batch so memory stays bounded whatever the size.
 * Every export is audited as `data.export` with its filters and row count, recorded before the
 * response ends.
 */
import type { Span } from '@argus/shared';
import { requestAuth } from '../auth/context.ts';
import { auditRequest } from '../auth/routes.ts';
import type { AuthService } from '../auth/service.ts';
import type { Config } from '../config.ts';
import type { Reply, Router } from '../http/router.ts';
import type { Logger } from '../logger.ts';
import {
  DEFAULT_EXPORT_LIMIT,
  exportSpans,
  invalidParameter,
  MAX_EXPORT_LIMIT,
  maxWindowMsFor,
  parseSpanFilters,
} from '../query/index.ts';
import type { Store } from '../store/index.ts';

/** What the export route needs. */
export interface ExportDeps {
  store: Store;
  config: Config;
  auth: AuthService;
  logger: Logger;
}

/** Parses `limit`: 1 to {@link MAX_EXPORT_LIMIT}, default {@link DEFAULT_EXPORT_LIMIT}. */
export function parseExportLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_EXPORT_LIMIT;
  const value = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= MAX_EXPORT_LIMIT)) {
    throw invalidParameter('limit', `'${raw.slice(0, 20)}' is not an integer from 1 to ${MAX_EXPORT_LIMIT}`);
  }
  return value;
}

/** Registers the export routes. */
export function registerExportRoutes(router: Router, deps: ExportDeps): void {
  const maxWindowMs = maxWindowMsFor(deps.config.retentionDays);

  router.on('GET', '/api/v1/export/spans', 'read', async ({ request, url }) => {
    if (url.searchParams.getAll('limit').length > 1)
      throw invalidParameter('limit', 'is given more than once');
    const limit = parseExportLimit(url.searchParams.get('limit'));
    const filters = parseSpanFilters(url.searchParams, { maxWindowMs, extra: ['limit'] });
    const { projectId } = requestAuth(request);
    const batches = exportSpans(deps.store.driver, projectId, filters, { limit });
    // The first batch is read before answering, so a failing query is still a JSON error.
    const first = await batches.next();
    const details = {
      from: new Date(filters.fromMs).toISOString(),
      to: new Date(filters.toMs).toISOString(),
      filters: filtersOf(url.searchParams),
      limit,
    };
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return {
      status: 200,
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'cache-control': 'no-store',
        'content-disposition': `attachment; filename="argus-spans-${projectId}-${stamp}.ndjson"`,
      },
      body: ndjson(first, batches, {
        logger: deps.logger,
        onEnd: (rows, complete) =>
          auditRequest(deps.auth, request, {
            action: 'data.export',
            target: 'spans',
            outcome: complete ? 'success' : 'failure',
            details: { ...details, rows, complete },
          }).catch((error: unknown) => deps.logger.error('export: cannot audit', { error: String(error) })),
      }),
    } satisfies Reply;
  });
}

/** The span filters of the query, as given (multi-valued ones as arrays), for the audit entry. */
function filtersOf(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    if (key === 'limit' || key === 'from' || key === 'to') continue;
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

/**
 * NDJSON text of the batches, one chunk per batch. `onEnd` runs once the last line is produced,
 * or when the stream stops early (client gone, query failed), with the rows read so far.
 */
async function* ndjson(
  first: IteratorResult<Span[]>,
  batches: AsyncGenerator<Span[]>,
  options: { logger: Logger; onEnd: (rows: number, complete: boolean) => Promise<unknown> },
): AsyncGenerator<string> {
  let rows = 0;
  let complete = false;
  try {
    for (let next = first; !next.done; next = await batches.next()) {
      rows += next.value.length;
      if (next.value.length > 0) yield next.value.map((span) => `${JSON.stringify(span)}\n`).join('');
    }
    complete = true;
  } catch (error) {
    // The client going away is not a server error; a failing query is (the response is cut short).
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE')
      options.logger.error('export: stopped early', { error: String((error as Error)?.stack ?? error) });
    throw error;
  } finally {
    if (!complete) await batches.return(undefined);
    await options.onEnd(rows, complete);
  }
}
