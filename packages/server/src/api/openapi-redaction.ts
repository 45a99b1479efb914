/**
 * OpenAPI paths of the redaction settings (/api/v1/settings/redaction). The policy body is
 * generated from the zod schema that validates it, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { DETECTOR_IDS } from '../redact/detectors.ts';
import { MAX_CUSTOM_DETECTORS, MAX_PATTERN_CHARS, POLICY_ACTIONS, policySchema } from '../redact/policy.ts';
import { MAX_TEST_TEXT_CHARS } from './redaction.ts';

type Schema = Record<string, unknown>;

const { $schema: _, ...POLICY } = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
// The schema checks detector ids in a refinement (for a message listing them); say it here.
const detectorsSchema = (POLICY.properties as Record<string, Schema> | undefined)?.detectors;
if (detectorsSchema) detectorsSchema.propertyNames = { type: 'string', enum: [...DETECTOR_IDS] };

const json = (description: string, schema: Schema) => ({
  description,
  content: { 'application/json': { schema } },
});
const bad = { $ref: '#/components/responses/BadRequest' };

const SETTINGS: Schema = {
  type: 'object',
  required: ['policy', 'source', 'effective', 'globallyOff'],
  properties: {
    policy: POLICY,
    source: {
      type: 'string',
      enum: ['project', 'default'],
      description: '`default`: the project never saved a policy (the default policy applies)',
    },
    effective: {
      type: 'array',
      description: 'Every detector with the action it has in this project, built-ins first',
      items: {
        type: 'object',
        required: ['id', 'description', 'action', 'builtin'],
        properties: {
          id: { type: 'string' },
          description: { type: 'string' },
          action: { type: 'string', enum: [...POLICY_ACTIONS] },
          builtin: { type: 'boolean' },
        },
      },
    },
    globallyOff: {
      type: 'boolean',
      description: 'The server runs with `--redaction off`: nothing is redacted whatever the policy',
    },
  },
};

/** The redaction settings routes. */
export const REDACTION_PATHS: Record<string, Schema> = {
  '/api/v1/settings/redaction': {
    get: {
      summary: 'Redaction policy',
      description: 'The project’s PII redaction policy and the action of every detector.',
      responses: { '200': json('OK', SETTINGS) },
    },
    put: {
      summary: 'Replace the redaction policy',
      description: `Replaces the project’s policy; spans and logs ingested afterwards are redacted with it (other instances pick it up within 30 s). Built-in detectors not listed keep their default action; detector ids: ${DETECTOR_IDS.join(', ')}. At most ${MAX_CUSTOM_DETECTORS} custom detectors, patterns up to ${MAX_PATTERN_CHARS} characters; a pattern that does not compile, can match the empty string, or backtracks catastrophically on adversarial input is refused with 400. The body may also be \`{ "policy": … }\` as GET answers it. Admin only; audited as \`settings.update\`.`,
      requestBody: { required: true, content: { 'application/json': { schema: POLICY } } },
      responses: { '200': json('Saved', SETTINGS), '400': bad },
    },
  },
  '/api/v1/settings/redaction/test': {
    post: {
      summary: 'Try a redaction policy',
      description:
        'A dry run: redacts sample text with the given policy (or the project’s) and answers the result and the counts per detector. Nothing is stored or audited.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['text'],
              properties: { text: { type: 'string', maxLength: MAX_TEST_TEXT_CHARS }, policy: POLICY },
            },
          },
        },
      },
      responses: {
        '200': json('OK', {
          type: 'object',
          required: ['redacted', 'counts'],
          properties: {
            redacted: { type: 'string' },
            counts: { type: 'object', additionalProperties: { type: 'integer' } },
          },
        }),
        '400': bad,
      },
    },
  },
};
