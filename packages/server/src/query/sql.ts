/**
 * Filters → SQL predicates with bound parameters. The only SQL text built here is fixed
 * fragments; every user value travels as a `{name:Type}` parameter. The parameter names are
 * the same in every fragment, so a main query and its subqueries share one params object.
 */
import type { QueryParams } from '../store/clickhouse/driver.ts';
import type { SpanFilters } from './filters.ts';

/** Extra time allowed after a window for spans and logs of traces whose root is in the window. */
export const TRACE_SLACK_MS = 24 * 3600_000;

/** A predicate (to AND into a WHERE) and the params it binds. */
export interface Predicate {
  sql: string;
  params: QueryParams;
}

/** Time bounds, as SQL expressions over bound parameters. */
export const FROM = "fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')";
export const TO = "fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')";
export const TO_SLACK = "fromUnixTimestamp64Milli({toSlackMs:Int64}, 'UTC')";

/** Span filters on the per-minute rollup's dimensions (it can answer them). */
export const DIMENSION_FILTERS = ['services', 'environments', 'models', 'providers', 'kinds'] as const;

/** Span filters only raw spans can answer. */
export const RAW_SPAN_FILTERS = [
  'statuses',
  'userIds',
  'sessionIds',
  'tags',
  'outputFlags',
  'duration',
  'cost',
  'perplexity',
  'text',
] as const;

/** Every span-level filter key. */
export const ALL_SPAN_FILTERS = [...DIMENSION_FILTERS, ...RAW_SPAN_FILTERS] as const;

/** Filters that compare a single span's columns. */
export type SpanFilterKey = (typeof ALL_SPAN_FILTERS)[number];

const IN_CONDITIONS: Partial<Record<SpanFilterKey, string>> = {
  services: 'service_name IN {services:Array(String)}',
  environments: 'environment IN {environments:Array(String)}',
  models: '(request_model IN {models:Array(String)} OR response_model IN {models:Array(String)})',
  providers: 'provider IN {providers:Array(String)}',
  kinds: 'kind IN {kinds:Array(String)}',
  statuses: 'status IN {statuses:Array(String)}',
  userIds: 'user_id IN {userIds:Array(String)}',
  sessionIds: 'session_id IN {sessionIds:Array(String)}',
  tags: 'hasAny(tags, {tags:Array(String)})',
  // Flags live beside the spans (output_health, written by the online worker), keyed by span.
  outputFlags: `(trace_id, span_id) IN (
    SELECT trace_id, span_id FROM output_health
    WHERE project_id = {projectId:String} AND time BETWEEN ${FROM} AND ${TO_SLACK}
      AND hasAny(flags, {outputFlags:Array(String)}))`,
};

/** The params every query binds: project and window (plus the slack bound for trace subqueries). */
export function baseParams(projectId: string, filters: SpanFilters): QueryParams {
  return {
    projectId,
    fromMs: filters.fromMs,
    toMs: filters.toMs,
    toSlackMs: filters.toMs + TRACE_SLACK_MS,
  };
}

/** True when the filters set any of `keys`. */
export function hasAnyFilter(filters: SpanFilters, keys: readonly SpanFilterKey[]): boolean {
  return keys.some((key) => isSet(filters, key));
}

function isSet(filters: SpanFilters, key: SpanFilterKey): boolean {
  switch (key) {
    case 'duration':
      return filters.minDurationMs !== undefined || filters.maxDurationMs !== undefined;
    case 'cost':
      return filters.minCostUsd !== undefined;
    case 'perplexity':
      return filters.minPerplexity !== undefined || filters.maxPerplexity !== undefined;
    case 'text':
      return filters.qTokens.length > 0;
    default:
      return filters[key].length > 0;
  }
}

/**
 * Column predicates of the span-level filters in `keys` (no project or time bound), with
 * their params. A span's text is its input, its output and the GenAI content logged for it.
 */
export function spanConditions(
  filters: SpanFilters,
  keys: readonly SpanFilterKey[] = ALL_SPAN_FILTERS,
): Predicate {
  const parts: string[] = [];
  const params: QueryParams = {};
  for (const key of keys) {
    if (!isSet(filters, key)) continue;
    const inCondition = IN_CONDITIONS[key];
    if (inCondition) {
      parts.push(inCondition);
      params[key] = filters[key as keyof SpanFilters] as string[];
    } else if (key === 'duration') {
      if (filters.minDurationMs !== undefined) {
        parts.push('duration_ms >= {minDurationMs:Float64}');
        params.minDurationMs = filters.minDurationMs;
      }
      if (filters.maxDurationMs !== undefined) {
        parts.push('duration_ms <= {maxDurationMs:Float64}');
        params.maxDurationMs = filters.maxDurationMs;
      }
    } else if (key === 'cost') {
      parts.push('cost_usd >= {minCostUsd:Float64}');
      params.minCostUsd = filters.minCostUsd as number;
    } else if (key === 'perplexity') {
      parts.push(...perplexityConditions(filters, params));
    } else if (key === 'text') {
      parts.push(textCondition(filters.qTokens.some((t) => STRUCTURE_WORDS.has(t))));
      params.qTokens = filters.qTokens;
    }
  }
  return { sql: parts.join(' AND '), params };
}

