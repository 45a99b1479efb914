/**
 * The audit log: who did what, when, to which project — logins, key and user changes, settings,
 * deletions and exports. Append-only three ways: the repository has no update or delete, the
 * database refuses them (triggers, metadata migration 3), and every entry carries a SHA-256 chain
 * over the previous entry, so an edited or removed row is found by {@link AuditLog.verify}.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuditActor, AuditEntry } from '@argus/shared';
import type { SqlClient } from '../store/metadata/sql-client.ts';

export type { AuditActor, AuditEntry };

/** Records a change made through an HTTP request (what the capabilities' routes are handed). */
export type RecordAudit = (
  request: IncomingMessage,
  action: string,
  target: string,
  details?: Record<string, unknown>,
) => Promise<unknown>;

/** The {@link RecordAudit} over a recorder that takes the entry as one object (the server's `recordChange`). */
export function recordAuditOf(
  recordChange: (
    request: IncomingMessage,
    entry: Pick<AuditInput, 'action' | 'target' | 'details'>,
  ) => Promise<unknown>,
): RecordAudit {
  return (request, action, target, details) => recordChange(request, { action, target, details });
}

/** What is recorded. */
export interface AuditInput {
  actor: AuditActor;
  /** The project acted on; '' for instance-wide actions (logins, users, projects). */
  projectId: string;
  /** Dotted verb, e.g. `key.create`, `auth.login`, `data.erase` (docs/security.md lists them). */
  action: string;
  /** What was acted on (a key id, a user name, a setting). */
  target: string;
  /** Extra facts; never secrets or personal data. */
  details?: Record<string, unknown>;
  ip?: string;
  outcome?: 'success' | 'failure';
}

/** Filters of {@link AuditLog.list}. */
export interface AuditQuery {
  /** Projects whose entries are visible; `all` for instance admins (includes instance-wide ones). */
  projects: readonly string[] | 'all';
  action?: string;
  actorId?: string;
  /** ISO times, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  /** Entries with seq below this (the cursor of the previous page). */
  beforeSeq?: number;
  limit: number;
}

/** Result of {@link AuditLog.verify}. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** First seq whose hash or link does not match. */
  brokenAt?: number;
}

interface AuditRow {
  seq: number | string;
  time: string;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  project_id: string;
  action: string;
  target: string;
  details: string;
  ip: string;
  outcome: string;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);
const COLUMNS =
  'seq, time, actor_type, actor_id, actor_name, project_id, action, target, details, ip, outcome, prev_hash, hash';

/** The hashed fields of a row, in column order (also the INSERT's first eleven values). */
function hashedFields(row: Omit<AuditRow, 'prev_hash' | 'hash'>): (string | number)[] {
  return [
    Number(row.seq),
    row.time,
    row.actor_type,
    row.actor_id,
    row.actor_name,
    row.project_id,
    row.action,
    row.target,
    row.details,
    row.ip,
    row.outcome,
  ];
}

function entryHash(prev: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  return createHash('sha256')
    .update(prev)
    .update('\n')
    .update(JSON.stringify(hashedFields(row)))
    .digest('hex');
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    time: row.time,
    actor: { type: row.actor_type as AuditActor['type'], id: row.actor_id, name: row.actor_name },
    projectId: row.project_id,
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details) as Record<string, unknown>,
    ip: row.ip,
    outcome: row.outcome === 'failure' ? 'failure' : 'success',
    hash: row.hash,
  };
}

/** The audit repository over the metadata SQL engine. */
export class AuditLog {
  readonly #sql: SqlClient;
  /** Appends of this process run one at a time (the chain needs the previous hash). */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Appends an entry; resolves with it once stored. */
  record(input: AuditInput): Promise<AuditEntry> {
    const next = this.#tail.then(() => this.#append(input));
    this.#tail = next.catch(() => {});
    return next;
  }

  async #append(input: AuditInput): Promise<AuditEntry> {
    return this.#sql.transaction(async (tx) => {
      // Other processes sharing a PostgreSQL append too: the lock orders them.
      if (tx.dialect === 'postgres') await tx.run('LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE');
      const last = await tx.all<{ seq: number | string; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const prev = last[0]?.hash ?? GENESIS;
      const fields = {
        seq: Number(last[0]?.seq ?? 0) + 1,
        time: new Date().toISOString(),
        actor_type: input.actor.type,
        actor_id: input.actor.id,
        actor_name: input.actor.name,
        project_id: input.projectId,
        action: input.action,
        target: input.target,
        details: JSON.stringify(input.details ?? {}),
        ip: input.ip ?? '',
        outcome: input.outcome ?? 'success',
      };
      const row: AuditRow = { ...fields, prev_hash: prev, hash: entryHash(prev, fields) };
      await tx.run(
        `INSERT INTO audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [...hashedFields(row), row.prev_hash, row.hash],
      );
      return toEntry(row);
    });
  }

  /** Entries newest first, with the cursor (a seq) of the next page. */
  async list(query: AuditQuery): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const bind = (value: string | number) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.projects !== 'all') {
      if (query.projects.length === 0) return { data: [], nextCursor: null };
      where.push(`project_id IN (${query.projects.map((p) => bind(p)).join(', ')})`);
    }
    if (query.action) {
      // `key.` matches every key action; a full name matches itself.
      if (query.action.endsWith('.'))
        where.push(`action LIKE ${bind(`${query.action.replace(/[%_]/g, '')}%`)}`);
      else where.push(`action = ${bind(query.action)}`);
    }
    if (query.actorId) where.push(`actor_id = ${bind(query.actorId)}`);
    if (query.from) where.push(`time >= ${bind(query.from)}`);
    if (query.to) where.push(`time < ${bind(query.to)}`);
    if (query.beforeSeq !== undefined) where.push(`seq < ${bind(query.beforeSeq)}`);
    const rows = await this.#sql.all<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq DESC LIMIT ${bind(query.limit + 1)}`,
      params,
    );
    const data = rows.slice(0, query.limit).map(toEntry);
    const more = rows.length > query.limit;
    return { data, nextCursor: more ? String(data.at(-1)!.seq) : null };
  }

  /** Recomputes the chain from the first entry; reports the first break. */
  async verify(): Promise<AuditVerification> {
    let prev = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    const page = 1000;
    for (;;) {
      const rows = await this.#sql.all<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2`,
        [expectedSeq, page],
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq || row.prev_hash !== prev || entryHash(prev, row) !== row.hash) {
          return { ok: false, checked, brokenAt: Math.min(seq, expectedSeq) };
        }
        prev = row.hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < page) return { ok: true, checked };
    }
  }
}
