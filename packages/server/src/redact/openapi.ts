/**
 * OpenAPI paths of the redaction settings (/api/v1/settings/redaction). The request bodies are
 * generated from the zod schemas that validate them, so the document cannot drift from the code.
 */
import {
  BAD_REQUEST as bad,
  fromZod,
  jsonAnswer,
  jsonBody,
  object,
  type Schema,
} from '../http/openapi-helpers.ts';
import { DETECTOR_IDS } from './detectors.ts';
import { MAX_CUSTOM_DETECTORS, MAX_PATTERN_CHARS, POLICY_ACTIONS, policySchema } from './policy.ts';
import { testSchema } from './schemas.ts';

const POLICY = fromZod(policySchema);
// The schema checks detector ids in a refinement (for a message listing them); say it here.
const detectorsSchema = (POLICY.properties as Record<string, Schema> | undefined)?.detectors;
if (detectorsSchema) detectorsSchema.propertyNames = { type: 'string', enum: [...DETECTOR_IDS] };

// The dry run's draft policy is checked by the policy's own schema after the body's.
const TEST = fromZod(testSchema);
(TEST.properties as Record<string, Schema>).policy = POLICY;

const SETTINGS = object({
  policy: POLICY,
  source: {
    type: 'string',
    enum: ['project', 'default'],
    description: '`default`: the project never saved a policy (the default policy applies)',
  },
  effective: {
    type: 'array',
    description: 'Every detector with the action it has in this project, built-ins first',
    items: object({
      id: { type: 'string' },
      description: { type: 'string' },
      action: { type: 'string', enum: [...POLICY_ACTIONS] },
      builtin: { type: 'boolean' },
    }),
  },
  globallyOff: {
    type: 'boolean',
    description: 'The server runs with `--redaction off`: nothing is redacted whatever the policy',
  },
});

/** The redaction settings routes. */
export const REDACTION_PATHS: Record<string, Schema> = {
  '/api/v1/settings/redaction': {
    get: {
      summary: 'Redaction policy',
      description: 'The project’s PII redaction policy and the action of every detector.',
      responses: { '200': jsonAnswer(SETTINGS) },
    },
    put: {
      summary: 'Replace the redaction policy',
      description: `Replaces the project’s policy; spans and logs ingested afterwards are redacted with it (other instances pick it up within 30 s). Built-in detectors not listed keep their default action; detector ids: ${DETECTOR_IDS.join(', ')}. At most ${MAX_CUSTOM_DETECTORS} custom detectors, patterns up to ${MAX_PATTERN_CHARS} characters; a pattern that does not compile, can match the empty string, or backtracks catastrophically on adversarial input is refused with 400. The body may also be \`{ "policy": … }\` as GET answers it. Admin only; audited as \`settings.update\`.`,
      requestBody: jsonBody(POLICY),
      responses: { '200': jsonAnswer(SETTINGS, 'Saved'), '400': bad },
    },
  },
  '/api/v1/settings/redaction/test': {
    post: {
      summary: 'Try a redaction policy',
      description:
        'A dry run: redacts sample text with the given policy (or the project’s) and answers the result and the counts per detector. Nothing is stored or audited.',
      requestBody: jsonBody(TEST),
      responses: {
        '200': jsonAnswer(
          object({
            redacted: { type: 'string' },
            counts: { type: 'object', additionalProperties: { type: 'integer' } },
          }),
        ),
        '400': bad,
      },
    },
  },
};
