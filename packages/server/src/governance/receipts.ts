/**
 * Erasure receipts in the metadata `erasures` table (metadata migration 3). A receipt never
 * holds the erased value: only its kind and a keyed hash (HMAC-SHA256 with the instance's hash
 * key), so a later request for the same subject can be shown to match without the value being
 * kept anywhere.
 */
import { createHmac } from 'node:crypto';
import type { ErasureCounts, ErasureReceipt, SubjectKind } from '@argus/shared';
import { invalidParameter } from '../query/params.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';

export type { ErasureCounts, ErasureReceipt, SubjectKind };

/** Longest user or session id an erasure accepts, in characters. */
export const MAX_SUBJECT_CHARS = 1024;

/** The keyed hash of a subject. */
export function subjectHash(key: string, kind: SubjectKind, value: string): string {
  return createHmac('sha256', key).update(`${kind}\n${value}`).digest('hex');
}

/** A page of receipts, newest first. */
export interface ReceiptPage {
  data: ErasureReceipt[];
  nextCursor: string | null;
}

/** Filters of {@link ErasureReceipts.list}. */
export interface ReceiptQuery {
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Only receipts of this subject (kind + hash). */
  subject?: { kind: SubjectKind; hash: string };
}

/** The `erasures` table. */
export class ErasureReceipts {
  readonly #sql: SqlClient;

  constructor(sql: SqlClient) {
    this.#sql = sql;
  }

  /** Stores a receipt (insert or replace by id); the raw value is dropped here. */
  async save(receipt: ErasureReceipt): Promise<void> {
    const stored: ErasureReceipt = { ...receipt, subject: { kind: receipt.subject.kind } };
    await this.#sql.run(
      `INSERT INTO erasures (id, project_id, subject_kind, subject_hash, requested_by, requested_at, completed_at, status, receipt)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET completed_at = excluded.completed_at, status = excluded.status, receipt = excluded.receipt`,
      [
        stored.id,
        stored.projectId,
        stored.subject.kind,
        stored.subjectHash,
        stored.requestedBy,
        stored.requestedAt,
        stored.completedAt,
        stored.status,
        JSON.stringify(stored),
      ],
    );
  }

  /** One receipt of a project, or undefined. */
  async get(projectId: string, id: string): Promise<ErasureReceipt | undefined> {
    const rows = await this.#sql.all<{ receipt: string }>(
      'SELECT receipt FROM erasures WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return rows[0] ? (JSON.parse(rows[0].receipt) as ErasureReceipt) : undefined;
  }

  /** Receipts of a project, newest first. */
  async list(projectId: string, query: ReceiptQuery): Promise<ReceiptPage> {
    const params: (string | number)[] = [projectId];
    const bind = (value: string | number) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ['project_id = $1'];
    if (query.subject) {
      where.push(`subject_kind = ${bind(query.subject.kind)}`, `subject_hash = ${bind(query.subject.hash)}`);
    }
    const cursor = decodeCursor(query.cursor);
    if (cursor) {
      const at = bind(cursor.requestedAt);
      where.push(`(requested_at < ${at} OR (requested_at = ${at} AND id < ${bind(cursor.id)}))`);
    }
    const rows = await this.#sql.all<{ receipt: string }>(
      `SELECT receipt FROM erasures WHERE ${where.join(' AND ')}
       ORDER BY requested_at DESC, id DESC LIMIT ${bind(query.limit + 1)}`,
      params,
    );
    const data = rows.slice(0, query.limit).map((r) => JSON.parse(r.receipt) as ErasureReceipt);
    const last = data.at(-1);
    return {
      data,
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.requestedAt, last.id) : null,
    };
  }
}

function encodeCursor(requestedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([requestedAt, id])).toString('base64url');
}

/**
 * The cursor's position, or undefined for none.
 * @throws ArgusError INVALID_PARAMETER for a cursor this API did not hand out.
 */
function decodeCursor(cursor: string | undefined): { requestedAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
    return { requestedAt: parsed[0], id: parsed[1] };
  }
  throw invalidParameter('cursor', "is not a cursor from this endpoint; pass the previous page's nextCursor");
}
