/**
 * OTLP log records → {@link LogRow}s. GenAI content events (OTel 1.28–1.36 per-message events,
 * the ≥1.37 details event) also get their content normalized so the store can join it to the
 * span later ({@link mergeSpanContent}).
 */
import type { LogsRequest, OtlpLogRecord, OtlpScope } from '../otlp/types.ts';
import { contentFromEvent } from './event-content.ts';
import { capField, capString, fitContent, LimitTally, sanitizeAttributes } from './limits.ts';
import type { LogRow, NormalizeContext, SpanContent } from './types.ts';
import { checkId, checkRetained, checkTime, Rejections } from './validate.ts';
import { stringifyValue, toText } from './values.ts';

/** A log's trace/span id: empty (or all zeros) means "not tied to a span"; anything else must be valid. */
function optionalId(field: string, id: string, hexChars: number): string {
  return id === '' || /^0+$/.test(id) ? '' : checkId('log record', field, id, hexChars);
}

function fitLogContent(content: SpanContent | undefined, tally: LimitTally): SpanContent | undefined {
  if (content === undefined) return undefined;
  const out: SpanContent = {};
  for (const [key, value] of Object.entries(content) as [keyof SpanContent, unknown][]) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = fitContent(value, tally);
  }
  return out;
}

/** Normalizes one log record; throws `ArgusError('INVALID_SPAN')` when its ids or times are unusable. */
export function normalizeLogRecord(
  record: OtlpLogRecord,
  resource: Record<string, unknown>,
  scope: OtlpScope,
  ctx: NormalizeContext,
): LogRow {
  const traceId = optionalId('traceId', record.traceId, 32);
  const spanId = optionalId('spanId', record.spanId, 16);
  // OTLP: when the event time is unknown, the observed time stands in for it.
  const time = record.timeUnixNano > 0n ? record.timeUnixNano : record.observedTimeUnixNano;
  const timeUnixNano = checkRetained('log record', 'timeUnixNano', time, ctx.retention);
  const observed = record.observedTimeUnixNano > 0n ? record.observedTimeUnixNano : timeUnixNano;
  const tally = new LimitTally(ctx.limits);
  const eventName = record.eventName || (toText(record.attributes['event.name']) ?? '');
  const body =
    record.body === null ? '' : capString(stringifyValue(record.body), ctx.limits.maxContentChars, tally);
  const content = fitLogContent(contentFromEvent(eventName, record.body, record.attributes), tally);
  const attributes = sanitizeAttributes(record.attributes, tally);
  const row: LogRow = {
    projectId: ctx.projectId,
    traceId,
    spanId,
    timeUnixNano,
    observedTimeUnixNano: checkTime('log record', 'observedTimeUnixNano', observed),
    severityNumber: Number.isFinite(record.severityNumber) ? Math.trunc(record.severityNumber) : 0,
    severityText: capField(record.severityText, tally),
    eventName: capField(eventName, tally),
    body,
    attributes,
    resourceAttributes: sanitizeAttributes(resource, tally),
    serviceName: capField(toText(resource['service.name']) ?? '', tally),
    scope: capField(scope.name, tally),
  };
  if (content !== undefined) row.content = content;
  if (tally.truncated > 0) attributes['argus.truncated'] = tally.truncated;
  if (tally.droppedAttributes > 0) attributes['argus.dropped_attributes'] = tally.droppedAttributes;
  return row;
}

/**
 * Normalizes every log record of a request. A bad record is rejected alone; `errors` holds up
 * to 10 distinct reasons for the OTLP partial-success answer.
 */
export function normalizeLogs(
  req: LogsRequest,
  ctx: NormalizeContext,
): { logs: LogRow[]; rejected: number; errors: string[] } {
  const logs: LogRow[] = [];
  const rejections = new Rejections();
  for (const rl of req.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      for (const record of sl.logRecords) {
        try {
          logs.push(normalizeLogRecord(record, rl.resource.attributes, sl.scope, ctx));
        } catch (error) {
          rejections.add(error);
        }
      }
    }
  }
  return { logs, rejected: rejections.count, errors: rejections.errors };
}
