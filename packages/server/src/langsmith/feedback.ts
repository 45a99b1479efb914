/**
 * LangSmith feedback (`feedback.{id}` multipart parts) as Argus scores: `key` is the score
 * name, a numeric/boolean `score` its value, a text `value` its string value. Feedback that
 * names no trace cannot be placed and is skipped.
 */

import { isRecord, record, toNumber, toText } from '../normalize/values.ts';
import type { Store } from '../store/index.ts';
import { spanIdOf, uuidHex } from './run.ts';
import { runTimeNs } from './run-fields.ts';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** Inserts the feedback items that name a trace and a key; resolves with how many were stored. */
export async function insertFeedback(
  store: Pick<Store, 'insertScore'>,
  projectId: string,
  items: readonly Record<string, unknown>[],
): Promise<number> {
  let stored = 0;
  for (const item of items) {
    const name = toText(item.key);
    if (!isUuid(item.trace_id) || name === undefined) continue;
    const score = typeof item.score === 'boolean' ? Number(item.score) : toNumber(item.score);
    const source = isRecord(item.feedback_source) ? toText(item.feedback_source.type) : undefined;
    const metadata = record<string>();
    if (isUuid(item.id)) metadata.langsmith_feedback_id = item.id;
    await store.insertScore({
      projectId,
      scoreId: isUuid(item.id) ? item.id : crypto.randomUUID(),
      traceId: uuidHex(item.trace_id),
      spanId: isUuid(item.run_id) ? spanIdOf(item.run_id) : '',
      name: name.slice(0, 200),
      value: score ?? 0,
      stringValue: (toText(item.value) ?? '').slice(0, 1000),
      comment: (toText(item.comment) ?? '').slice(0, 10_000),
      source: source === 'model' ? 'eval' : 'sdk',
      author: '',
      timeUnixNano: runTimeNs(item.created_at) ?? BigInt(Date.now()) * 1_000_000n,
      metadata,
    });
    stored++;
  }
  return stored;
}
