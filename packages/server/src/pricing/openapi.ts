/** OpenAPI paths of the pricing API; the override items are generated from the zod schema that validates them. */
import {
  BAD_REQUEST,
  fromZod,
  jsonAnswer,
  jsonBody,
  NOT_FOUND,
  type Schema,
} from '../http/openapi-helpers.ts';
import { overridesSchema } from './schemas.ts';

const OVERRIDES = { type: 'object', properties: { data: fromZod(overridesSchema) } };

/** `/api/v1/pricing` and `/api/v1/pricing/overrides`. */
export const PRICING_PATHS: Record<string, Schema> = {
  '/api/v1/pricing': {
    get: {
      summary: 'Pricing catalog',
      description:
        'The built-in catalog (USD per 1M tokens, with the date each price was checked). With `model` (and optional `provider`), the price that applies to that model, overrides included.',
      parameters: [
        { name: 'model', in: 'query', schema: { type: 'string' } },
        { name: 'provider', in: 'query', schema: { type: 'string' } },
      ],
      responses: { '200': jsonAnswer({ type: 'object' }), '404': NOT_FOUND },
    },
  },
  '/api/v1/pricing/overrides': {
    get: {
      summary: 'Price overrides',
      description: 'The project’s price overrides; they win over the catalog.',
      parameters: [],
      responses: { '200': jsonAnswer(OVERRIDES), '400': BAD_REQUEST },
    },
    put: {
      summary: 'Replace price overrides',
      description: 'Replaces the project’s overrides; spans ingested afterwards are priced with them.',
      requestBody: jsonBody(OVERRIDES),
      responses: { '200': jsonAnswer({ type: 'object' }), '400': BAD_REQUEST },
    },
  },
};
