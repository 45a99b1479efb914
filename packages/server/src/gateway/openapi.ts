/**
 * The OpenAPI fragment of the gateway: its settings API (request bodies generated from the zod
 * schemas the routes validate with) and its provider-compatible endpoints, which take and answer
 * the provider's own shapes (documented by OpenAI and Anthropic, passed through unchanged).
 */
import {
  BAD_REQUEST,
  DATE_TIME,
  dataAnswer,
  fromZod,
  jsonAnswer,
  jsonBody,
  NOT_FOUND,
  NUMBER,
  object,
  pathParam,
  type Schema,
  STRING,
} from '../http/openapi-helpers.ts';
import { aliasSchema, keyLimitsSchema, settingsPatchSchema, shadowSchema } from './schemas.ts';

const ANY: Schema = { type: 'object', additionalProperties: true };
const NO_CONTENT = { description: 'Deleted' };
const tags = ['gateway'];

const SETTINGS = fromZod(settingsPatchSchema);
const TARGET = object({ connectionId: STRING, model: STRING, weight: NUMBER });
const ALIAS = object({ name: STRING, targets: { type: 'array', items: TARGET }, updatedAt: DATE_TIME });
const LIMITS = object(
  {
    keyId: STRING,
    requestsPerMinute: NUMBER,
    tokensPerMinute: NUMBER,
    usdPerDay: NUMBER,
    usdPerMonth: NUMBER,
    cache: { type: 'boolean' },
    updatedAt: DATE_TIME,
  },
  ['requestsPerMinute', 'tokensPerMinute', 'usdPerDay', 'usdPerMonth', 'cache'],
);
const SHADOW = object({
  name: STRING,
  model: STRING,
  candidate: object({ connectionId: STRING, model: STRING }, ['connectionId']),
  share: NUMBER,
  evaluators: { type: 'array', items: STRING },
  maxPairs: NUMBER,
  concurrency: NUMBER,
  queue: NUMBER,
  datasetId: STRING,
  primaryExperimentId: STRING,
  candidateExperimentId: STRING,
  createdAt: DATE_TIME,
  updatedAt: DATE_TIME,
});
const SHADOW_STATUS = object({
  ...(SHADOW.properties as Record<string, Schema>),
  sent: NUMBER,
  failed: NUMBER,
  dropped: NUMBER,
  pairs: NUMBER,
  state: { type: 'string', enum: ['running', 'completed', 'cancelled'] },
});
const STATUS = object({
  settings: ANY,
  aliases: { type: 'array', items: ALIAS },
  connections: { type: 'array', items: ANY },
  cache: object({ hits: NUMBER, misses: NUMBER, entries: NUMBER, hitRate: NUMBER }),
  keys: { type: 'array', items: ANY },
  overhead: ANY,
  shadows: { type: 'array', items: SHADOW_STATUS },
});

const PROXY_HEADERS = [
  ['traceparent', "W3C trace context: the call becomes a span of the caller's trace"],
  ['x-argus-user-id', 'User of the call'],
  ['x-argus-session-id', 'Session of the call'],
  ['x-argus-tags', 'Tags, comma-separated or a JSON list'],
  ['x-argus-metadata', 'A JSON object of strings'],
  ['x-argus-cache', '`true` or `false`: cache this call or not'],
  ['x-argus-provider-key', "The caller's own provider key (when the project allows it)"],
].map(([name, description]) => ({ name, in: 'header', required: false, description, schema: STRING }));

function proxied(summary: string, description: string) {
  return {
    post: {
      tags,
      summary,
      description: `${description} The body and the answer are the provider's own, passed through unchanged; every answer carries \`x-argus-trace-id\` and \`x-argus-overhead-ms\`. Errors of the gateway itself come in the provider's error shape.`,
      parameters: PROXY_HEADERS,
      requestBody: jsonBody(ANY),
      responses: {
        '200': { description: "The provider's answer (JSON, or text/event-stream when `stream` is true)" },
        '400': BAD_REQUEST,
        '404': { description: 'No connection serves the model' },
        '429': {
          description:
            "A limit of the key (requests or tokens per minute, USD per day or month), or the provider's own 429",
        },
      },
    },
  };
}

