/**
 * Which of a batch's spans the store holds — asked only after a failed write (never on the hot
 * path), so a request whose spans were stored despite the error is answered 2xx and its retry is
 * recognised as a duplicate instead of being counted again.
 */
import type { Span } from '@argus/shared';
import type { ClickhouseDriver } from './clickhouse/driver.ts';

/** What identifies a stored span and finds its partition. */
export type StoredSpanKey = Pick<Span, 'projectId' | 'traceId' | 'spanId' | 'startTimeUnixNano'>;

/** A span's key (a new object: holding it does not hold the span). */
export function storedSpanKey(span: Span): StoredSpanKey {
  return {
    projectId: span.projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    startTimeUnixNano: span.startTimeUnixNano,
  };
}

/** Whether a span of `spans` is in the `spans` table. */
export async function findStoredSpans(
  driver: ClickhouseDriver,
  spans: readonly StoredSpanKey[],
): Promise<(span: StoredSpanKey) => boolean> {
  const found = new Set<string>();
  const keyOf = (projectId: string, traceId: string, spanId: string) => `${projectId}/${traceId}/${spanId}`;
  const byProject = new Map<string, StoredSpanKey[]>();
  for (const span of spans) {
    const list = byProject.get(span.projectId) ?? [];
    list.push(span);
    byProject.set(span.projectId, list);
  }
  for (const [projectId, list] of byProject) {
    let from = BigInt(list[0]!.startTimeUnixNano);
    let to = from;
    for (const span of list) {
      const start = BigInt(span.startTimeUnixNano);
      if (start < from) from = start;
      if (start > to) to = start;
    }
    // The time bounds prune to the batch's partitions and hour buckets (the sort key).
    const rows = await driver.query<{ trace_id: string; span_id: string }>(
      `SELECT trace_id, span_id FROM spans
       WHERE project_id = {project:String}
         AND start_time BETWEEN fromUnixTimestamp64Nano({from:Int64}) AND fromUnixTimestamp64Nano({to:Int64})
         AND trace_id IN {traces:Array(String)} AND span_id IN {spans:Array(String)}
       LIMIT {limit:UInt64}`,
      {
        project: projectId,
        from: from.toString(),
        to: to.toString(),
        traces: [...new Set(list.map((s) => s.traceId))],
        spans: [...new Set(list.map((s) => s.spanId))],
        limit: list.length * 4,
      },
    );
    for (const row of rows) found.add(keyOf(projectId, row.trace_id, row.span_id));
  }
  return (span) => found.has(keyOf(span.projectId, span.traceId, span.spanId));
}
