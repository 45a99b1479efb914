/**
 * Orders of the span list (`GET /api/v1/spans?sort=`): `time` (newest first, the default) or
 * `perplexity` (highest perplexity first: the least confident answers; spans without logprobs
 * are left out). The perplexity order pages on (perplexity, span_id); its cursor carries the
 * perplexity's IEEE 754 bits as an unsigned integer, which order like the (positive) values and
 * compare exactly, so no decimal rounding can skip or repeat a row between pages.
 */
import type { Cursor, CursorList } from './cursor.ts';
import { optionalOneOf } from './params.ts';
import type { Predicate } from './sql.ts';

/** An order of the span list. */
export type SpanOrder = 'time' | 'perplexity';

/** The parameter that picks the order. */
export const SORT_PARAM = 'sort';

/** The `sort` parameter (default `time`). @throws ArgusError INVALID_PARAMETER for another value. */
export function parseSpanOrder(params: URLSearchParams): SpanOrder {
  return optionalOneOf(params, SORT_PARAM, ['time', 'perplexity'] as const) ?? 'time';
}

/** The cursor list of an order (a cursor of one order is refused by the other). */
export function cursorListOf(order: SpanOrder): CursorList {
  return order === 'perplexity' ? 'spansByPerplexity' : 'spans';
}

/** ORDER BY of an order. */
export function orderSql(order: SpanOrder): string {
  return order === 'perplexity' ? 'perplexity DESC, span_id DESC' : 'start_time DESC, span_id DESC';
}

const bits = new BigUint64Array(1);
const value = new Float64Array(bits.buffer);

/** A perplexity's IEEE 754 bits as a decimal string. */
export function perplexityBits(perplexity: number): string {
  value[0] = perplexity;
  return String(bits[0]);
}

/** Spans with a perplexity, after the cursor in (perplexity DESC, span_id DESC) order. */
export function perplexityCondition(cursor: Cursor | undefined): Predicate {
  const has = 'perplexity IS NOT NULL';
  if (!cursor) return { sql: has, params: {} };
  const key = 'reinterpretAsUInt64(assumeNotNull(perplexity))';
  return {
    sql: `${has} AND (${key} < {cursorBits:UInt64} OR (${key} = {cursorBits:UInt64} AND span_id < {cursorId:String}))`,
    params: { cursorBits: cursor.timeNs, cursorId: cursor.id },
  };
}
