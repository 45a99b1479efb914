/**
 * `score()`: sends feedback or an evaluation for a trace (or one span) to the Argus score API,
 * `POST {endpoint}/api/v1/scores`. Never throws: the result says whether it was stored.
 */
import { getConfig } from './config.ts';
import { describeError, warn } from './diagnostics.ts';

/** A score for a trace or one of its spans. */
export interface ScoreInput {
  /** 32 hex characters (`span.spanContext().traceId`). */
  traceId: string;
  /** 16 hex characters; omit to score the whole trace. */
  spanId?: string;
  /** What is scored, e.g. `helpfulness`, `thumbs`. 1–200 characters. */
  name: string;
  /** A number, or a category such as `'correct'`. */
  value: number | string;
  /** Free text, up to 10,000 characters. */
  comment?: string;
  /** Who scored: `api`, `sdk` (default here), `user` or `eval`. */
  source?: 'api' | 'sdk' | 'user' | 'eval';
  /** Extra key/value pairs (values are stored as strings). */
  metadata?: Record<string, string | number | boolean>;
}

/** The outcome of {@link score}. */
export interface ScoreResult {
  /** True once Argus answered with the stored score's id. */
  ok: boolean;
  /** The stored score's id when `ok`. */
  scoreId?: string;
  /** Why it was not stored. */
  error?: string;
}

function check(input: ScoreInput): string | undefined {
  if (typeof input !== 'object' || input === null) return 'the score is not an object';
  if (typeof input.traceId !== 'string' || !/^[0-9a-f]{32}$/i.test(input.traceId))
    return `traceId '${String(input.traceId)}' is not 32 hexadecimal characters`;
  if (
    input.spanId !== undefined &&
    (typeof input.spanId !== 'string' || !/^[0-9a-f]{16}$/i.test(input.spanId))
  )
    return `spanId '${String(input.spanId)}' is not 16 hexadecimal characters`;
  if (typeof input.name !== 'string' || input.name.length === 0 || input.name.length > 200)
    return 'name must have 1 to 200 characters';
  const { value } = input;
  if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))))
    return 'value must be a finite number or a string';
  return undefined;
}

function fail(error: string): ScoreResult {
  warn(`Cannot send score: ${error}`);
  return { ok: false, error };
}

/**
 * Records a score for a trace; resolves `{ ok: true, scoreId }` once Argus stored it, or
 * `{ ok: false, error }` (also reported to diagnostics). Never rejects.
 * @example await score({ traceId, name: 'thumbs', value: 1, source: 'user', comment: 'Great answer' });
 */
export async function score(input: ScoreInput): Promise<ScoreResult> {
  try {
    const invalid = check(input);
    if (invalid !== undefined) return fail(invalid);
    const config = getConfig();
    const body = {
      traceId: input.traceId.toLowerCase(),
      ...(input.spanId === undefined ? {} : { spanId: input.spanId.toLowerCase() }),
      name: input.name,
      value: input.value,
      ...(input.comment === undefined ? {} : { comment: input.comment }),
      source: input.source ?? 'sdk',
      ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
    };
    const response = await fetch(`${config.endpoint}/api/v1/scores`, {
      method: 'POST',
      headers: { ...config.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.exportTimeoutMs),
    });
    const text = await response.text();
    let reply: { data?: { scoreId?: unknown }; error?: { message?: unknown } } = {};
    try {
      reply = JSON.parse(text) as typeof reply;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (!response.ok) {
      const message = typeof reply.error?.message === 'string' ? `: ${reply.error.message}` : '';
      return fail(`the server answered ${response.status}${message}`);
    }
    const scoreId = reply.data?.scoreId;
    if (typeof scoreId !== 'string') {
      return fail(`the answer of ${config.endpoint} has no scoreId; is it an Argus server?`);
    }
    return { ok: true, scoreId };
  } catch (error) {
    return fail(describeError(error));
  }
}
