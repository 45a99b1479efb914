/**
 * Reads the spans feature importance learns from: a deterministic sample of the window's spans
 * matching drift's span filter, each with its properties (model, parameters, input tokens, tags,
 * service, the trace's retriever spans) and the target (latency, cost, error, perplexity, output
 * tokens, or the trace's mean score), then runs the permutation importance.
 */
import type { ImportanceReport } from '@argus/shared';
import { IMPORTANCE_FEATURES } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { parseTime } from '../../query/filters.ts';
import { FROM, spanConditions, TO } from '../../query/sql.ts';
import type { ClickhouseDriver, QueryParams } from '../../store/clickhouse/driver.ts';
import { windowFilters } from '../drift/compare.ts';
import { hasPerplexity } from '../drift/sample.ts';
import { permutationImportance, type Row } from './importance.ts';
import type { ImportanceBody } from './schemas.ts';

/** Fewest spans with a target value importance is computed on. */
export const MIN_IMPORTANCE_SPANS = 30;
const DAY_MS = 86_400_000;

const param = (name: string) => `if(JSONHas(params, '${name}'), JSONExtractFloat(params, '${name}'), -1)`;
const FEATURE_SQL = `if(response_model != '', response_model, request_model) AS model,
  ${param('temperature')} AS temperature, ${param('topP')} AS topP, ${param('maxTokens')} AS maxTokens,
  toFloat64(input_tokens) AS inputTokens, arrayStringConcat(arraySort(tags), ',') AS tag, service_name AS service`;
const TARGET_SQL: Record<string, string> = {
  latency: 'duration_ms',
  cost: 'cost_usd',
  error: "if(status = 'error', 1, 0)",
  perplexity: 'perplexity',
  outputTokens: 'toFloat64(output_tokens)',
};

type SpanRow = Record<string, string | number | null> & { trace_id: string; target: number | null };

/** Computes feature importance for a target over a window of one project's spans. */
export async function featureImportance(
  driver: ClickhouseDriver,
  projectId: string,
  body: ImportanceBody,
  maxWindowMs: number,
): Promise<ImportanceReport> {
  const toMs = body.to === undefined ? Date.now() : parseTime('to', body.to);
  const fromMs = body.from === undefined ? toMs - DAY_MS : parseTime('from', body.from);
  const filters = windowFilters(body.filter ?? {}, { fromMs, toMs }, maxWindowMs);
  const conditions = spanConditions(filters);
  const where = `project_id = {projectId:String} AND start_time >= ${FROM} AND start_time <= ${TO}${conditions.sql ? ` AND ${conditions.sql}` : ''}`;
  const params: QueryParams = {
    projectId,
    fromMs,
    toMs,
    ...conditions.params,
    importanceLimit: body.sampleSize,
  };
  const scoreName = body.target.startsWith('score:') ? body.target.slice(6) : undefined;
  if (body.target === 'perplexity' && !(await hasPerplexity(driver)))
    throw new ArgusError(
      'INVALID_PARAMETER',
      "Invalid field 'target': this store has no perplexity column yet",
    );
  const target = scoreName === undefined ? TARGET_SQL[body.target]! : 'toFloat64(0)';
  const rows = await driver.query<SpanRow>(
    `SELECT trace_id, ${FEATURE_SQL}, ${target} AS target FROM spans WHERE ${where}
ORDER BY cityHash64(span_id) LIMIT {importanceLimit:UInt32}`,
    params,
  );
  const retrievals = await countsByTrace(
    driver,
    `SELECT trace_id, toFloat64(count()) AS n FROM spans WHERE project_id = {projectId:String} AND kind = 'retriever'
  AND start_time >= ${FROM} AND start_time <= ${TO} AND trace_id IN (SELECT trace_id FROM spans WHERE ${where}) GROUP BY trace_id`,
    params,
  );
  const scores = scoreName
    ? await countsByTrace(
        driver,
        `SELECT trace_id, avg(value) AS n FROM scores WHERE project_id = {projectId:String} AND name = {scoreName:String}
  AND string_value = '' AND trace_id IN (SELECT trace_id FROM spans WHERE ${where}) GROUP BY trace_id`,
        { ...params, scoreName },
      )
    : undefined;
  const features = body.features ?? [...IMPORTANCE_FEATURES];
  const kept: { row: Row; y: number }[] = [];
  for (const r of rows) {
    const y = scores ? scores.get(r.trace_id) : r.target === null ? undefined : Number(r.target);
    if (y === undefined || !Number.isFinite(y)) continue;
    const row: Row = { retrievalCount: retrievals.get(r.trace_id) ?? 0 };
    for (const f of features)
      if (f !== 'retrievalCount') row[f] = typeof r[f] === 'string' ? String(r[f]) : Number(r[f]);
    kept.push({ row, y });
  }
  if (kept.length < MIN_IMPORTANCE_SPANS)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Cannot explain '${body.target}': the window holds ${kept.length} spans with a value for it; at least ${MIN_IMPORTANCE_SPANS} are needed (widen 'from'/'to' or the filter)`,
    );
  const result = permutationImportance(
    kept.map((k) => k.row),
    kept.map((k) => k.y),
    features,
    { repeats: body.repeats, seed: body.seed ?? 1 },
  );
  return { target: body.target as ImportanceReport['target'], spans: kept.length, ...result };
}

async function countsByTrace(
  driver: ClickhouseDriver,
  sql: string,
  params: QueryParams,
): Promise<Map<string, number>> {
  const rows = await driver.query<{ trace_id: string; n: number | string }>(sql, params);
  return new Map(rows.map((r) => [r.trace_id, Number(r.n)]));
}
