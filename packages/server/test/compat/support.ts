/**
 * The compatibility matrix's common ground: one Argus server and one mock LLM per test file,
 * one scenario every library runs (a chat call with parameters, a streamed call, a failing
 * call), and the core every library's LLM span must show the same way in the API.
 */
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Message, Span } from '@argus/shared';
import { logs } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type OpenAI from 'openai';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

/** A running Argus server and mock provider. */
export interface CompatEnv {
  argus: TestServer;
  mock: MockLlm;
  /** Base URL OpenAI clients use (`…/v1`). */
  openaiUrl: string;
  close(): Promise<void>;
}

/** Starts the server and the mock (loopback only). */
export async function startCompatEnv(): Promise<CompatEnv> {
  const [argus, mock] = await Promise.all([startTestServer(), startMockLlm()]);
  return {
    argus,
    mock,
    openaiUrl: `${mock.url}/v1`,
    async close() {
      await Promise.all([argus.stop(), mock.close()]);
    },
  };
}

export const MODEL = 'gpt-4o-mini';
export const SYSTEM = 'You are a terse storyteller.';

/** What the program saw from the provider: the ground truth Argus must show. */
export interface CallTruth {
  /** The model the program asked for; {@link MODEL} when absent. */
  requestModel?: string;
  prompt: string;
  answer: string;
  responseModel: string;
  inputTokens: number;
  outputTokens: number;
}

/** What {@link runChatScenario} did. */
export interface ScenarioTruth {
  chat: CallTruth;
  stream: CallTruth;
  /** The prompt of the call that failed (the mock answered 429). */
  failingPrompt: string;
}

/**
 * The scenario every OpenAI-based library runs: a chat completion with temperature/top_p/max
 * tokens and a system prompt, a streamed completion with usage, and a call the provider rejects.
 * The client must have `maxRetries: 0` so the failure is one call.
 */
export async function runChatScenario(openai: OpenAI, tag: string): Promise<ScenarioTruth> {
  const prompt = `Tell a fable about ${tag}`;
  const chat = await openai.chat.completions.create({
    model: MODEL,
    temperature: 0.3,
    top_p: 0.9,
    max_tokens: 50,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: prompt },
    ],
  });
  const streamPrompt = `Stream a fable about ${tag}`;
  const stream = await openai.chat.completions.create({
    model: MODEL,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: streamPrompt }],
  });
  let streamed = '';
  let streamUsage = { prompt_tokens: 0, completion_tokens: 0 };
  let streamModel = '';
  for await (const chunk of stream) {
    streamed += chunk.choices[0]?.delta?.content ?? '';
    streamModel = chunk.model;
    if (chunk.usage) streamUsage = chunk.usage;
  }
  const failingPrompt = `[[fail:429]] ${tag}`;
  await expect(
    openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: failingPrompt }] }),
  ).rejects.toThrow();
  return {
    chat: {
      prompt,
      answer: chat.choices[0]?.message.content ?? '',
      responseModel: chat.model,
      inputTokens: chat.usage?.prompt_tokens ?? 0,
      outputTokens: chat.usage?.completion_tokens ?? 0,
    },
    stream: {
      prompt: streamPrompt,
      answer: streamed,
      responseModel: streamModel,
      inputTokens: streamUsage.prompt_tokens,
      outputTokens: streamUsage.completion_tokens,
    },
    failingPrompt,
  };
}

/** Every span Argus holds, full (each compat file has its own server, so all are this library's). */
export async function fetchAllSpans(argus: TestServer): Promise<Span[]> {
  const list = await argus.get<{ data: { traceId: string }[] }>('/api/v1/traces?limit=1000');
  const spans: Span[] = [];
  for (const { traceId } of list.data) {
    spans.push(...(await argus.get<{ spans: Span[] }>(`/api/v1/traces/${traceId}`)).spans);
  }
  return spans;
}

/** Polls until `ready(spans)` holds (exporters batch, logs join later), then returns the spans. */
export async function waitForSpans(
  argus: TestServer,
  ready: (spans: Span[]) => boolean,
  timeoutMs = 30_000,
): Promise<Span[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = await fetchAllSpans(argus);
    if (ready(spans) || Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text of a normalized message list's messages of one role, joined. */
export function textOf(messages: unknown, role: string): string {
  if (!Array.isArray(messages)) return '';
  return (messages as Message[])
    .filter((m) => m.role === role)
    .flatMap((m) => m.parts.filter((p) => p.type === 'text').map((p) => p.content ?? ''))
    .join('\n');
}

/** The llm span whose user input is `prompt`. */
export function llmSpanFor(spans: Span[], prompt: string): Span | undefined {
  return spans.find((s) => s.kind === 'llm' && textOf(s.input, 'user').includes(prompt));
}

/** Known, documented gaps of a library for one call (see docs/compatibility.md). */
export interface CoreGaps {
  /** The library has no provider field: the span shows this one instead. */
  provider?: string;
  /**
   * The tokens are not the provider's: `argus` when the library records no usage (Argus
   * estimates, `tokensEstimated`), `library` when the library counts with its own tokenizer.
   */
  estimatedTokens?: 'argus' | 'library';
  /** The library records no response model: the span shows this one instead. */
  responseModel?: string;
}

/**
 * The core every library's LLM span must show alike: kind, provider, request/response model,
 * input and output text as normalized messages, token counts and a cost.
 */
export function expectCommonCore(
  span: Span | undefined,
  truth: CallTruth,
  gaps: CoreGaps = {},
): asserts span is Span {
  expect(span, `no llm span with input '${truth.prompt}'`).toBeDefined();
  expect(span).toMatchObject({
    kind: 'llm',
    provider: gaps.provider ?? 'openai',
    requestModel: truth.requestModel ?? MODEL,
    responseModel: gaps.responseModel ?? truth.responseModel,
  });
  if (gaps.estimatedTokens) {
    expect(span).toMatchObject({ tokensEstimated: gaps.estimatedTokens === 'argus' });
    expect(span!.inputTokens).toBeGreaterThan(0);
    expect(span!.outputTokens).toBeGreaterThan(0);
  } else {
    expect(span).toMatchObject({
      tokensEstimated: false,
      inputTokens: truth.inputTokens,
      outputTokens: truth.outputTokens,
    });
  }
  expect(textOf(span!.input, 'user')).toBe(truth.prompt);
  expect(textOf(span!.output, 'assistant')).toBe(truth.answer);
  expect(span!.costUsd).toBeGreaterThan(0);
}

/** An OTel SDK pipeline exporting spans (and logs) to Argus over OTLP/HTTP protobuf. */
export interface OtelPipeline {
  tracerProvider: NodeTracerProvider;
  loggerProvider: LoggerProvider;
  /** Flushes and shuts both providers down. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider (with the async-hooks context manager, so nested calls nest) and
 * a logger provider globally, both exporting to Argus; `serviceName` names the resource.
 */
export function startOtelPipeline(argusUrl: string, serviceName: string): OtelPipeline {
  const resource = resourceFromAttributes({ 'service.name': serviceName });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${argusUrl}/v1/traces` }))],
  });
  tracerProvider.register();
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${argusUrl}/v1/logs` }) }),
    ],
  });
  logs.setGlobalLoggerProvider(loggerProvider);
  return {
    tracerProvider,
    loggerProvider,
    async shutdown() {
      await tracerProvider.forceFlush();
      await loggerProvider.forceFlush();
      await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
    },
  };
}
