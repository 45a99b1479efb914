/** OpenAPI path of the score API; the body is generated from the zod schema that validates it. */
import { BAD_REQUEST, fromZod, jsonAnswer, jsonBody, type Schema } from '../http/openapi-helpers.ts';
import { scoreSchema } from './schemas.ts';

/** `POST /api/v1/scores`. */
export const SCORE_PATHS: Record<string, Schema> = {
  '/api/v1/scores': {
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
