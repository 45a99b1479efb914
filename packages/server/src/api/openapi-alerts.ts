/**
 * OpenAPI paths of the alerting API (/api/v1/alerts/…). Request bodies are generated from the
 * same zod schemas that validate them, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { channelInputSchema, silenceInputSchema } from '../alerts/channel-schema.ts';
import { ruleInputSchema } from '../alerts/rule-schema.ts';
import { MAX_BAND_POINTS } from './alerts.ts';

type Schema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType): Schema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
};
const ok = (description: string, schema: Schema = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
const dataOf = (items: boolean) => ({
  type: 'object',
  properties: { data: items ? { type: 'array', items: { type: 'object' } } : { type: 'object' } },
});
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { $ref: `#/components/responses/${code === 400 ? 'BadRequest' : 'NotFound'}` },
    ]),
  );
const idParam = (name = 'id') => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const query = (name: string, description: string, schema: Schema = { type: 'string' }) => ({
  name,
  in: 'query',
  description,
  schema,
});

const RULE = jsonSchema(ruleInputSchema);
const CHANNEL = jsonSchema(channelInputSchema);
const SILENCE = jsonSchema(silenceInputSchema);

function crud(what: string, schema: Schema, extra = ''): { list: Schema; item: Schema } {
  return {
    list: {
      get: { summary: `List ${what}s`, responses: { '200': ok('OK', dataOf(true)) } },
      post: {
        summary: `Create a ${what}`,
        description: extra,
        requestBody: body(schema),
        responses: { '201': ok('Created', dataOf(false)), ...errors(400) },
      },
    },
    item: {
      parameters: [idParam()],
      get: { summary: `Get a ${what}`, responses: { '200': ok('OK', dataOf(false)), ...errors(404) } },
      put: {
        summary: `Replace a ${what}`,
        requestBody: body(schema),
        responses: { '200': ok('OK', dataOf(false)), ...errors(400, 404) },
      },
      delete: {
        summary: `Delete a ${what}`,
        responses: { '204': { description: 'Deleted' }, ...errors(404) },
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
        ...errors(400, 404),
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
        ...errors(404),
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
      responses: { '201': ok('Created', dataOf(false)), ...errors(400) },
    },
  },
  '/api/v1/alerts/silences/{id}': {
    parameters: [idParam()],
    delete: { summary: 'Delete a silence', responses: { '204': { description: 'Deleted' }, ...errors(404) } },
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
      responses: { '200': ok('OK', dataOf(true)), ...errors(400) },
    },
  },
  '/api/v1/alerts/states': {
    get: { summary: 'Current state of every rule', responses: { '200': ok('OK', dataOf(true)) } },
  },
};
