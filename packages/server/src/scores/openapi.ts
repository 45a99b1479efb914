/** OpenAPI path of the score API; the body is generated from the zod schema that validates it. */
import {
  BAD_REQUEST,
  fromZod,
  jsonAnswer,
  jsonBody,
  queryParam,
  type Schema,
} from '../http/openapi-helpers.ts';
import { scoreSchema } from './schemas.ts';

const SCORE: Schema = {
  type: 'object',
  properties: Object.fromEntries(
    ['scoreId', 'traceId', 'spanId', 'name', 'stringValue', 'comment', 'source', 'author', 'time'].map(
      (k) => [k, { type: 'string' }],
    ),
  ),
};
(SCORE.properties as Record<string, Schema>).value = { type: 'number' };
(SCORE.properties as Record<string, Schema>).metadata = {
  type: 'object',
  additionalProperties: { type: 'string' },
};

/** `GET` and `POST /api/v1/scores`. */
export const SCORE_PATHS: Record<string, Schema> = {
  '/api/v1/scores': {
    get: {
      summary: 'List scores',
      description:
        'The scores of a window (default the last 24 h), newest first, optionally of one source (`online`, `human`, `api`, `sdk`, `eval`), name, trace, span or online evaluation rule.',
      parameters: [
        queryParam('from', 'Window start, ISO 8601 or epoch milliseconds. Default: to − 24 h.'),
        queryParam('to', 'Window end (inclusive). Default: now.'),
        queryParam('source', 'Only scores from this source.'),
        queryParam('name', 'Only scores of this name.'),
        queryParam('traceId', 'Only scores of this trace.'),
        queryParam('spanId', 'Only scores of this span.'),
        queryParam('ruleId', 'Only scores written by this online evaluation rule.'),
        queryParam('limit', 'Most scores (1–10000, default 1000).', {
          type: 'integer',
          minimum: 1,
          maximum: 10000,
        }),
      ],
      responses: {
        '200': jsonAnswer({ type: 'object', properties: { data: { type: 'array', items: SCORE } } }),
        '400': BAD_REQUEST,
      },
    },
    post: {
      summary: 'Record a score',
      description:
        'Feedback or an evaluation for a trace or one of its spans; returned with the trace by GET /api/v1/traces/{traceId} (`scores`). The trace need not exist yet.',
      requestBody: jsonBody(fromZod(scoreSchema)),
      responses: {
        '201': jsonAnswer(
          {
            type: 'object',
            properties: { data: { type: 'object', properties: { scoreId: { type: 'string' } } } },
          },
          'Stored',
        ),
        '400': BAD_REQUEST,
        '413': { description: 'Body over 256 KiB (PAYLOAD_TOO_LARGE)' },
        '415': { description: 'Content-Type is not application/json' },
        '503': { description: 'Write queue full or shutting down; see Retry-After' },
      },
    },
  },
};
