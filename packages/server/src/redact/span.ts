/**
 * Redaction of canonical spans and log records, in place: message text, tool arguments and
 * results, system instructions, tool definitions, retrieved documents, the status message,
 * metadata, and string attribute values (recursively). What fired is recorded as counts in
 * the raw attribute `argus.redactions`. Pure.
 */
import type { Span } from '@argus/shared';
import type { LogRow } from '../normalize/types.ts';
import type { RedactionCounts, StringRedactor } from './redactor.ts';

/** Raw attribute holding `{ detectorId: count }` of what was redacted (never values). */
export const REDACTIONS_ATTRIBUTE = 'argus.redactions';

/** Keys of message and part objects that hold structure, not content (left as they are). */
const STRUCTURAL = new Set(['type', 'role', 'id', 'finishReason', 'finish_reason']);
const MAX_DEPTH = 64;

/** Redacts every string inside `value` (arrays and plain objects walked, keys kept). */
export function redactValue(
  value: unknown,
  redactor: StringRedactor,
  counts: RedactionCounts,
  depth = 0,
): unknown {
  if (typeof value === 'string') return redactor.redact(value, counts);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = redactValue(value[i], redactor, counts, depth + 1);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    record[key] = redactValue(record[key], redactor, counts, depth + 1);
  }
  return value;
}

/** Redacts an object's values except its structural keys. */
function redactFields(
  record: Record<string, unknown>,
  redactor: StringRedactor,
  counts: RedactionCounts,
): void {
  for (const key of Object.keys(record)) {
    if (STRUCTURAL.has(key) && typeof record[key] === 'string') continue;
    if (key === 'parts' && Array.isArray(record.parts)) {
      for (const part of record.parts) {
        if (part !== null && typeof part === 'object' && !Array.isArray(part))
          redactFields(part as Record<string, unknown>, redactor, counts);
      }
      continue;
    }
    record[key] = redactValue(record[key], redactor, counts);
  }
}

function redactContent(value: unknown, redactor: StringRedactor, counts: RedactionCounts): unknown {
  if (!Array.isArray(value)) return redactValue(value, redactor, counts);
  // Message arrays: `role`/`type`/`id` of messages and parts are structure, the rest is content.
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (item !== null && typeof item === 'object' && !Array.isArray(item))
      redactFields(item as Record<string, unknown>, redactor, counts);
    else value[i] = redactValue(item, redactor, counts);
  }
  return value;
}

function addCounts(attributes: Record<string, unknown>, counts: RedactionCounts): void {
  if (Object.keys(counts).length > 0) attributes[REDACTIONS_ATTRIBUTE] = counts;
}

/** Redacts a span in place and returns it; sets `argus.redactions` when anything fired. */
export function redactSpan(span: Span, redactor: StringRedactor): Span {
  const counts: RedactionCounts = {};
  if (span.input !== undefined) span.input = redactContent(span.input, redactor, counts);
  if (span.output !== undefined) span.output = redactContent(span.output, redactor, counts);
  if (span.systemInstructions !== undefined)
    span.systemInstructions = redactContent(span.systemInstructions, redactor, counts);
  if (span.toolDefinitions !== undefined)
    span.toolDefinitions = redactContent(span.toolDefinitions, redactor, counts);
  for (const doc of span.retrievalDocuments ?? []) {
    if (doc.content !== undefined) doc.content = redactor.redact(doc.content, counts);
    if (doc.metadata !== undefined) redactValue(doc.metadata, redactor, counts);
  }
  span.statusMessage = redactor.redact(span.statusMessage, counts);
  redactValue(span.metadata, redactor, counts);
  delete span.attributes[REDACTIONS_ATTRIBUTE];
  redactValue(span.attributes, redactor, counts);
  for (const event of span.events) redactValue(event.attributes, redactor, counts);
  addCounts(span.attributes, counts);
  return span;
}

/** Redacts a log record in place (body, GenAI content, attribute values) and returns it. */
export function redactLog(row: LogRow, redactor: StringRedactor): LogRow {
  const counts: RedactionCounts = {};
  row.body = redactor.redact(row.body, counts);
  if (row.content) {
    const content = row.content;
    if (content.input) redactContent(content.input, redactor, counts);
    if (content.output) redactContent(content.output, redactor, counts);
    if (content.systemInstructions !== undefined)
      content.systemInstructions = redactContent(content.systemInstructions, redactor, counts);
    if (content.toolDefinitions !== undefined)
      content.toolDefinitions = redactContent(content.toolDefinitions, redactor, counts);
  }
  delete row.attributes[REDACTIONS_ATTRIBUTE];
  redactValue(row.attributes, redactor, counts);
  addCounts(row.attributes, counts);
  return row;
}