/** The gateway's paths. */
export const GATEWAY_PATHS: Record<string, unknown> = {
  '/gateway/v1/chat/completions': proxied(
    'OpenAI chat completions through the gateway',
    'OpenAI `POST /v1/chat/completions`.',
  ),
  '/gateway/v1/completions': proxied(
    'OpenAI completions through the gateway',
    'OpenAI `POST /v1/completions`.',
  ),
  '/gateway/v1/embeddings': proxied('OpenAI embeddings through the gateway', 'OpenAI `POST /v1/embeddings`.'),
  '/gateway/v1/responses': proxied('OpenAI responses through the gateway', 'OpenAI `POST /v1/responses`.'),
  '/gateway/anthropic/v1/messages': proxied(
    'Anthropic messages through the gateway',
    'Anthropic `POST /v1/messages`.',
  ),
  '/gateway/v1/models': {
    get: {
      tags,
      summary: 'Models the gateway serves',
      description:
        "The models OpenAI-compatible connections list (globs left out) and the aliases, in OpenAI's list shape.",
      responses: { '200': jsonAnswer(object({ object: STRING, data: { type: 'array', items: ANY } })) },
    },
  },
  '/api/v1/gateway/settings': {
    get: { tags, summary: 'Gateway settings of the project', responses: { '200': dataAnswer(ANY) } },
    put: {
      tags,
      summary: 'Change gateway settings (admin)',
      requestBody: jsonBody(SETTINGS),
      responses: { '200': dataAnswer(ANY), '400': BAD_REQUEST },
    },
  },
  '/api/v1/gateway/aliases': {
    get: {
      tags,
      summary: 'Model aliases',
      responses: { '200': dataAnswer({ type: 'array', items: ALIAS }) },
    },
  },
  '/api/v1/gateway/aliases/{name}': {
    put: {
      tags,
      summary: 'Create or replace an alias (admin)',
      parameters: [pathParam('name')],
      requestBody: jsonBody(fromZod(aliasSchema)),
      responses: { '200': dataAnswer(ALIAS), '400': BAD_REQUEST },
    },
    delete: {
      tags,
      summary: 'Delete an alias (admin)',
      parameters: [pathParam('name')],
      responses: { '204': NO_CONTENT, '404': NOT_FOUND },
    },
  },
  '/api/v1/gateway/keys/limits': {
    get: {
      tags,
      summary: "Limits of the project's keys",
      responses: { '200': dataAnswer({ type: 'array', items: LIMITS }) },
    },
  },
  '/api/v1/gateway/keys/{keyId}/limits': {
    put: {
      tags,
      summary: 'Set the limits of a key (admin)',
      parameters: [pathParam('keyId')],
      requestBody: jsonBody(fromZod(keyLimitsSchema)),
      responses: { '200': dataAnswer(LIMITS), '400': BAD_REQUEST, '404': NOT_FOUND },
    },
    delete: {
      tags,
      summary: 'Remove the limits of a key (admin)',
      parameters: [pathParam('keyId')],
      responses: { '204': NO_CONTENT, '404': NOT_FOUND },
    },
  },
  '/api/v1/gateway/shadows': {
    get: {
      tags,
      summary: 'Shadows with their experiments, pairs and counters (sent, failed, dropped)',
      responses: { '200': dataAnswer({ type: 'array', items: SHADOW_STATUS }) },
    },
  },
  '/api/v1/gateway/shadows/{name}': {
    put: {
      tags,
      summary: 'Create a shadow, or change its share, concurrency or queue (admin)',
      description:
        "A share of the calls for `model` is sent again, off the caller's path and not streamed, to the candidate; each pair is recorded in two experiments (primary, candidate) on one dataset. Candidate calls are paid. Changing model, candidate, evaluators or maxPairs of an existing shadow answers 409.",
      parameters: [pathParam('name')],
      requestBody: jsonBody(fromZod(shadowSchema)),
      responses: {
        '200': dataAnswer(SHADOW),
        '201': dataAnswer(SHADOW),
        '400': BAD_REQUEST,
        '404': NOT_FOUND,
        '409': { description: 'A change of what the experiments compare' },
      },
    },
    delete: {
      tags,
      summary: 'Remove a shadow; its experiments complete and stay (admin)',
      parameters: [pathParam('name')],
      responses: { '204': NO_CONTENT, '404': NOT_FOUND },
    },
  },
  '/api/v1/gateway/status': {
    get: {
      tags,
      summary: 'Routes, connection health, cache hit rate, spend per key and overhead',
      responses: { '200': dataAnswer(STATUS) },
    },
  },
};
