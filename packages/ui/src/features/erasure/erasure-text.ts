/** Words for erasure subjects and receipts. Pure. */
import type { ErasureReceipt, ErasureSubject } from '@argus/shared';

/** The kind and value of a subject. */
function subjectParts(subject: ErasureSubject): { kind: 'trace' | 'user' | 'session'; value: string } {
  if ('traceId' in subject) return { kind: 'trace', value: subject.traceId };
  if ('userId' in subject) return { kind: 'user', value: subject.userId };
  return { kind: 'session', value: subject.sessionId };
}

/** What an erasure deletes, in one sentence. */
export function erasureScope(subject: ErasureSubject): string {
  const { kind, value } = subjectParts(subject);
  if (kind === 'trace') return `every span, log record and score of trace ${value}`;
  return `every trace that carries ${kind} id '${value}' — all their spans, log records and scores, including spans of other ${kind === 'user' ? 'users' : 'sessions'} in those traces`;
}

/** `12 spans, 3 log records, 1 score in 2 traces`. */
export function deletedSummary(deleted: ErasureReceipt['deleted']): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return `${n(deleted.spans, 'span')}, ${n(deleted.logs, 'log record')}, ${n(deleted.scores, 'score')} in ${n(deleted.traces, 'trace')}`;
}
