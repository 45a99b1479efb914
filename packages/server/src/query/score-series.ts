/**
 * Score series for the Quality page and Grafana (`GET /api/v1/metrics/series?score=<name>`): the
 * mean and count of a score name per bucket, optionally one series per model, model version,
 * prompt version, service or score source, and the lowest-scored traces for drill-down. A score's
 * dimensions are its trace's: the model of its first LLM span (request model, or the response
 * model when none was asked for), that span's response model as the version, the service of its
 * root, and as prompt version the span's metadata `promptVersion` or its first tag that starts with
 * `prompt` (`prompt:v3`). All SQL is parameterized and bounded by the window and a LIMIT.
 */
import { SCORE_GROUP_BY, type ScoreGroupBy, type ScoreSeriesResult } from '@argus/shared';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { parseTime } from './filters.ts';
import { invalidParameter, rejectUnknown, single } from './params.ts';
import { bucketWindow, MAX_GROUPS, MAX_POINTS, TARGET_POINTS } from './series.ts';

/** Validated parameters of a score series. */
export interface ScoreSeriesParams {
  score: string;
  fromMs: number;
  toMs: number;
  stepSeconds: number;
  groupBy?: ScoreGroupBy;
  sources: string[];
  models: string[];
  services: string[];
}

const DAY_MS = 86_400_000;
const STEPS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400];
// How far before a score its trace may have started (scores may arrive long after their trace).
const TRACE_LOOKBACK_MS = 7 * DAY_MS;

/** The dimension expressions over the per-trace join `t`, and the score's own source. */
const GROUP_EXPR: Record<ScoreGroupBy, string> = {
  model: 't.model',
  modelVersion: 't.version',
  service: 't.service',
  promptVersion: 't.prompt',
  source: 's.source',
};

/**
 * Parses a score-series query: `score` (required), `from`, `to`, `step`, `groupBy`, and the
 * filters `source`, `model`, `service` (repeatable).
 * @throws ArgusError INVALID_PARAMETER naming the bad parameter.
 */
export function parseScoreSeriesParams(params: URLSearchParams, maxWindowMs: number): ScoreSeriesParams {
  rejectUnknown(params, ['score', 'from', 'to', 'step', 'groupBy', 'source', 'model', 'service']);
  const score = single(params, 'score') ?? '';
  if (score.length === 0 || score.length > 200)
    throw invalidParameter('score', 'give the score name (1 to 200 characters)');
  const rawTo = single(params, 'to');
  const rawFrom = single(params, 'from');
  const toMs = rawTo === undefined ? Date.now() : parseTime('to', rawTo);
  const fromMs = rawFrom === undefined ? toMs - 7 * DAY_MS : parseTime('from', rawFrom);
  if (fromMs > toMs) throw invalidParameter('from', 'is after to');
  if (toMs - fromMs > maxWindowMs)
    throw invalidParameter('from', `the window may span at most ${Math.round(maxWindowMs / DAY_MS)} days`);
  const rawGroup = single(params, 'groupBy');
  if (rawGroup !== undefined && !(SCORE_GROUP_BY as readonly string[]).includes(rawGroup))
    throw invalidParameter(
      'groupBy',
      `'${rawGroup.slice(0, 40)}' is not one of ${SCORE_GROUP_BY.join(', ')}`,
    );
  const window = { fromMs, toMs };
  const rawStep = single(params, 'step');
  let stepSeconds = STEPS.find((s) => bucketWindow(window, s).points <= TARGET_POINTS) ?? 30 * 86400;
  if (rawStep !== undefined) {
    const match = /^(\d{1,7})([smhd]?)$/.exec(rawStep);
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match?.[2] || 's') as 's'];
    stepSeconds = match ? Number(match[1]) * unit : 0;
    if (stepSeconds < 60 || bucketWindow(window, stepSeconds).points > MAX_POINTS)
      throw invalidParameter(
        'step',
        `'${rawStep.slice(0, 40)}' is not a duration from 1m giving at most ${MAX_POINTS} points`,
      );
  }
  const many = (name: string) => params.getAll(name).slice(0, 100);
  return {
    score,
    fromMs,
    toMs,
    stepSeconds,
    ...(rawGroup ? { groupBy: rawGroup as ScoreGroupBy } : {}),
    sources: many('source'),
    models: many('model'),
    services: many('service'),
  };
}

