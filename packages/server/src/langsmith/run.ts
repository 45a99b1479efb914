/**
 * A LangSmith run as the SDKs send it (conventions.md §5.1), its validation, and the mapping of
 * its UUIDs and `dotted_order` to OTel ids. Validation only rejects what makes a run unstorable
 * (no id, ids that are not UUIDs, a `dotted_order` that contradicts the ids); everything else is
 * read leniently by the mapping.
 */
import { ArgusError } from '../errors.ts';
import { clampDepth, isRecord, MAX_JSON_DEPTH } from '../normalize/values.ts';

/** One run payload of a create (`post`) or update (`patch`); every field but `id` optional. */
export interface LangsmithRun {
  id: string;
  name?: unknown;
  run_type?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  extra?: unknown;
  error?: unknown;
  serialized?: unknown;
  events?: unknown;
  parent_run_id?: unknown;
  trace_id?: unknown;
  dotted_order?: unknown;
  session_name?: unknown;
  session_id?: unknown;
  tags?: unknown;
  reference_example_id?: unknown;
  [key: string]: unknown;
}

/** Fields sent as separate multipart parts (`post.{id}.inputs` …). */
export const RUN_PART_FIELDS = ['inputs', 'outputs', 'events', 'extra', 'error', 'serialized'] as const;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** `%Y%m%dT%H%M%S%fZ` followed by the run UUID (dashed). */
const SEGMENT = /^(\d{8}T\d{6})(\d{0,9})Z([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Longest excerpt of a bad value quoted in an error message. */
const QUOTE_CHARS = 60;

function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text;
}

function invalid(id: string | undefined, message: string): ArgusError {
  return new ArgusError('INVALID_RUN', `Cannot accept run${id ? ` '${id}'` : ''}: ${message}`);
}

/** The 32 lowercase hex digits of a UUID (the OTel trace id of a trace rooted at that run). */
export function uuidHex(uuid: string): string {
  return uuid.replaceAll('-', '').toLowerCase();
}

/**
 * The span id of a run: the two 64-bit halves of its UUID XOR-ed. Not the first half alone:
 * in a UUIDv7 (the SDKs' default) that is the millisecond clock, so runs started in the same
 * millisecond would share a span id; folding keeps every random bit.
 */
export function spanIdOf(uuid: string): string {
  const hex = uuidHex(uuid);
  const folded = BigInt(`0x${hex.slice(0, 16)}`) ^ BigInt(`0x${hex.slice(16)}`);
  return folded.toString(16).padStart(16, '0');
}

/** One ancestor step of a `dotted_order`. */
export interface DottedSegment {
  /** The segment's start time as ISO 8601 (`2026-01-01T12:00:00.000100Z`). */
  time: string;
  /** The run UUID, lower case. */
  id: string;
}

/**
 * Parses a `dotted_order` (`<time><uuid>.<time><uuid>…`, root first).
 * @throws ArgusError INVALID_RUN naming the bad segment.
 */
export function parseDottedOrder(value: string, runId?: string): DottedSegment[] {
  const segments = value.split('.');
  return segments.map((segment, i) => {
    const m = SEGMENT.exec(segment);
    if (!m) {
      throw invalid(
        runId,
        `'dotted_order' segment ${i + 1} is '${quote(segment)}', expected <YYYYMMDDTHHMMSSffffff>Z<uuid>`,
      );
    }
    const [, stamp, fraction] = m;
    const d = stamp!;
    const time = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}${fraction ? `.${fraction}` : ''}Z`;
    return { time, id: m[3]!.toLowerCase() };
  });
}

function optionalUuid(run: Record<string, unknown>, field: string, id: string): void {
  const value = run[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw invalid(id, `'${field}' is '${quote(value)}', expected a UUID`);
  }
}

/**
 * Checks one run payload of a create or update.
 * @throws ArgusError INVALID_RUN for a missing or non-UUID `id`, non-UUID `trace_id` /
 * `parent_run_id`, or a `dotted_order` that does not parse or does not end in the run's id.
 * @returns the run, nested values cut at {@link MAX_JSON_DEPTH} levels.
 */
export function checkRun(value: unknown, what: string): LangsmithRun {
  if (!isRecord(value)) throw invalid(undefined, `${what} is ${quote(value)}, expected a JSON object`);
  const id = value.id;
  if (id === undefined || id === null || id === '') throw invalid(undefined, `'id' is missing in ${what}`);
  if (typeof id !== 'string' || !UUID.test(id))
    throw invalid(undefined, `'id' is '${quote(id)}', expected a UUID`);
  optionalUuid(value, 'trace_id', id);
  optionalUuid(value, 'parent_run_id', id);
  const dotted = value.dotted_order;
  if (dotted !== undefined && dotted !== null && dotted !== '') {
    if (typeof dotted !== 'string')
      throw invalid(id, `'dotted_order' is ${quote(dotted)}, expected a string`);
    const segments = parseDottedOrder(dotted, id);
    const last = segments[segments.length - 1]!;
    if (last.id !== uuidHexDashed(id)) {
      throw invalid(id, `'dotted_order' ends in run '${last.id}', expected the run's own id`);
    }
    const traceId = value.trace_id;
    if (typeof traceId === 'string' && segments[0]!.id !== uuidHexDashed(traceId)) {
      throw invalid(
        id,
        `'dotted_order' starts at run '${segments[0]!.id}', expected the trace_id '${traceId}'`,
      );
    }
  }
  // Deeper nesting than any SDK sends becomes a marker here, so no later step recurses unboundedly.
  return clampDepth(value, MAX_JSON_DEPTH) as LangsmithRun;
}

/** A UUID in its canonical dashed lower-case form. */
export function uuidHexDashed(uuid: string): string {
  const h = uuidHex(uuid);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Trace and parent of a run: explicit ids first, then the `dotted_order` tree. */
export interface RunLineage {
  traceId: string;
  parentSpanId: string;
}

/**
 * The OTel trace id and parent span id of a checked run.
 * @throws ArgusError INVALID_RUN for a child run that names no trace (no `trace_id`, no `dotted_order`).
 */
export function lineageOf(run: LangsmithRun): RunLineage {
  const segments =
    typeof run.dotted_order === 'string' && run.dotted_order !== '' ? parseDottedOrder(run.dotted_order) : [];
  const parent =
    typeof run.parent_run_id === 'string' && run.parent_run_id !== ''
      ? run.parent_run_id
      : segments.length > 1
        ? segments[segments.length - 2]!.id
        : undefined;
  const trace =
    typeof run.trace_id === 'string' && run.trace_id !== ''
      ? run.trace_id
      : segments.length > 0
        ? segments[0]!.id
        : parent === undefined
          ? run.id
          : undefined;
  if (trace === undefined) {
    throw invalid(run.id, `'trace_id' and 'dotted_order' are missing, needed for a run with a parent`);
  }
  return { traceId: uuidHex(trace), parentSpanId: parent === undefined ? '' : spanIdOf(parent) };
}
