/**
 * OpenAPI paths of the alerting API (/api/v1/alerts/…). Request bodies are generated from the
 * same zod schemas that validate them, so the document cannot drift from the code.
 */
import {
  BAD_REQUEST,
  jsonBody as body,
  fromZod,
  jsonAnswer,
  NOT_FOUND,
  queryParam as query,
  type Schema,
} from '../http/openapi-helpers.ts';
import { MAX_BAND_POINTS } from './routes.ts';
import { channelInputSchema, ruleInputSchema, silenceInputSchema } from './schemas.ts';

const ok = (description: string, schema: Schema = { type: 'object' }) => jsonAnswer(schema, description);
const dataOf = (items: boolean) => ({
  type: 'object',
  properties: { data: items ? { type: 'array', items: { type: 'object' } } : { type: 'object' } },
});
const idParam = (name = 'id') => ({ name, in: 'path', required: true, schema: { type: 'string' } });

const RULE = fromZod(ruleInputSchema);
const CHANNEL = fromZod(channelInputSchema);
const SILENCE = fromZod(silenceInputSchema);

function crud(what: string, schema: Schema, extra = ''): { list: Schema; item: Schema } {
  return {
    list: {
      get: { summary: `List ${what}s`, responses: { '200': ok('OK', dataOf(true)) } },
      post: {
        summary: `Create a ${what}`,
        description: extra,
        requestBody: body(schema),
        responses: { '201': ok('Created', dataOf(false)), '400': BAD_REQUEST },
      },
    },
    item: {
      parameters: [idParam()],
      get: { summary: `Get a ${what}`, responses: { '200': ok('OK', dataOf(false)), '404': NOT_FOUND } },
      put: {
        summary: `Replace a ${what}`,
        requestBody: body(schema),
        responses: { '200': ok('OK', dataOf(false)), '400': BAD_REQUEST, '404': NOT_FOUND },
      },
      delete: {
        summary: `Delete a ${what}`,
        responses: { '204': { description: 'Deleted' }, '404': NOT_FOUND },
      },
    },
  };
}

const rules = crud(
  'rule',
  RULE,
  'Threshold, anomaly or budget rule; see docs/alerts.md. Changing a rule restarts its state.',
);
const channels = crud(
  'channel',
  CHANNEL,
  'Webhook (HMAC-signed JSON), Slack incoming webhook or SMTP email. Secrets read back as ********; sending ******** back keeps them.',
);

/** Every alerting path. */
export const ALERT_PATHS: Record<string, Schema> = {
  '/api/v1/alerts/rules': rules.list,
  '/api/v1/alerts/rules/{id}': rules.item,
  '/api/v1/alerts/rules/{id}/band': {
    get: {
      summary: 'Anomaly band of a rule',
      description: `Per bucket of the rule's window: value, expected band and whether it is anomalous, as the evaluator computes it. At most ${MAX_BAND_POINTS} buckets; default the last 24 h.`,
      parameters: [idParam(), query('from', 'ISO 8601 or epoch ms'), query('to', 'ISO 8601 or epoch ms')],
      responses: {
        '200': ok('OK', {
          type: 'object',
          properties: {
            ruleId: { type: 'string' },
            metric: { type: 'string' },
            step: { type: 'integer', description: 'Bucket width in seconds' },
            points: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  time: { type: 'string' },
                  value: { type: ['number', 'null'] },
                  lower: { type: ['number', 'null'] },
                  upper: { type: ['number', 'null'] },
                  anomalous: { type: 'boolean' },
                },
              },
            },
          },
        }),
        '400': BAD_REQUEST,
        '404': NOT_FOUND,
      },
    },
  },
  '/api/v1/alerts/channels': channels.list,
  '/api/v1/alerts/channels/{id}': channels.item,
  '/api/v1/alerts/channels/{id}/test': {
    post: {
      summary: 'Send a test notification',
      description: 'Sends a test message (with retries); answers the delivery record, 502 when it failed.',
      parameters: [idParam()],
      responses: {
        '200': ok('Delivered', dataOf(false)),
        '502': ok('Not delivered', dataOf(false)),
        '404': NOT_FOUND,
      },
    },
  },
  '/api/v1/alerts/silences': {
    get: {
      summary: 'List silences',
      description: 'Silences not yet ended; `all=true` includes expired ones.',
      parameters: [query('all', 'Include expired silences', { type: 'boolean' })],
      responses: { '200': ok('OK', dataOf(true)) },
    },
    post: {
      summary: 'Create a silence',
      description:
        'Mutes notifications of matching rules between startsAt (default now) and endsAt; states still change.',
      requestBody: body(SILENCE),
      responses: { '201': ok('Created', dataOf(false)), '400': BAD_REQUEST },
    },
  },
  '/api/v1/alerts/silences/{id}': {
    parameters: [idParam()],
    delete: {
      summary: 'Delete a silence',
      responses: { '204': { description: 'Deleted' }, '404': NOT_FOUND },
    },
  },
  '/api/v1/alerts/events': {
    get: {
      summary: 'Alert history',
      description:
        'State changes and notifications with delivery records, newest first. Default: the last 7 days.',
      parameters: [
        query('ruleId', 'Only this rule'),
        query('from', 'ISO 8601 or epoch ms'),
        query('to', 'ISO 8601 or epoch ms'),
        query('limit', 'Most events', { type: 'integer', minimum: 1, maximum: 1000, default: 200 }),
      ],
      responses: { '200': ok('OK', dataOf(true)), '400': BAD_REQUEST },
    },
  },
  '/api/v1/alerts/states': {
    get: { summary: 'Current state of every rule', responses: { '200': ok('OK', dataOf(true)) } },
  },
};
