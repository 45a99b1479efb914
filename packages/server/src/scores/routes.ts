/**
 * The score API: `POST /api/v1/scores` records feedback or an evaluation for a trace or one of
 * its spans. Scores may arrive before or long after their trace; the trace API returns them
 * with the trace (`scores`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ScoreValidator } from '../annotation/score-validation.ts';
import { readJsonBody } from '../http/json-body.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import type { Store } from '../store/index.ts';
import { MAX_SCORE_BODY_BYTES, scoreSchema } from './schemas.ts';

/** What the score route needs. */
export interface ScoreDeps {
  store: Pick<Store, 'insertScore'>;
  projectOf: (request: IncomingMessage) => string;
  /** Checks a score against the score config of its name (annotation/score-validation.ts). */
  check?: Pick<ScoreValidator, 'check'>;
}

/** Registers `POST /api/v1/scores`; answers 201 `{ data: { scoreId } }`. */
export function registerScoreRoutes(router: Router, deps: ScoreDeps): void {
  router.on('POST', '/api/v1/scores', 'ingest', async ({ request }) => {
    const body = await readJsonBody(request, scoreSchema, 'score', { maxBytes: MAX_SCORE_BODY_BYTES });
    const scoreId = randomUUID();
    const projectId = deps.projectOf(request);
    // A name with a score config must hold what it says (a 400 names the mismatch); else as sent.
    const stored = deps.check
      ? await deps.check.check(projectId, body.name, body.value)
      : typeof body.value === 'number'
        ? { value: body.value, stringValue: '' }
        : { value: 0, stringValue: body.value };
    await deps.store.insertScore({
      projectId,
      scoreId,
      traceId: body.traceId.toLowerCase(),
      spanId: body.spanId?.toLowerCase() ?? '',
      name: body.name,
      value: stored.value,
      stringValue: stored.stringValue,
      comment: body.comment ?? '',
      source: body.source,
      author: '',
      timeUnixNano: BigInt(Date.now()) * 1_000_000n,
      metadata: Object.fromEntries(Object.entries(body.metadata ?? {}).map(([k, v]) => [k, String(v)])),
    });
    return noStore({ data: { scoreId } }, 201);
  });
}
