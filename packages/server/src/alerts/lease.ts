/**
 * A named lease in the metadata store, so that of several servers sharing one metadata
 * database only one runs the alert evaluator. Taking and renewing are single conditional
 * statements (atomic in SQLite and PostgreSQL): the row is created if absent, else updated only
 * when it has expired or is already ours.
 */
import type { SqlClient } from '../store/metadata/sql-client.ts';

/** The lease the alert evaluator holds. */
export const EVALUATOR_LEASE = 'alerts-evaluator';

/** One holder's handle on a named lease. */
export class Lease {
  readonly #sql: SqlClient;
  readonly name: string;
  readonly holder: string;
  readonly ttlMs: number;

  constructor(sql: SqlClient, options: { name: string; holder: string; ttlMs: number }) {
    this.#sql = sql;
    this.name = options.name;
    this.holder = options.holder;
    this.ttlMs = options.ttlMs;
  }

  /**
   * Takes or renews the lease until `nowMs + ttlMs`.
   * @returns true when this holder has the lease now.
   */
  async acquire(nowMs = Date.now()): Promise<boolean> {
    const expires = nowMs + this.ttlMs;
    // Not flushed to the disk at commit: each loop renews every round, and a renewal lost to a
    // power cut is made again by the next (a flushed commit would hold the event loop each round).
    const relaxed = { durable: false };
    const inserted = await this.#sql.run(
      'INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
      [this.name, this.holder, expires, nowMs],
      relaxed,
    );
    if (inserted.changes > 0) return true;
    // acquired_at keeps its value on a renewal and restarts on a takeover.
    const updated = await this.#sql.run(
      `UPDATE leases SET expires_at = $3, acquired_at = CASE WHEN holder = $2 THEN acquired_at ELSE $4 END, holder = $2
       WHERE name = $1 AND (expires_at < $4 OR holder = $2)`,
      [this.name, this.holder, expires, nowMs],
      relaxed,
    );
    return updated.changes > 0;
  }

  /** Gives the lease up (if held) so another holder can take it at once. */
  async release(): Promise<void> {
    await this.#sql.run('UPDATE leases SET expires_at = 0 WHERE name = $1 AND holder = $2', [
      this.name,
      this.holder,
    ]);
  }

  /** The current holder and expiry, for status output. */
  async current(): Promise<{ holder: string; expiresAtMs: number } | undefined> {
    const rows = await this.#sql.all<{ holder: string; expires_at: number | string }>(
      'SELECT holder, expires_at FROM leases WHERE name = $1',
      [this.name],
    );
    return rows[0] ? { holder: rows[0].holder, expiresAtMs: Number(rows[0].expires_at) } : undefined;
  }
}
