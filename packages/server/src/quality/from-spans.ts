/**
 * Copies spans into dataset items: by span ids (looked up in a window, default the longest
 * query window) or by the filters of `GET /api/v1/spans`, through the query layer's export
 * reader. Each span becomes the item with the span's id as item id (copying a span again
 * updates that item rather than adding a twin): input ← span input, expected output ← span
 * output, and its trace and span as the item's source.
 */
import type { FromSpansResult, ItemWrite, Span } from '@argus/shared';
import type { z } from 'zod';
import { parseSpanFilters, parseTime } from '../query/filters.ts';
import { exportSpans } from '../query/span-export.ts';
import type { Predicate } from '../query/sql.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import type { DatasetRepository } from './dataset-repository.ts';
import type { fromSpansSchema } from './schemas.ts';

/** A span as a dataset item. */
export function spanToItem(span: Span): ItemWrite & { id: string } {
  const model = span.responseModel || span.requestModel;
  return {
    id: span.spanId,
    input: span.input ?? null,
    ...(span.output === undefined ? {} : { expectedOutput: span.output }),
    metadata: {
      spanName: span.name,
      kind: span.kind,
      ...(model ? { model } : {}),
      ...(span.serviceName ? { serviceName: span.serviceName } : {}),
    },
    sourceTraceId: span.traceId,
    sourceSpanId: span.spanId,
  };
}

/** The query string of a filter object (arrays repeat their parameter). */
function filterParams(filter: Record<string, string | number | string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter))
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  return params;
}

/**
 * Copies the spans a request names into a dataset, as one version.
 * @throws ArgusError INVALID_PARAMETER for a bad filter, NOT_FOUND for the dataset.
 */
export async function copySpans(
  deps: { driver: ClickhouseDriver; datasets: DatasetRepository; maxWindowMs: number },
  projectId: string,
  datasetId: string,
  body: z.infer<typeof fromSpansSchema>,
): Promise<FromSpansResult> {
  let params: URLSearchParams;
  let where: Predicate | undefined;
  let limit: number;
  if ('spanIds' in body) {
    const toMs = body.to === undefined ? Date.now() : parseTime('to', String(body.to));
    const fromMs = body.from === undefined ? toMs - deps.maxWindowMs : parseTime('from', String(body.from));
    params = new URLSearchParams({ from: String(fromMs), to: String(toMs) });
    where = { sql: 'span_id IN {pickSpanIds:Array(String)}', params: { pickSpanIds: body.spanIds } };
    limit = body.spanIds.length * 2;
  } else {
    params = filterParams(body.filter);
    limit = body.limit ?? 1_000;
  }
  const filters = parseSpanFilters(params, { maxWindowMs: deps.maxWindowMs });
  const items: (ItemWrite & { id: string })[] = [];
  const seen = new Set<string>();
  for await (const batch of exportSpans(deps.driver, projectId, filters, {
    limit,
    ...(where ? { where } : {}),
  }))
    for (const span of batch)
      if (!seen.has(span.spanId)) {
        seen.add(span.spanId);
        items.push(spanToItem(span));
      }
  const missing = 'spanIds' in body ? body.spanIds.filter((id) => !seen.has(id)) : [];
  const written =
    items.length > 0
      ? await deps.datasets.upsertItems(projectId, datasetId, items)
      : {
          created: 0,
          updated: 0,
          unchanged: 0,
          version: (await deps.datasets.listItems(projectId, datasetId, { limit: 0 })).version,
        };
  return { ...written, spans: items.length, ...(missing.length > 0 ? { missing } : {}) };
}
