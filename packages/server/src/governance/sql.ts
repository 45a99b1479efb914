/**
 * The SQL of retention sweeps and erasures, rendered for each schema profile. Pure: values are
 * never written into the text; every predicate uses `{name:Type}` placeholders bound by the
 * driver (a user id full of quotes is data, not SQL).
 *
 * Mutations are `ALTER TABLE … DELETE/UPDATE … SETTINGS mutations_sync = 2`: synchronous (the
 * statement returns once every replica has rewritten its parts, so the answer of an erasure
 * means the rows are gone), physical (parts are rewritten, not masked as lightweight deletes
 * are), and the same statement in chDB and in a ClickHouse server. In the sharded profile they
 * target the `_local` tables `ON CLUSTER` (Distributed tables cannot be mutated).
 *
 * `ALTER UPDATE` works on `input`/`output` although they carry text indexes (checked on chDB
 * 26.7 / ClickHouse ≥ 25.x): the mutation rebuilds the index of each rewritten part, so a
 * full-text search finds nothing of the blanked content afterwards.
 */
import { type DdlOptions, localName, onCluster } from '../store/clickhouse/ddl.ts';

/** The profile parts that decide where a mutation runs. */
export type MutationTarget = Pick<DdlOptions, 'profile' | 'cluster'>;

/** Tables a retention sweep or an erasure touches; rollups (`spans_1m`, `spans_1h`) are not among them. */
export type GovernedTable = 'spans' | 'logs' | 'scores' | 'metric_points' | 'trace_index';

/** The time column each table's retention is measured on (the same column as its TTL). */
export const TIME_COLUMN: Readonly<Record<GovernedTable, string>> = {
  spans: 'start_time',
  logs: 'time',
  scores: 'time',
  metric_points: 'time',
  trace_index: 'end_time',
};

const SYNC = ' SETTINGS mutations_sync = 2';

/** `ALTER TABLE … DELETE WHERE …`, synchronous, on the table that holds the rows. */
export function renderDelete(table: GovernedTable, where: string, o: MutationTarget): string {
  return `ALTER TABLE ${localName(table, o)}${onCluster(o)} DELETE WHERE ${where}${SYNC}`;
}

/** `ALTER TABLE … UPDATE … WHERE …`, synchronous, on the table that holds the rows. */
export function renderUpdate(
  table: GovernedTable,
  assignments: string,
  where: string,
  o: MutationTarget,
): string {
  return `ALTER TABLE ${localName(table, o)}${onCluster(o)} UPDATE ${assignments} WHERE ${where}${SYNC}`;
}

/** Rows of a project older than `{cutoff}` (bound as DateTime64). Uses the (project_id, hour) sort key. */
export function olderThan(table: GovernedTable): string {
  return `project_id = {project:String} AND ${TIME_COLUMN[table]} < {cutoff:DateTime64(9, 'UTC')}`;
}

/** Rows of a project belonging to the traces in `{traceIds}`. */
export const IN_TRACES = 'project_id = {project:String} AND trace_id IN {traceIds:Array(String)}';

/**
 * Raw attributes kept when a span's content expires: Argus' own bookkeeping (counts and flags,
 * never text from the application). Everything else in `attributes` is unmapped application
 * data, which may hold prompt text (e.g. a framework's own `input.value`), so it goes.
 */
export const KEPT_ATTRIBUTES: readonly string[] = [
  'argus.usage_scope',
  'argus.usage.estimated',
  'argus.redactions',
  'argus.truncated',
  'argus.dropped_attributes',
  'argus.warning',
  'argus.incomplete',
  'argus.stream.chunk_count',
  'argus.stream.abandoned',
];

/** Marker attribute of rows whose content a retention policy removed. */
export const CONTENT_EXPIRED_ATTRIBUTE = 'argus.content_expired';

const MARKER = `{"${CONTENT_EXPIRED_ATTRIBUTE}":true`;
const keptList = `[${KEPT_ATTRIBUTES.map((k) => `'${k}'`).join(', ')}]`;

/**
 * The `attributes` JSON reduced to the marker plus {@link KEPT_ATTRIBUTES}. Idempotent (the
 * marker is not in the kept list), so "attributes differ from this" means "not yet blanked".
 */
export const EXPIRED_ATTRIBUTES = `concat('${MARKER}', arrayStringConcat(arrayMap(kv -> concat(',', toJSONString(kv.1), ':', kv.2), arrayFilter(kv -> has(${keptList}, kv.1), JSONExtractKeysAndValuesRaw(attributes)))), '}')`;

const SPAN_TEXT_COLUMNS = [
  'input',
  'output',
  'input_preview',
  'output_preview',
  'system_instructions',
  'tool_definitions',
  'retrieval_documents',
] as const;

/** Assignments that blank a span's content; tokens, cost, latency, model, ids and labels stay. */
export const SPAN_BLANK = [
  ...SPAN_TEXT_COLUMNS.map((c) => `${c} = ''`),
  `events = '[]'`,
  `attributes = ${EXPIRED_ATTRIBUTES}`,
].join(', ');

/** True for spans still holding content (so a sweep rewrites each span once). */
export const SPAN_HAS_CONTENT = `(${[
  ...SPAN_TEXT_COLUMNS.map((c) => `notEmpty(${c})`),
  `events NOT IN ('', '[]')`,
  `attributes != ${EXPIRED_ATTRIBUTES}`,
].join(' OR ')})`;

const LOG_EXPIRED_ATTRIBUTES = `'${MARKER}}'`;

/** Assignments that blank a log record's content (body, GenAI content, attributes). */
export const LOG_BLANK = `body = '', content = '', attributes = ${LOG_EXPIRED_ATTRIBUTES}`;

/** True for log records still holding content. */
export const LOG_HAS_CONTENT = `(notEmpty(body) OR notEmpty(content) OR attributes != ${LOG_EXPIRED_ATTRIBUTES})`;

/** A Date as a DateTime64 parameter value (`YYYY-MM-DD hh:mm:ss.sss`, UTC). */
export function dateTimeParam(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
