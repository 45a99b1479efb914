/**
 * `GET /api/v1/scores`: the scores of a project in a window, newest first, filtered by source
 * (`online`, `api`, `sdk` …), name, trace, span or the online rule that wrote them.
 */
import type { IncomingMessage } from 'node:http';
import type { Score } from '@argus/shared';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { invalidParameter, parseSpanFilters } from '../query/index.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import { nanosToIso } from '../store/rows.ts';

const STRING_FILTERS = { source: 'source', name: 'name', traceId: 'trace_id', spanId: 'span_id' } as const;
const MAX_SCORES = 10_000;

/** Registers the score list. */
export function registerScoreList(
  router: Router,
  deps: { driver: ClickhouseDriver; projectOf: (request: IncomingMessage) => string; maxWindowMs: number },
): void {
  router.on('GET', '/api/v1/scores', 'read', async ({ request, url }) => {
    const names = [...Object.keys(STRING_FILTERS), 'ruleId', 'limit'];
    const window = parseSpanFilters(url.searchParams, {
      windowOnly: true,
      extra: names,
      maxWindowMs: deps.maxWindowMs,
    });
    const extra: Record<string, string> = {};
    for (const key of names) {
      const value = url.searchParams.get(key);
      if (value !== null) extra[key] = value;
    }
    const limit = extra.limit === undefined ? 1000 : Number(extra.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCORES)
      throw invalidParameter('limit', `'${extra.limit}' is not an integer from 1 to ${MAX_SCORES}`);
    const conditions: string[] = [];
    const values: Record<string, string | number> = {
      projectId: deps.projectOf(request),
      fromMs: window.fromMs,
      toMs: window.toMs,
      limit,
    };
    for (const [param, column] of Object.entries(STRING_FILTERS)) {
      if (extra[param] === undefined) continue;
      conditions.push(`${column} = {${param}:String}`);
      values[param] = param === 'traceId' || param === 'spanId' ? extra[param].toLowerCase() : extra[param];
    }
    if (extra.ruleId !== undefined) {
      conditions.push("metadata['ruleId'] = {ruleId:String}");
      values.ruleId = extra.ruleId;
    }
    const rows = await deps.driver.query<Record<string, string | number>>(
      `SELECT score_id, trace_id, span_id, name, value, string_value, comment, source, author,
  toString(toUnixTimestamp64Nano(time)) AS time_ns, metadata
FROM scores
WHERE project_id = {projectId:String}
  AND time BETWEEN fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC') AND fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')
  ${conditions.map((c) => `AND ${c}`).join(' ')}
ORDER BY time DESC
LIMIT {limit:UInt32}`,
      values,
    );
    const data: Score[] = rows.map((r) => ({
      scoreId: String(r.score_id),
      traceId: String(r.trace_id),
      spanId: String(r.span_id),
      name: String(r.name),
      value: Number(r.value),
      stringValue: String(r.string_value),
      comment: String(r.comment),
      source: String(r.source),
      author: String(r.author),
      time: nanosToIso(String(r.time_ns)),
      metadata: (r.metadata ?? {}) as unknown as Record<string, string>,
    }));
    return noStore({ data });
  });
}
