/**
 * The REAL `@opentelemetry/instrumentation-openai` (OTel GenAI semconv; content as log events)
 * patching the real `openai` client through its require hook, exported by the OTel JS SDK
 * (spans and logs) to Argus, which joins the content events to their spans.
 */
import { createRequire } from 'node:module';
import type { Span } from '@argus/shared';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type OpenAIType from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompatEnv,
  expectCommonCore,
  llmSpanFor,
  MODEL,
  type OtelPipeline,
  runChatScenario,
  type ScenarioTruth,
  SYSTEM,
  startCompatEnv,
  startOtelPipeline,
  textOf,
  waitForSpans,
} from './support.ts';

let env: CompatEnv;
let otel: OtelPipeline;
let truth: ScenarioTruth;
let spans: Span[];

beforeAll(async () => {
  env = await startCompatEnv();
  otel = startOtelPipeline(env.argus.url, 'otel-openai-app');
  const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
  instrumentation.setTracerProvider(otel.tracerProvider);
  instrumentation.setLoggerProvider(otel.loggerProvider);
  // 0.21.0 creates its metric instruments in the base constructor, then its class fields reset
  // them: without a meter provider set afterwards (NodeSDK sets one), streamed calls throw.
  instrumentation.setMeterProvider(new MeterProvider());
  // The instrumentation hooks `require`: load the client the way a CommonJS app (or `--require`) does.
  const OpenAI = createRequire(import.meta.url)('openai') as typeof OpenAIType;
  const openai = new OpenAI({ apiKey: 'test', baseURL: env.openaiUrl, maxRetries: 0 });
  truth = await runChatScenario(openai, 'otel');
  await otel.shutdown();
  instrumentation.disable();
  spans = await waitForSpans(
    env.argus,
    (all) => all.filter((s) => s.kind === 'llm' && s.output !== undefined).length >= 2 && all.length >= 3,
  );
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('OpenTelemetry (@opentelemetry/instrumentation-openai)', () => {
  it('the chat call carries the common core (content joined from log events) and the parameters', () => {
    const span = llmSpanFor(spans, truth.chat.prompt);
    expectCommonCore(span, truth.chat);
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(textOf(span.input, 'system')).toBe(SYSTEM);
    expect(span).toMatchObject({ operation: 'chat', convention: 'otel_genai', finishReasons: ['stop'] });
  });

  it('the streamed call carries the common core', () => {
    expectCommonCore(llmSpanFor(spans, truth.stream.prompt), truth.stream);
  });

  it('the failing call is an error span', () => {
    const failed = spans.find((s) => s.status === 'error');
    expect(failed).toMatchObject({ kind: 'llm', requestModel: MODEL, provider: 'openai' });
    expect(failed!.errorType).not.toBe('');
  });
});
