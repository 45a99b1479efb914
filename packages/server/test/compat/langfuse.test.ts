/**
 * The REAL Langfuse JS SDK v5 (`@langfuse/tracing` observations exported by `@langfuse/otel`'s
 * span processor to `{baseUrl}/api/public/otel/v1/traces`) instrumenting real `openai` calls by
 * hand, the way its docs show for a model call: a `generation` observation per call.
 */

import type { Span } from '@argus/shared';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { type LangfuseGeneration, propagateAttributes, startActiveObservation } from '@langfuse/tracing';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallTruth,
  type CompatEnv,
  expectCommonCore,
  llmSpanFor,
  MODEL,
  SYSTEM,
  startCompatEnv,
  waitForSpans,
} from './support.ts';

let env: CompatEnv;
let spans: Span[];
const chat: Partial<CallTruth> = { prompt: 'Tell a fable about langfuse' };
const stream: Partial<CallTruth> = { prompt: 'Stream a fable about langfuse' };
const failingPrompt = '[[fail:429]] langfuse';

/** OpenAI usage as Langfuse `usageDetails` (an OpenAI usage shape; Argus keeps the cache in input). */
function usageOf(usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }) {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
}

/** One model call recorded as a Langfuse generation. */
async function generation<T>(
  name: string,
  input: unknown,
  params: Record<string, number>,
  call: (g: LangfuseGeneration) => Promise<T>,
): Promise<T> {
  return startActiveObservation(
    name,
    async (g) => {
      g.update({ model: MODEL, modelParameters: params, input });
      try {
        return await call(g);
      } catch (error) {
        g.update({ level: 'ERROR', statusMessage: String(error) });
        throw error;
      }
    },
    { asType: 'generation' },
  );
}

beforeAll(async () => {
  env = await startCompatEnv();
  const processor = new LangfuseSpanProcessor({
    publicKey: 'pk-lf-test',
    secretKey: 'sk-lf-test',
    baseUrl: env.argus.url,
    flushAt: 1,
  });
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  provider.register();
  const openai = new OpenAI({ apiKey: 'test', baseURL: env.openaiUrl, maxRetries: 0 });
  await propagateAttributes({ userId: 'user-lf', sessionId: 'sess-lf' }, () =>
    startActiveObservation('fable-request', async () => {
      const body: ChatCompletionCreateParamsNonStreaming = {
        model: MODEL,
        temperature: 0.3,
        top_p: 0.9,
        max_tokens: 50,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: chat.prompt! },
        ],
      };
      await generation('chat', body.messages, { temperature: 0.3, top_p: 0.9, max_tokens: 50 }, async (g) => {
        const res = await openai.chat.completions.create(body);
        g.update({ output: res.choices[0]!.message, usageDetails: usageOf(res.usage!) });
        Object.assign(chat, {
          answer: res.choices[0]!.message.content,
          responseModel: MODEL,
          inputTokens: res.usage!.prompt_tokens,
          outputTokens: res.usage!.completion_tokens,
        });
      });
      const messages = [{ role: 'user' as const, content: stream.prompt! }];
      await generation('stream', messages, {}, async (g) => {
        const chunks = await openai.chat.completions.create({
          model: MODEL,
          messages,
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        for await (const chunk of chunks) {
          if (text === '' && chunk.choices[0]?.delta?.content) g.update({ completionStartTime: new Date() });
          text += chunk.choices[0]?.delta?.content ?? '';
          if (chunk.usage) {
            g.update({ usageDetails: usageOf(chunk.usage) });
            Object.assign(stream, {
              inputTokens: chunk.usage.prompt_tokens,
              outputTokens: chunk.usage.completion_tokens,
            });
          }
        }
        g.update({ output: { role: 'assistant', content: text } });
        Object.assign(stream, { answer: text, responseModel: MODEL });
      });
      const failing = [{ role: 'user' as const, content: failingPrompt }];
      await expect(
        generation('failing', failing, {}, () =>
          openai.chat.completions.create({ model: MODEL, messages: failing }),
        ),
      ).rejects.toThrow();
    }),
  );
  await processor.forceFlush();
  await provider.shutdown();
  spans = await waitForSpans(env.argus, (all) => all.length >= 4);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('Langfuse (@langfuse/tracing + @langfuse/otel)', () => {
  it('the chat generation carries the common core (no provider: Langfuse has no field for it)', () => {
    const span = llmSpanFor(spans, chat.prompt!);
    expectCommonCore(span, chat as CallTruth, { provider: '' });
    expect(span.params).toMatchObject({ temperature: 0.3, topP: 0.9, maxTokens: 50 });
    expect(span).toMatchObject({ convention: 'langfuse', userId: 'user-lf', sessionId: 'sess-lf' });
    const root = spans.find((s) => s.spanId === span.parentSpanId);
    expect(root?.name).toBe('fable-request');
  });

  it('the streamed generation has its TTFT from completionStartTime', () => {
    const span = llmSpanFor(spans, stream.prompt!);
    expectCommonCore(span, stream as CallTruth, { provider: '' });
    expect(span.ttftMs).toBeGreaterThanOrEqual(0); // defined: the time is known (0 ms is possible on loopback)
  });

  it('the failing generation is an error', () => {
    const failed = llmSpanFor(spans, failingPrompt);
    expect(failed).toMatchObject({ status: 'error' });
    expect(failed!.statusMessage).toContain('429');
  });
});
