/**
 * The same chat call ("Hi" → "Hello!", gpt-4o, temperature 0.2, max_tokens 100, 120 input
 * tokens of which 100 cached, 12 output, TTFT 410.2 ms) as each convention sends it
 * (conventions.md Appendix A, completed from sections 1–2 of the same document).
 */
import type { AttrValue } from '../otlp/types.ts';
import { event, type SpanOptions, START_NS } from './builders.test-util.ts';

/** One dialect's rendering of the call. */
export interface DialectCase {
  /** Test name. */
  name: string;
  /** Why the case exists (printed in failures via the name, kept here for readers). */
  why: string;
  attributes: Record<string, AttrValue>;
  options?: SpanOptions;
  /** Log records (OTel 1.28–1.36) carrying the content: `[eventName, body]`. */
  logs?: [string, AttrValue][];
  /** Canonical fields this generation cannot carry, so they are not asserted. */
  lacks?: ('cacheReadTokens' | 'ttftMs' | 'finishReasons' | 'responseModel' | 'maxTokens' | 'provider')[];
  convention: string;
}

const TTFT_ISO = '2026-11-21T05:03:54.533656789Z'; // START_NS + 410.2 ms

export const DIALECT_CASES: DialectCase[] = [
  {
    name: 'OTel GenAI >=1.37 (JSON-string message attributes)',
    why: 'the current semconv: content as JSON strings on the span, TTFT in seconds',
    convention: 'otel_genai',
    options: { name: 'chat gpt-4o', kind: 3 },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.response.time_to_first_chunk': 0.4102,
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
      'gen_ai.output.messages':
        '[{"role":"assistant","parts":[{"type":"text","content":"Hello!"}],"finish_reason":"stop"}]',
    },
  },
  {
    name: 'OTel GenAI 1.28-1.36 (content as log events)',
    why: 'OTel-contrib default: the span has no content; it arrives on /v1/logs and is merged',
    convention: 'otel_genai',
    lacks: ['cacheReadTokens', 'ttftMs'],
    options: { name: 'chat gpt-4o', kind: 3 },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 12,
    },
    logs: [
      ['gen_ai.user.message', { content: 'Hi' }],
      ['gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: 'Hello!' } }],
    ],
  },
  {
    name: 'OTel GenAI <=1.26 (span events, Python-repr strings, prompt/completion tokens)',
    why: 'oldest generation: gen_ai.content.* span events whose strings are Python repr',
    convention: 'otel_genai',
    lacks: ['cacheReadTokens', 'ttftMs'],
    options: {
      name: 'chat gpt-4o',
      events: [
        event('gen_ai.content.prompt', { 'gen_ai.prompt': "[{'role': 'user', 'content': 'Hi'}]" }, 1),
        event(
          'gen_ai.content.completion',
          { 'gen_ai.completion': "[{'role': 'assistant', 'content': 'Hello!'}]" },
          900,
        ),
      ],
    },
    attributes: {
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.prompt_tokens': 120,
      'gen_ai.usage.completion_tokens': 12,
    },
  },
  {
    name: 'OpenLIT legacy 2024 (gen_ai.content.* events with "role: content" text)',
    why: 'DataKit-era OpenLIT: flattened "user: Hi" prompt text, app/env on span attributes, reported cost',
    convention: 'openlit',
    lacks: ['cacheReadTokens', 'ttftMs', 'finishReasons'],
    options: {
      name: 'openai.chat.completions',
      events: [
        event('gen_ai.content.prompt', { 'gen_ai.prompt': 'user: Hi' }, 1),
        event('gen_ai.content.completion', { 'gen_ai.completion': 'Hello!' }, 900),
      ],
    },
    attributes: {
      'gen_ai.system': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.endpoint': 'openai.chat.completions',
      'gen_ai.application_name': 'app',
      'gen_ai.environment': 'default',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.usage.total_tokens': 132,
      'gen_ai.usage.cost': 0.0003,
    },
  },
  {
    name: 'OpenLIT current (OTel-aligned + cost + TTFT seconds)',
    why: 'OpenLIT HEAD: >=1.37 content plus its own cost and server TTFT attributes, service on the span',
    convention: 'openlit',
    options: { name: 'chat gpt-4o', kind: 3, scope: 'openlit.otel.tracing' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.usage.cost': 0.0003,
      'gen_ai.server.time_to_first_token': 0.4102,
      'service.name': 'app',
      'deployment.environment': 'prod',
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
      'gen_ai.output.messages':
        '[{"role":"assistant","parts":[{"type":"text","content":"Hello!"}],"finish_reason":"stop"}]',
    },
  },
  {
    name: 'OpenInference (flattened messages, invocation parameters JSON)',
    why: 'Phoenix: llm.* keys, flattened llm.input_messages.{i}, request model only in the payload',
    convention: 'openinference',
    lacks: ['ttftMs'],
    options: { name: 'ChatCompletion', scope: 'openinference.instrumentation.openai' },
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-2024-08-06',
      'llm.system': 'openai',
      'llm.provider': 'openai',
      'llm.invocation_parameters': '{"temperature":0.2,"max_tokens":100}',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Hi',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hello!',
      'llm.finish_reason': 'stop',
      'llm.token_count.prompt': 120,
      'llm.token_count.prompt_details.cache_read': 100,
      'llm.token_count.completion': 12,
      'llm.token_count.total': 132,
      'input.value': '{"messages":[{"role":"user","content":"Hi"}],"model":"gpt-4o"}',
      'input.mime_type': 'application/json',
    },
  },
  {
    name: 'OpenLLMetry legacy (indexed gen_ai.prompt.{i}.*)',
    why: 'Traceloop before 2026-03: flattened prompt/completion, no-dot cache key, llm.usage.total_tokens',
    convention: 'openllmetry',
    lacks: ['ttftMs'],
    options: { name: 'openai.chat', scope: 'opentelemetry.instrumentation.openai.v1' },
    attributes: {
      'llm.request.type': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Hi',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': 'Hello!',
      'gen_ai.completion.0.finish_reason': 'stop',
      'gen_ai.usage.prompt_tokens': 120,
      'gen_ai.usage.completion_tokens': 12,
      'llm.usage.total_tokens': 132,
      'gen_ai.usage.cache_read_input_tokens': 100,
      'traceloop.workflow.name': 'my_flow',
      'traceloop.association.properties.session_id': 's1',
    },
  },
  {
    name: 'OpenLLMetry HEAD (provider.name + JSON messages, still llm.request.type)',
    why: 'Traceloop after PR #3844: OTel names but its own span names and kind marker',
    convention: 'openllmetry',
    lacks: ['ttftMs'],
    options: { name: 'openai.chat' },
    attributes: {
      'llm.request.type': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.usage.total_tokens': 132,
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
      'gen_ai.output.messages':
        '[{"role":"assistant","parts":[{"type":"text","content":"Hello!"}],"finish_reason":"stop"}]',
    },
  },
  {
    name: 'Langfuse SDK v3+ (observation attributes, uncached usage_details input)',
    why: 'usage_details.input EXCLUDES cache: 20 + 100 cached must become 120; TTFT from an ISO time',
    convention: 'langfuse',
    lacks: ['provider', 'finishReasons'],
    options: { name: 'generation', scope: 'langfuse-sdk' },
    attributes: {
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o-2024-08-06',
      'gen_ai.request.model': 'gpt-4o',
      'langfuse.observation.model.parameters': '{"temperature":0.2,"max_tokens":100}',
      'langfuse.observation.input': '[{"role":"user","content":"Hi"}]',
      'langfuse.observation.output': '{"role":"assistant","content":"Hello!"}',
      'langfuse.observation.usage_details': '{"input":20,"output":12,"input_cache_read":100}',
      'langfuse.observation.completion_start_time': JSON.stringify(TTFT_ISO),
      'user.id': 'u1',
      'session.id': 's1',
      'langfuse.trace.tags': ['a'],
    },
  },
  {
    name: 'Vercel AI SDK legacy inner span (ai.streamText.doStream)',
    why: 'scope "ai": provider "openai.chat" must lose its suffix, TTFT in MILLISECONDS, Vercel messages',
    convention: 'vercel_ai',
    options: { name: 'ai.streamText.doStream', scope: 'ai' },
    attributes: {
      'ai.operationId': 'ai.streamText.doStream',
      'ai.model.id': 'gpt-4o',
      'ai.model.provider': 'openai.chat',
      'gen_ai.system': 'openai.chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'ai.prompt.messages': '[{"role":"user","content":[{"type":"text","text":"Hi"}]}]',
      'ai.response.text': 'Hello!',
      'ai.response.finishReason': 'stop',
      'ai.response.msToFirstChunk': 410.2,
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 12,
      'ai.usage.cachedInputTokens': 100,
    },
  },
  {
    name: 'LangSmith OTel export (non-indexed gen_ai.prompt/completion JSON blobs)',
    why: 'scalar gen_ai.prompt must not be confused with OpenLLMetry indexed keys; LangChain message shapes',
    convention: 'langsmith',
    lacks: ['ttftMs'],
    options: { name: 'ChatOpenAI' },
    attributes: {
      'langsmith.span.kind': 'llm',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 12,
      'gen_ai.usage.total_tokens': 132,
      'gen_ai.usage.input_token_details': '{"cache_read":100}',
      'gen_ai.prompt':
        '{"messages":[[{"lc":1,"type":"constructor","id":["langchain","schema","messages","HumanMessage"],"kwargs":{"content":"Hi"}}]]}',
      'gen_ai.completion':
        '{"generations":[[{"text":"Hello!","generation_info":{"finish_reason":"stop"},"message":{"lc":1,"type":"constructor","id":["langchain","schema","messages","AIMessage"],"kwargs":{"content":"Hello!","type":"ai"}}}]]}',
    },
  },
];

/** Start time of every case, for TTFT arithmetic. */
export const CASE_START_NS = START_NS;
