/**
 * The REAL Vercel AI SDK (`ai` 7 + `@ai-sdk/openai`, telemetry through its `@ai-sdk/otel`
 * integration) calling the mock provider, exported by the OTel JS SDK to Argus.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry } from '@ai-sdk/otel';
import type { Span } from '@argus/shared';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallTruth,
  type CompatEnv,
  expectCommonCore,
  llmSpanFor,
  MODEL,
  type OtelPipeline,
  SYSTEM,
  startCompatEnv,
  startOtelPipeline,
  waitForSpans,
} from './support.ts';

let env: CompatEnv;
let otel: OtelPipeline;
let spans: Span[];
const chat: Partial<CallTruth> = { prompt: 'Tell a fable about vercel' };
const stream: Partial<CallTruth> = { prompt: 'Stream a fable about vercel' };
const failingPrompt = '[[fail:429]] vercel';

beforeAll(async () => {
  env = await startCompatEnv();
  otel = startOtelPipeline(env.argus.url, 'vercel-app');
  const telemetry = {
    isEnabled: true,
    functionId: 'fable',
    integrations: new OpenTelemetry({ tracer: otel.tracerProvider.getTracer('ai') }),
  };
  const model = createOpenAI({ baseURL: env.openaiUrl, apiKey: 'test' }).chat(MODEL);
  const result = await generateText({
    model,
    system: SYSTEM,
    prompt: chat.prompt!,
    temperature: 0.3,
    topP: 0.9,
    maxOutputTokens: 50,
    experimental_telemetry: telemetry,
  });
  Object.assign(chat, {
    answer: result.text,
    responseModel: result.response.modelId,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
  });
  const streamed = streamText({ model, prompt: stream.prompt!, experimental_telemetry: telemetry });
  let text = '';
  for await (const delta of streamed.textStream) text += delta;
  const usage = await streamed.usage;
  Object.assign(stream, {
    answer: text,
    responseModel: (await streamed.response).modelId,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
  });
  await expect(
    generateText({ model, prompt: failingPrompt, maxRetries: 0, experimental_telemetry: telemetry }),
  ).rejects.toThrow();
  await otel.shutdown();
  spans = await waitForSpans(env.argus, (all) => all.filter((s) => s.kind === 'llm').length >= 3);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('Vercel AI SDK (ai + @ai-sdk/openai + @ai-sdk/otel)', () => {
  it('the chat call carries the common core and the parameters under an agent root', () => {
    const span = llmSpanFor(spans, chat.prompt!);
    expectCommonCore(span, chat as CallTruth);
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(span.systemInstructions).toEqual([{ type: 'text', content: SYSTEM }]);
    const parent = spans.find((s) => s.spanId === span.parentSpanId);
    expect(parent?.kind).toBe('agent');
    expect(span.serviceName).toBe('vercel-app');
  });

  it('the streamed call has a TTFT', () => {
    const span = llmSpanFor(spans, stream.prompt!);
    expectCommonCore(span, stream as CallTruth);
    expect(span.ttftMs).toBeGreaterThanOrEqual(0); // defined: the time is known (0 ms is possible on loopback)
  });

  it('the failing call is an error', () => {
    const failed = spans.filter((s) => s.status === 'error');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.some((s) => s.kind === 'llm' && s.requestModel === MODEL)).toBe(true);
  });
});
