/**
 * Field-by-field mapping rules (conventions.md 3.2–3.4): kind, provider aliases,
 * session/user/tags/metadata, service/environment, status.
 */
import { describe, expect, it } from 'vitest';
import type { AttrValue } from '../otlp/types.ts';
import { CTX, event, plain, spanInput } from './builders.test-util.ts';
import { normalizeSpan } from './index.ts';
import { normalizeProvider } from './model.ts';

// Table rows mix keys, so values arrive loosely typed; the normalizer accepts anything anyway.
const map = (values: Record<string, unknown>, options = {}) =>
  plain(normalizeSpan(spanInput(values as Record<string, AttrValue>, options), CTX));

describe('kind (table 3.2)', () => {
  it.each([
    // Why: every column of table 3.2 needs one witness.
    { values: { 'gen_ai.operation.name': 'chat' }, kind: 'llm' },
    { values: { 'gen_ai.operation.name': 'generate_content' }, kind: 'llm' },
    { values: { 'gen_ai.operation.name': 'embeddings' }, kind: 'embedding' },
    { values: { 'gen_ai.operation.name': 'retrieval' }, kind: 'retriever' },
    { values: { 'gen_ai.operation.name': 'rerank' }, kind: 'reranker' },
    { values: { 'gen_ai.operation.name': 'execute_tool' }, kind: 'tool' },
    { values: { 'gen_ai.operation.name': 'invoke_agent' }, kind: 'agent' },
    { values: { 'gen_ai.operation.name': 'invoke_workflow' }, kind: 'workflow' },
    // Why: OpenInference docs use both cases.
    { values: { 'openinference.span.kind': 'agent' }, kind: 'agent' },
    { values: { 'openinference.span.kind': 'RERANKER' }, kind: 'reranker' },
    { values: { 'openinference.span.kind': 'GUARDRAIL' }, kind: 'guardrail' },
    { values: { 'openinference.span.kind': 'EVALUATOR' }, kind: 'evaluator' },
    { values: { 'openinference.span.kind': 'CHAIN' }, kind: 'chain' },
    // Why: OpenLIT May 2024 named the operation gen_ai.type.
    { values: { 'gen_ai.type': 'embedding' }, kind: 'embedding' },
    { values: { 'traceloop.span.kind': 'workflow' }, kind: 'workflow' },
    { values: { 'traceloop.span.kind': 'task' }, kind: 'chain' },
    { values: { 'llm.request.type': 'embedding' }, kind: 'embedding' },
    { values: { 'langfuse.observation.type': 'generation' }, kind: 'llm' },
    { values: { 'langfuse.observation.type': 'retriever' }, kind: 'retriever' },
    { values: { 'langsmith.span.kind': 'retriever' }, kind: 'retriever' },
    // Why: Langfuse's explicit type beats a generic operation name on the same span.
    { values: { 'langfuse.observation.type': 'agent', 'gen_ai.operation.name': 'chat' }, kind: 'agent' },
    // Why: Vercel legacy spans say what they are only in their name.
    { values: {}, options: { name: 'ai.generateText.doGenerate' }, kind: 'llm' },
    { values: {}, options: { name: 'ai.embedMany.doEmbed' }, kind: 'embedding' },
    { values: {}, options: { name: 'ai.toolCall' }, kind: 'tool' },
    { values: {}, options: { name: 'ai.generateObject' }, kind: 'chain' },
    // Fallbacks: a model attribute means a model call; a tool name a tool; http.* an http span.
    { values: { 'gen_ai.request.model': 'x' }, kind: 'llm' },
    { values: { 'gen_ai.tool.name': 'search' }, kind: 'tool' },
    { values: { 'http.request.method': 'GET', 'url.full': 'https://x' }, kind: 'http' },
    { values: { 'db.system': 'postgres' }, kind: 'other' },
  ])('$values $options → $kind', ({ values, options, kind }) => {
    expect(map(values, options).kind).toBe(kind);
  });
});

