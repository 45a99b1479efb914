/**
 * The SQL of retention sweeps and erasures, rendered for each schema profile. Pure: values are
 * never written into the text; every predicate uses `{name:Type}` placeholders bound by the
 * driver (a user id full of quotes is data, not SQL).
 *
 * Rows are deleted with lightweight `DELETE FROM … WHERE … SETTINGS lightweight_deletes_sync = 2`:
 * synchronous (it returns once every replica has masked the rows, so no query, full-text search
 * included, sees them afterwards) and cheap (it writes one `_row_exists` column). A classic
 * `ALTER TABLE … DELETE` rewrites every column of every touched part, several parts at a time:
 * on the wide `spans` table it ran out of chDB's default 1 GiB (`--chdb-max-memory-bytes`) with
 * as few as 17 small parts (measured on chDB 26.7), and a failed mutation stays queued and
 * retried. The masked rows are then removed from disk by {@link renderApplyDeletedMask}, one
 * partition at a time (see purge.ts), or by the next merge of their part.
 *
 * Content is blanked with `ALTER TABLE … UPDATE … SETTINGS mutations_sync = 2`, which rewrites
 * only the assigned columns. It works on `input`/`output` although they carry text indexes
 * (chDB 26.7): the mutation rebuilds each rewritten part's index, so a full-text search finds
 * nothing of the blanked content afterwards.
 *
 * In the sharded profile statements target the `_local` tables `ON CLUSTER` (Distributed tables
 * cannot be mutated); counts read the Distributed tables.
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

/** Lightweight `DELETE FROM … WHERE …`, synchronous, on the table that holds the rows. */
export function renderDelete(table: GovernedTable, where: string, o: MutationTarget): string {
  return `DELETE FROM ${localName(table, o)}${onCluster(o)} WHERE ${where} SETTINGS lightweight_deletes_sync = 2`;
}

/** `ALTER TABLE … UPDATE … WHERE …`, synchronous, on the table that holds the rows. */
export function renderUpdate(
  table: GovernedTable,
  assignments: string,
  where: string,
  o: MutationTarget,
): string {
  return `ALTER TABLE ${localName(table, o)}${onCluster(o)} UPDATE ${assignments} WHERE ${where} SETTINGS mutations_sync = 2`;
}

/** Partition ids come from `system.parts`; anything else is refused rather than quoted. */
const PARTITION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Rewrites the parts of one partition without their deleted rows (the physical purge), synchronously. */
export function renderApplyDeletedMask(table: GovernedTable, partitionId: string, o: MutationTarget): string {
  if (!PARTITION_ID.test(partitionId))
    throw new Error(`Unexpected partition id ${JSON.stringify(partitionId)}`);
  return `ALTER TABLE ${localName(table, o)}${onCluster(o)} APPLY DELETED MASK IN PARTITION ID '${partitionId}' SETTINGS mutations_sync = 2`;
}

/** Partition ids of a table holding rows deleted but still on disk (every replica and shard). */
export function renderDeletedPartitions(table: GovernedTable, o: MutationTarget): string {
  const parts = o.profile === 'single' ? 'system.parts' : `clusterAllReplicas('${o.cluster}', system.parts)`;
  return `SELECT DISTINCT partition_id FROM ${parts} WHERE database = currentDatabase() AND table = '${localName(table, o)}' AND active AND has_lightweight_delete ORDER BY partition_id`;
}

/** Cancels a purge that failed (it would otherwise be retried forever and hold back later mutations). */
export function renderKillPurge(table: GovernedTable, o: MutationTarget): string {
  return `KILL MUTATION${onCluster(o)} WHERE database = currentDatabase() AND table = '${localName(table, o)}' AND command LIKE '%APPLY DELETED MASK%' AND NOT is_done`;
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
