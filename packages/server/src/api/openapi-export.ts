/** The OpenAPI path of the span export (export.ts): the query filters and a larger limit. */
import { BAD_REQUEST, jsonAnswer, ref, type Schema } from '../http/openapi-helpers.ts';
import { FILTER_PARAMS } from '../query/filters.ts';
import { DEFAULT_EXPORT_LIMIT, MAX_EXPORT_LIMIT } from '../query/span-export.ts';

const exportLimit = {
  name: 'limit',
  in: 'query',
  description: `Most spans in the export (default ${DEFAULT_EXPORT_LIMIT}).`,
  schema: { type: 'integer', minimum: 1, maximum: MAX_EXPORT_LIMIT, default: DEFAULT_EXPORT_LIMIT },
};

/** `GET /api/v1/export/spans`. */
export const EXPORT_PATHS: Record<string, Schema> = {
  '/api/v1/export/spans': {
    get: {
      summary: 'Export spans (NDJSON)',
      description:
        'Full canonical spans of the project matching the filters, newest first, one JSON object per line, streamed. Audited as `data.export` with the filters and the row count.',
      parameters: [
        ...FILTER_PARAMS.map((name) => ({ $ref: `#/components/parameters/${name}` })),
        exportLimit,
      ],
      responses: {
        '200': {
          description: 'One span per line',
          content: { 'application/x-ndjson': { schema: ref('Span') } },
        },
        '400': BAD_REQUEST,
        '403': jsonAnswer(
          ref('Error'),
          'FORBIDDEN: the role does not allow it (the message names the role needed), or the CSRF check failed',
        ),
      },
    },
  },
};
