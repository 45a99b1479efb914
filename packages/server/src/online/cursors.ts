/**
 * Where the online worker stands (table `online_cursors`, migration 7): for each rule (`rule:<id>`)
 * and each project's output-health checks (`health:<project>`), the insert time and key of the
 * last span it passed. The worker saves a cursor only after the batch before it is written, so a
 * restart resumes right after the last span handled. Backfills (`evaluation_rule_backfills`) walk
 * a start-time window with their own cursor.
 */
import type { BackfillStatus } from '@argus/shared';
import type { SqlClient } from '../store/metadata/sql-client.ts';

/** A position in the stream of stored spans: (insert time in ms, trace id, span id). */
export interface FeedCursor {
  insertedMs: number;
  traceId: string;
  spanId: string;
}

/** A backfill as the worker runs it. */
export interface Backfill {
  ruleId: string;
  fromMs: number;
  toMs: number;
  /** Start time (ns, as a decimal string) and `traceId:spanId` of the last span passed. */
  cursorNs: string;
  cursorKey: string;
  status: BackfillStatus['status'];
  scanned: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

/** The worker's saved positions and the backfills. */
export class CursorStore {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  async get(name: string): Promise<FeedCursor | undefined> {
    const rows = await this.#sql.all<{ inserted_ms: number | string; trace_id: string; span_id: string }>(
      'SELECT inserted_ms, trace_id, span_id FROM online_cursors WHERE name = $1',
      [name],
    );
    const row = rows[0];
    return row
      ? { insertedMs: Number(row.inserted_ms), traceId: row.trace_id, spanId: row.span_id }
      : undefined;
  }

  /**
   * Not flushed to the disk at commit: a power cut may take the cursor back a round, and those
   * spans are read again — the runners skip spans whose scores are already stored.
   */
  async save(name: string, projectId: string, cursor: FeedCursor): Promise<void> {
    await this.#sql.run(
      `INSERT INTO online_cursors (name, project_id, inserted_ms, trace_id, span_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO UPDATE SET inserted_ms = excluded.inserted_ms, trace_id = excluded.trace_id,
         span_id = excluded.span_id, updated_at = excluded.updated_at`,
      [name, projectId, cursor.insertedMs, cursor.traceId, cursor.spanId, new Date().toISOString()],
      { durable: false },
    );
  }

  /** Starts (or restarts) a rule's backfill over [fromMs, toMs]. */
  async startBackfill(ruleId: string, window: { fromMs: number; toMs: number }): Promise<Backfill> {
    const startedAt = new Date().toISOString();
    await this.#sql.run(
      `INSERT INTO evaluation_rule_backfills (rule_id, from_ms, to_ms, cursor_ns, cursor_key, status, scanned, started_at)
       VALUES ($1, $2, $3, '', '', 'running', 0, $4)
       ON CONFLICT (rule_id) DO UPDATE SET from_ms = excluded.from_ms, to_ms = excluded.to_ms, cursor_ns = '',
         cursor_key = '', status = 'running', scanned = 0, started_at = excluded.started_at, finished_at = NULL, error = NULL`,
      [ruleId, window.fromMs, window.toMs, startedAt],
    );
    return (await this.backfill(ruleId))!;
  }

  async backfill(ruleId: string): Promise<Backfill | undefined> {
    const rows = await this.#sql.all<Record<string, string | number | null>>(
      'SELECT * FROM evaluation_rule_backfills WHERE rule_id = $1',
      [ruleId],
    );
    return rows[0] ? toBackfill(rows[0]) : undefined;
  }

  /** Backfills still running (the worker's to-do list). */
  async runningBackfills(): Promise<Backfill[]> {
    const rows = await this.#sql.all<Record<string, string | number | null>>(
      "SELECT * FROM evaluation_rule_backfills WHERE status = 'running' ORDER BY started_at",
    );
    return rows.map(toBackfill);
  }

  /**
   * Saves a backfill's progress (and its end when `status` is no longer running) — not flushed
   * to the disk at commit: a power cut may take it back to an earlier page, which is read again.
   */
  async saveBackfill(backfill: Backfill): Promise<void> {
    await this.#sql.run(
      `UPDATE evaluation_rule_backfills SET cursor_ns = $2, cursor_key = $3, status = $4, scanned = $5,
         finished_at = $6, error = $7 WHERE rule_id = $1`,
      [
        backfill.ruleId,
        backfill.cursorNs,
        backfill.cursorKey,
        backfill.status,
        backfill.scanned,
        backfill.finishedAt ?? null,
        backfill.error ?? null,
      ],
      { durable: false },
    );
  }
}

function toBackfill(row: Record<string, string | number | null>): Backfill {
  return {
    ruleId: String(row.rule_id),
    fromMs: Number(row.from_ms),
    toMs: Number(row.to_ms),
    cursorNs: String(row.cursor_ns ?? ''),
    cursorKey: String(row.cursor_key ?? ''),
    status: String(row.status) as Backfill['status'],
    scanned: Number(row.scanned),
    startedAt: String(row.started_at),
    ...(row.finished_at ? { finishedAt: String(row.finished_at) } : {}),
    ...(row.error ? { error: String(row.error) } : {}),
  };
}

/** The public view of a backfill. */
export function backfillStatus(backfill: Backfill): BackfillStatus {
  return {
    from: new Date(backfill.fromMs).toISOString(),
    to: new Date(backfill.toMs).toISOString(),
    status: backfill.status,
    scanned: backfill.scanned,
    startedAt: backfill.startedAt,
    ...(backfill.finishedAt ? { finishedAt: backfill.finishedAt } : {}),
    ...(backfill.error ? { error: backfill.error } : {}),
  };
}