/** The scores of the name in the window, joined to their trace's dimensions, as `FROM … WHERE …`. */
function scoredFrom(p: ScoreSeriesParams): { sql: string; params: Record<string, unknown> } {
  const scoreWhere = `project_id = {projectId:String} AND name = {score:String}
      AND time BETWEEN fromUnixTimestamp64Milli({fromMs:Int64}) AND fromUnixTimestamp64Milli({toMs:Int64})
      ${p.sources.length > 0 ? 'AND source IN {sources:Array(String)}' : ''}`;
  const dims: string[] = [];
  if (p.models.length > 0) dims.push('t.model IN {models:Array(String)}');
  if (p.services.length > 0) dims.push('t.service IN {services:Array(String)}');
  return {
    sql: `FROM (SELECT trace_id, span_id, value, string_value, comment, source, time FROM scores WHERE ${scoreWhere}) AS s
LEFT JOIN (
  SELECT trace_id,
    anyIf(if(request_model != '', request_model, response_model), kind = 'llm') AS model,
    anyIf(response_model, kind = 'llm') AS version,
    argMin(service_name, start_time) AS service,
    anyIf(if(metadata['promptVersion'] != '', metadata['promptVersion'], arrayFirst(x -> startsWith(x, 'prompt'), tags)),
      metadata['promptVersion'] != '' OR notEmpty(arrayFilter(x -> startsWith(x, 'prompt'), tags))) AS prompt
  FROM spans
  WHERE project_id = {projectId:String}
    AND start_time BETWEEN fromUnixTimestamp64Milli({lookbackMs:Int64}) AND fromUnixTimestamp64Milli({toMs:Int64})
    AND trace_id IN (SELECT trace_id FROM scores WHERE ${scoreWhere})
  GROUP BY trace_id
) AS t ON s.trace_id = t.trace_id
${dims.length > 0 ? `WHERE ${dims.join(' AND ')}` : ''}`,
    params: {
      score: p.score,
      fromMs: p.fromMs,
      toMs: p.toMs,
      lookbackMs: p.fromMs - TRACE_LOOKBACK_MS,
      sources: p.sources,
      models: p.models,
      services: p.services,
    },
  };
}

interface BucketRow {
  bucket_s: number | string;
  group_value?: string;
  mean: number | null;
  n: number | string;
}

/** The mean of a score per bucket (and group), zero-count buckets as `mean: null`, with totals. */
export async function scoreSeries(
  driver: ClickhouseDriver,
  projectId: string,
  p: ScoreSeriesParams,
): Promise<ScoreSeriesResult> {
  const from = scoredFrom(p);
  const window = bucketWindow(p, p.stepSeconds);
  const group = p.groupBy ? `, ${GROUP_EXPR[p.groupBy]} AS group_value` : '';
  const params = { ...from.params, projectId, step: p.stepSeconds };
  const [rows, totals] = await Promise.all([
    driver.query<BucketRow>(
      `SELECT toUnixTimestamp(toStartOfInterval(s.time, INTERVAL {step:UInt32} SECOND)) AS bucket_s${group},
  avg(s.value) AS mean, count() AS n
${from.sql}
GROUP BY bucket_s${p.groupBy ? ', group_value' : ''}
ORDER BY bucket_s
LIMIT 200000`,
      params,
    ),
    driver.query<{ mean: number | null; n: number | string }>(
      `SELECT avg(s.value) AS mean, count() AS n\n${from.sql}\nLIMIT 1`,
      params,
    ),
  ]);
  const byGroup = new Map<string, Map<number, BucketRow>>();
  if (!p.groupBy) byGroup.set('', new Map());
  for (const row of rows) {
    const key = row.group_value ?? '';
    const buckets = byGroup.get(key) ?? new Map<number, BucketRow>();
    buckets.set(Number(row.bucket_s) * 1000, row);
    byGroup.set(key, buckets);
  }
  const countOf = (b: Map<number, BucketRow>) => [...b.values()].reduce((n, r) => n + Number(r.n), 0);
  const groups = [...byGroup.entries()].sort((a, b) => countOf(b[1]) - countOf(a[1])).slice(0, MAX_GROUPS);
  const total = totals[0];
  return {
    score: p.score,
    step: p.stepSeconds,
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
    groupBy: p.groupBy ?? null,
    series: groups.map(([key, buckets]) => ({
      group: p.groupBy ? { [p.groupBy]: key } : {},
      points: Array.from({ length: window.points }, (_, i) => {
        const timeMs = window.fromMs + i * p.stepSeconds * 1000;
        const row = buckets.get(timeMs);
        return {
          time: new Date(timeMs).toISOString(),
          mean: row ? Number(row.mean) : null,
          count: row ? Number(row.n) : 0,
        };
      }),
    })),
    totals: {
      mean: total && Number(total.n) > 0 ? Number(total.mean) : null,
      count: Number(total?.n ?? 0),
    },
  };
}

/** The lowest-scored traces of a score name in the window (the Quality page's drill-down). */
export async function lowestScored(
  driver: ClickhouseDriver,
  projectId: string,
  p: ScoreSeriesParams,
  limit: number,
) {
  const from = scoredFrom(p);
  const rows = await driver.query<{
    trace_id: string;
    span_id: string;
    value: number;
    string_value: string;
    source: string;
    comment: string;
    time_ms: number | string;
    model: string;
  }>(
    `SELECT s.trace_id AS trace_id, s.span_id AS span_id, s.value AS value, s.string_value AS string_value,
  s.source AS source, s.comment AS comment, toUnixTimestamp64Milli(s.time) AS time_ms, t.model AS model
${from.sql}
ORDER BY s.value ASC, s.time DESC
LIMIT {limit:UInt32}`,
    { ...from.params, projectId, limit },
  );
  return rows.map((r) => ({
    traceId: r.trace_id,
    spanId: r.span_id,
    value: Number(r.value),
    stringValue: r.string_value,
    source: r.source,
    comment: r.comment,
    time: new Date(Number(r.time_ms)).toISOString(),
    model: r.model,
  }));
}
