/**
 * GDPR/CCPA erasure: every row of a trace, or of every trace that carries a user id or a session
 * id, is deleted from `spans`, `trace_index`, `logs` and `scores`, synchronously, and a receipt
 * is kept without the erased value.
 *
 * For a user or session, the traces are looked up first (spans and trace_index, the value bound
 * as a parameter) and the deletions then name trace ids only. ClickHouse keeps the text of
 * every mutation in `system.mutations` (and on disk), so a `DELETE WHERE user_id = '…'` would
 * leave the very value being erased behind; random trace ids are not personal data.
 *
 * Pending writes are flushed first, so nothing acknowledged before the request reappears after
 * it; the lookup then repeats until it finds nothing (at most {@link MAX_ROUNDS} rounds), which
 * also catches spans of the subject that arrived while the deletion ran.
 */
import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../audit/audit-log.ts';
import { ArgusError } from '../errors.ts';
import type { ClickhouseDriver } from '../store/clickhouse/driver.ts';
import {
  type ErasureCounts,
  type ErasureReceipt,
  type ErasureReceipts,
  type SubjectKind,
  subjectHash,
} from './receipts.ts';
import { type GovernedTable, IN_TRACES, type MutationTarget, renderDelete } from './sql.ts';

/** A subject to erase. */
export interface ErasureSubject {
  kind: SubjectKind;
  value: string;
}

/** What an erasure needs. */
export interface ErasureDeps {
  driver: ClickhouseDriver;
  target: MutationTarget;
  receipts: ErasureReceipts;
  /** The instance's HMAC key for subject hashes. */
  hashKey: () => Promise<string>;
  /** Resolves once every write queued so far is in the store. */
  flush: () => Promise<void>;
}

/** Lookup-and-delete rounds before giving up on a subject whose data keeps arriving. */
export const MAX_ROUNDS = 3;
/** Trace ids per mutation (keeps the statement well under ClickHouse's max_query_size). */
const CHUNK = 2000;

const TABLES: readonly [GovernedTable, keyof Omit<ErasureCounts, 'traces'>][] = [
  ['spans', 'spans'],
  ['trace_index', 'traceIndex'],
  ['logs', 'logs'],
  ['scores', 'scores'],
];

/** The column of `spans` and `trace_index` that names a user or session. */
const SUBJECT_COLUMN = { user: 'user_id', session: 'session_id' } as const;

/** Trace ids of the subject still present in the store. */
async function findTraces(
  driver: ClickhouseDriver,
  projectId: string,
  subject: ErasureSubject,
): Promise<string[]> {
  if (subject.kind === 'trace') return [subject.value];
  const column = SUBJECT_COLUMN[subject.kind];
  const rows = await driver.query<{ trace_id: string }>(
    `SELECT DISTINCT trace_id FROM spans WHERE project_id = {project:String} AND ${column} = {value:String}
     UNION DISTINCT
     SELECT DISTINCT trace_id FROM trace_index WHERE project_id = {project:String} AND ${column} = {value:String}`,
    { project: projectId, value: subject.value },
  );
  return rows.map((r) => r.trace_id);
}

/**
 * Counts and deletes the rows of some traces in every table (a table is mutated only when it
 * holds rows of them); adds the counts to `total` and the traces that had rows to `seen`.
 * @returns how many rows were found.
 */
async function deleteTraces(
  deps: ErasureDeps,
  projectId: string,
  traceIds: readonly string[],
  total: ErasureCounts,
  seen: Set<string>,
): Promise<number> {
  let found = 0;
  for (let i = 0; i < traceIds.length; i += CHUNK) {
    const params = { project: projectId, traceIds: traceIds.slice(i, i + CHUNK) };
    for (const [table, field] of TABLES) {
      const rows = await deps.driver.query<{ trace_id: string; n: string }>(
        `SELECT trace_id, count() AS n FROM ${table} WHERE ${IN_TRACES} GROUP BY trace_id`,
        params,
      );
      if (rows.length === 0) continue;
      for (const row of rows) {
        seen.add(row.trace_id);
        total[field] += Number(row.n);
        found += Number(row.n);
      }
      await deps.driver.exec(renderDelete(table, IN_TRACES, deps.target), params);
    }
  }
  return found;
}

/**
 * Erases a subject from a project and stores the receipt.
 * @returns the receipt, with the subject's value (the stored copy has none).
 * @throws ArgusError STORE_UNAVAILABLE when a deletion fails or the subject's data keeps arriving;
 *   the receipt is then stored as `failed`, and repeating the request finishes the job.
 */
export async function eraseSubject(
  deps: ErasureDeps,
  projectId: string,
  subject: ErasureSubject,
  actor: AuditActor,
): Promise<ErasureReceipt> {
  const receipt: ErasureReceipt = {
    id: randomUUID(),
    projectId,
    subject: { kind: subject.kind, value: subject.value },
    subjectHash: subjectHash(await deps.hashKey(), subject.kind, subject.value),
    requestedBy: `${actor.type}:${actor.name}`,
    requestedAt: new Date().toISOString(),
    completedAt: null,
    status: 'running',
    deleted: { traces: 0, spans: 0, logs: 0, scores: 0, traceIndex: 0 },
  };
  await deps.receipts.save(receipt);
  const seen = new Set<string>();
  try {
    let clean = false;
    for (let round = 0; round < MAX_ROUNDS && !clean; round++) {
      await deps.flush();
      const traceIds = await findTraces(deps.driver, projectId, subject);
      clean = (await deleteTraces(deps, projectId, traceIds, receipt.deleted, seen)) === 0;
    }
    if (!clean) {
      throw new ArgusError(
        'STORE_UNAVAILABLE',
        `Cannot finish erasing the ${subject.kind}: its data kept arriving during ${MAX_ROUNDS} rounds of deletion; stop the application sending it, then repeat the request`,
        { retryAfterSeconds: 10 },
      );
    }
  } catch (error) {
    receipt.status = 'failed';
    // The engine's message may quote the query; the stored receipt must not hold the value.
    receipt.error =
      error instanceof ArgusError ? error.message : 'the store failed during deletion; see the server log';
    receipt.deleted.traces = seen.size;
    await deps.receipts.save(receipt).catch(() => {});
    if (error instanceof ArgusError) throw error;
    throw new ArgusError(
      'STORE_UNAVAILABLE',
      `Cannot finish erasing the ${subject.kind}: the store failed (the server log has the reason); deletions already done stay done, repeat the request to finish (receipt ${receipt.id})`,
      { cause: error, retryAfterSeconds: 10 },
    );
  }
  receipt.deleted.traces = seen.size;
  receipt.status = 'completed';
  receipt.completedAt = new Date().toISOString();
  await deps.receipts.save(receipt);
  return receipt;
}