describe('provider aliases (rule 3.4.8)', () => {
  it.each([
    // Why: already canonical values must survive unchanged (and case-folded).
    ['openai', 'openai'],
    ['OpenAI', 'openai'],
    ['aws.bedrock', 'aws.bedrock'],
    // Why: Vercel provider ids carry the API flavour as a suffix.
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['amazon-bedrock', 'aws.bedrock'],
    // Why: deprecated gen_ai.system values (<1.37) and OpenLIT's own spellings.
    ['az.ai.openai', 'azure.ai.openai'],
    ['az.ai.inference', 'azure.ai.inference'],
    ['vertex_ai', 'gcp.vertex_ai'],
    ['gemini', 'gcp.gemini'],
    ['xai', 'x_ai'],
    ['ibm.watson.ai', 'ibm.watsonx.ai'],
    ['vLLM', 'vllm'],
    // Why: OpenInference llm.system values.
    ['vertexai', 'gcp.vertex_ai'],
    ['mistralai', 'mistral_ai'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeProvider(raw)).toBe(expected);
  });

  it('prefers gen_ai.provider.name over the deprecated gen_ai.system and keeps the loser raw', () => {
    const span = map({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.system': 'openai' });
    expect(span.provider).toBe('anthropic');
    expect(span.attributes['gen_ai.system']).toBe('openai');
  });
});

describe('context fields', () => {
  it.each([
    // Why: one witness per column of the session/user/tags rows of table 3.3.
    {
      values: { 'langfuse.session.id': 'a', 'session.id': 'b' },
      expected: { sessionId: 'a', conversationId: 'a' },
    },
    { values: { 'gen_ai.conversation.id': 'c' }, expected: { sessionId: 'c', conversationId: 'c' } },
    {
      values: { 'session.id': 's', 'gen_ai.conversation.id': 'c' },
      expected: { sessionId: 's', conversationId: 'c' },
    },
    {
      values: {
        'traceloop.association.properties.chat_id': 'ch',
        'traceloop.association.properties.user_id': 'u',
      },
      expected: { sessionId: 'ch', userId: 'u', metadata: { chat_id: 'ch', user_id: 'u' } },
    },
    {
      values: { 'ai.telemetry.metadata.sessionId': 's', 'ai.telemetry.metadata.count': 3 },
      expected: { sessionId: 's', metadata: { sessionId: 's', count: '3' } },
    },
    { values: { 'gen_ai.request.user': 'u2' }, expected: { userId: 'u2' } },
    {
      values: { 'tag.tags': ['x', 'y'], 'langfuse.trace.tags': 'a,b' },
      expected: { tags: ['a', 'b', 'x', 'y'] },
    },
    {
      values: { metadata: '{"k":"v","n":1,"o":{"a":1}}' },
      expected: { metadata: { k: 'v', n: '1', o: '{"a":1}' } },
    },
    {
      values: { 'langfuse.trace.metadata.plan': 'pro', 'langsmith.metadata.ls_run_depth': 0 },
      expected: { metadata: { plan: 'pro', ls_run_depth: '0' } },
    },
  ])('$values', ({ values, expected }) => {
    expect(map(values)).toMatchObject(expected);
  });

  it.each([
    // Why: environment precedence deployment.environment.name > deployment.environment > gen_ai.environment > langfuse.environment.
    { resource: { 'deployment.environment.name': 'a', 'deployment.environment': 'b' }, values: {}, env: 'a' },
    { resource: { 'deployment.environment': 'b' }, values: { 'gen_ai.environment': 'c' }, env: 'b' },
    { resource: {}, values: { 'gen_ai.environment': 'c', 'langfuse.environment': 'd' }, env: 'c' },
    { resource: {}, values: { 'langfuse.environment': 'd' }, env: 'd' },
    { resource: {}, values: {}, env: 'default' },
  ])('environment $env', ({ resource, values, env }) => {
    expect(map(values, { resource }).environment).toBe(env);
  });

  it('prefers a real service name over the SDK placeholder', () => {
    // Why: OpenLIT puts the real name on the span while the resource says unknown_service.
    const span = map(
      { 'service.name': 'app' },
      { resource: { 'service.name': 'unknown_service:node', 'service.version': '1.2' } },
    );
    expect(span).toMatchObject({
      serviceName: 'app',
      serviceVersion: '1.2',
      resourceAttributes: { 'service.name': 'unknown_service:node' },
    });
  });
});

describe('status', () => {
  it.each([
    {
      status: { code: 2, message: 'boom' },
      values: {},
      expected: { status: 'error', statusMessage: 'boom' },
    },
    { status: { code: 1, message: '' }, values: {}, expected: { status: 'ok' } },
    { status: { code: 0, message: '' }, values: {}, expected: { status: 'unset' } },
    // Why: Langfuse reports errors as a level, not as span status.
    {
      status: { code: 0, message: '' },
      values: { 'langfuse.observation.level': 'ERROR', 'langfuse.observation.status_message': 'bad' },
      expected: { status: 'error', statusMessage: 'bad' },
    },
    {
      status: { code: 2, message: '' },
      values: { 'error.type': 'RateLimitError' },
      expected: { errorType: 'RateLimitError' },
    },
  ])('$status.code $values', ({ status, values, expected }) => {
    expect(map(values, { status })).toMatchObject(expected);
  });

  it('takes the error type from an exception event and keeps the event', () => {
    const events = [event('exception', { 'exception.type': 'TimeoutError', 'exception.message': 'slow' }, 5)];
    const span = map({}, { status: { code: 2, message: '' }, events });
    expect(span.errorType).toBe('TimeoutError');
    expect(span.events).toEqual([
      {
        name: 'exception',
        time: '2026-11-21T05:03:54.128456789Z',
        timeUnixNano: '1795237434128456789',
        attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'slow' },
      },
    ]);
  });
});

describe('estimated usage marker', () => {
  it.each([
    // Why: @argus/sdk marks streams whose usage it estimated; the flag must reach the canonical span.
    { value: true, expected: true },
    { value: 'true', expected: true },
    // Why: absent or false means the provider reported the counts.
    { value: false, expected: false },
    { value: undefined, expected: false },
  ])('argus.usage.estimated = $value → tokensEstimated $expected', ({ value, expected }) => {
    const attributes: Record<string, unknown> = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 3,
    };
    if (value !== undefined) attributes['argus.usage.estimated'] = value;
    const span = map(attributes);
    expect(span.tokensEstimated).toBe(expected);
    expect(span.attributes['argus.usage.estimated']).toBeUndefined();
  });
});