/** Perplexity bounds; a NULL perplexity (no logprobs) fails both comparisons. */
function perplexityConditions(filters: SpanFilters, params: QueryParams): string[] {
  const parts: string[] = [];
  if (filters.minPerplexity !== undefined) {
    parts.push('perplexity >= {minPerplexity:Float64}');
    params.minPerplexity = filters.minPerplexity;
  }
  if (filters.maxPerplexity !== undefined) {
    parts.push('perplexity <= {maxPerplexity:Float64}');
    params.maxPerplexity = filters.maxPerplexity;
  }
  return parts;
}

// hasAllTokens on lower(…) is what the `text(splitByNonAlpha)` indexes serve. Log content is
// matched by (trace_id, span_id) so a span is found by the content its instrumentation logged.
function textCondition(structural: boolean): string {
  // The index-served test stays first, so granules are still pruned by it.
  const has = (column: string) =>
    structural
      ? `(hasAllTokens(lower(${column}), {qTokens:Array(String)}) AND hasAllTokens(${unstructured(column)}, {qTokens:Array(String)}))`
      : `hasAllTokens(lower(${column}), {qTokens:Array(String)})`;
  return `(${has('input')}
    OR ${has('output')}
    OR (trace_id, span_id) IN (
      SELECT trace_id, span_id FROM logs
      WHERE project_id = {projectId:String} AND time BETWEEN ${FROM} AND ${TO_SLACK}
        AND trace_id != '' AND ${has('content')}))`;
}

/**
 * Words that also occur in the JSON structure of stored messages — keys (`"role":`, `"parts":`,
 * `"content":` …) and role, part-type and finish-reason values. A query with one of them is
 * checked against the text with that structure removed, so searching "content" or "user" finds
 * what people wrote, not every message; other queries keep the plain indexed test.
 */
export const STRUCTURE_WORDS: ReadonlySet<string> = new Set([
  'role',
  'parts',
  'type',
  'content',
  'text',
  'reasoning',
  'tool',
  'call',
  'response',
  'blob',
  'uri',
  'file',
  'id',
  'name',
  'arguments',
  'finishreason',
  'finish',
  'reason',
  'user',
  'assistant',
  'system',
  'developer',
  'summary',
  'stop',
  'length',
  'mime',
  'modality',
]);

/** `column`, lower-cased, without JSON keys and without the values of role, type and finish-reason keys. */
function unstructured(column: string): string {
  // RE2 via a SQL literal: no backslash escapes, so `[ ]` for a space and `[[]`/`[]]` for brackets.
  const values =
    '"(role|type|finishReason|finish_reason)":[ ]*"[^"]*"|"(finishReasons|finish_reasons)":[ ]*[[][^]]*[]]';
  return `lower(replaceRegexpAll(replaceRegexpAll(${column}, '${values}', ' '), '"[A-Za-z_][A-Za-z0-9_]*":', ' '))`;
}

/**
 * `project_id = … AND start_time BETWEEN from AND to [AND column filters]` for `spans`.
 * @param options.slack widen the upper bound by {@link TRACE_SLACK_MS} (children of traces rooted in the window).
 */
export function spanWhere(
  projectId: string,
  filters: SpanFilters,
  options: { keys?: readonly SpanFilterKey[]; slack?: boolean } = {},
): Predicate {
  const conditions = spanConditions(filters, options.keys);
  const sql = [
    'project_id = {projectId:String}',
    `start_time BETWEEN ${FROM} AND ${options.slack ? TO_SLACK : TO}`,
    ...(conditions.sql ? [conditions.sql] : []),
  ].join('\n  AND ');
  return { sql, params: { ...baseParams(projectId, filters), ...conditions.params } };
}

/**
 * `trace_id IN (spans of traces rooted in the window that match the span-level filters in
 * `keys`)`, or an empty predicate when none is set.
 */
export function matchingTraces(
  projectId: string,
  filters: SpanFilters,
  keys: readonly SpanFilterKey[],
): Predicate {
  if (!hasAnyFilter(filters, keys)) return { sql: '', params: {} };
  const inner = spanWhere(projectId, filters, { keys, slack: true });
  return { sql: `trace_id IN (SELECT trace_id FROM spans WHERE ${inner.sql})`, params: inner.params };
}

/** `AND`-joins non-empty predicates. */
export function allOf(...predicates: Predicate[]): Predicate {
  const used = predicates.filter((p) => p.sql !== '');
  return {
    sql: used.map((p) => p.sql).join('\n  AND '),
    params: Object.assign({}, ...used.map((p) => p.params)),
  };
}

/** A time-descending keyset condition on (timeColumn, idColumn) after the cursor. */
export function afterCursor(
  timeColumn: string,
  idColumn: string,
  idType: string,
  cursor: { timeNs: string; id: string } | undefined,
  order: 'asc' | 'desc' = 'desc',
): Predicate {
  if (!cursor) return { sql: '', params: {} };
  const time = 'fromUnixTimestamp64Nano({cursorNs:Int64})';
  const id = `{cursorId:${idType}}`;
  const cmp = order === 'desc' ? '<' : '>';
  // The redundant first bound lets the primary key prune on time alone.
  return {
    sql: `${timeColumn} ${cmp}= ${time} AND (${timeColumn} ${cmp} ${time} OR ${idColumn} ${cmp} ${id})`,
    params: { cursorNs: cursor.timeNs, cursorId: cursor.id },
  };
}
