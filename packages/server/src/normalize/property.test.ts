/**
 * Property-based: whatever attribute maps, values and events an otherwise valid span carries,
 * normalization never throws and yields a span whose strings are strings and whose numbers
 * are finite (so it always serializes and inserts).
 */

import { SPAN_KINDS, type Span } from '@argus/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttrValue } from '../otlp/types.ts';
import { attrs, CTX, event, logRecord, logsRequest, spanInput } from './builders.test-util.ts';
import { normalizeLogs, normalizeSpan } from './index.ts';

/** Keys the mapping reads, so arbitrary values hit every reader, plus hostile keys. */
const KNOWN_KEYS = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.request.temperature',
  'gen_ai.request.top_p',
  'gen_ai.request.max_tokens',
  'gen_ai.request.stop_sequences',
  'gen_ai.request.stream',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.cost',
  'gen_ai.response.finish_reasons',
  'gen_ai.response.id',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.prompt.0.role',
  'gen_ai.prompt.0.content',
  'gen_ai.prompt.1.tool_calls.0.arguments',
  'gen_ai.completion.0.finish_reason',
  'gen_ai.server.time_to_first_token',
  'gen_ai.response.time_to_first_chunk',
  'gen_ai.conversation.id',
  'gen_ai.tool.name',
  'gen_ai.tool.call.arguments',
  'gen_ai.retrieval.documents',
  'openinference.span.kind',
  'llm.model_name',
  'llm.invocation_parameters',
  'llm.input_messages.0.message.role',
  'llm.input_messages.0.message.content',
  'llm.input_messages.1.message.contents.0.message_content.type',
  'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments',
  'llm.token_count.prompt',
  'llm.cost.total',
  'llm.tools.0.tool.json_schema',
  'llm.prompts',
  'retrieval.documents.0.document.score',
  'retrieval.documents.0.document.metadata',
  'input.value',
  'input.mime_type',
  'output.value',
  'metadata',
  'tag.tags',
  'session.id',
  'user.id',
  'langfuse.observation.type',
  'langfuse.observation.input',
  'langfuse.observation.output',
  'langfuse.observation.usage_details',
  'langfuse.observation.cost_details',
  'langfuse.observation.model.parameters',
  'langfuse.observation.completion_start_time',
  'langfuse.observation.level',
  'langfuse.trace.tags',
  'langfuse.trace.metadata.k',
  'ai.operationId',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.prompt.tools',
  'ai.response.text',
  'ai.response.toolCalls',
  'ai.response.msToFirstChunk',
  'ai.usage.promptTokens',
  'ai.settings.maxOutputTokens',
  'ai.telemetry.metadata.sessionId',
  'traceloop.span.kind',
  'traceloop.entity.input',
  'traceloop.association.properties.user_id',
  'langsmith.span.kind',
  'langsmith.metadata.ls_temperature',
  'gen_ai.usage.input_token_details',
  'service.name',
  'deployment.environment',
  'error.type',
  '__proto__',
  'constructor',
  'embedding.embeddings.0.embedding.vector',
  'llm.request.functions.0.parameters',
];

const leaf: fc.Arbitrary<AttrValue> = fc.oneof(
  fc.string(),
  fc.json(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    'NaN',
    "[{'role': 'user', 'content': 'x'}]",
    '[{"role":"user"',
  ),
);

const { value: anyValue } = fc.letrec<{ value: AttrValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .dictionary(
        fc.oneof(
          fc.string(),
          fc.constantFrom('__proto__', 'constructor', 'role', 'content', 'parts', 'type'),
        ),
        tie('value'),
        { maxKeys: 4 },
      )
      .map((d) => attrs(d as Record<string, AttrValue>)),
  ),
}));

const attributeMap = fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string()), anyValue, {
  maxKeys: 12,
});
const eventNames = fc.constantFrom(
  'gen_ai.content.prompt',
  'gen_ai.choice',
  'gen_ai.user.message',
  'gen_ai.client.inference.operation.details',
  'exception',
  'ai.stream.firstChunk',
  'x',
);

const STRING_FIELDS = [
  'projectId',
  'traceId',
  'spanId',
  'parentSpanId',
  'name',
  'serviceName',
  'serviceVersion',
  'environment',
  'scope',
  'startTime',
  'endTime',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'statusMessage',
  'errorType',
  'provider',
  'operation',
  'requestModel',
  'responseModel',
  'responseId',
  'toolName',
  'toolCallId',
  'sessionId',
  'userId',
  'conversationId',
  'convention',
] as const;

/** Every number reachable from `value` (depth-first). */
function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}

function checkSpan(span: Span): void {
  for (const field of STRING_FIELDS) expect(typeof span[field], field).toBe('string');
  expect(SPAN_KINDS).toContain(span.kind);
  expect(['ok', 'error', 'unset']).toContain(span.status);
  expect(['reported', 'computed', 'none']).toContain(span.costSource);
  expect(numbersIn(span).every(Number.isFinite)).toBe(true);
  expect(span.tags.every((t) => typeof t === 'string')).toBe(true);
  expect(span.finishReasons.every((t) => typeof t === 'string')).toBe(true);
  expect(Object.values(span.metadata).every((v) => typeof v === 'string')).toBe(true);
  expect(typeof JSON.stringify(span)).toBe('string');
}

describe('normalizeSpan on arbitrary attributes', () => {
  it('never throws and always yields a storable span', () => {
    fc.assert(
      fc.property(
        attributeMap,
        fc.array(fc.tuple(eventNames, attributeMap), { maxLength: 3 }),
        fc.string(),
        (values, events, name) => {
          const input = spanInput(values as Record<string, AttrValue>, {
            name,
            events: events.map(([n, a], i) => event(n, a as Record<string, AttrValue>, i)),
          });
          checkSpan(normalizeSpan(input, CTX));
        },
      ),
      { numRuns: 400 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on arbitrary log bodies and attributes', () => {
    fc.assert(
      fc.property(eventNames, anyValue, attributeMap, (name, body, values) => {
        const result = normalizeLogs(
          logsRequest(logRecord(name, body, values as Record<string, AttrValue>)),
          CTX,
        );
        expect(result.rejected).toBe(0);
        const row = result.logs[0]!;
        expect(typeof row.body).toBe('string');
        expect(numbersIn(row.attributes).every(Number.isFinite)).toBe(true);
        expect(numbersIn(row.content ?? {}).every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
