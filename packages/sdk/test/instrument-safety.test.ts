/**
 * Instrumentation never breaks the application: throwing tracers and spans, unsampled calls,
 * other client shapes, capture settings and redaction. Spans are read from an in-memory
 * exporter; the LLM is the mock over loopback.
 */

import { type MockLlm, mockAnswer, startMockLlm } from '@argus/mock-llm';
import { context, type Span, SpanKind, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, setConfig } from '../src/config.ts';
import { unwrapOpenAI, wrapOpenAI } from '../src/instrument/index.ts';
import { collect } from './instrument-support.ts';

let mock: MockLlm;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 0 });
});
afterAll(() => mock.close());
afterEach(() => {
  exporter.reset();
  setConfig(undefined);
});

const make = () => new OpenAI({ apiKey: 'test', baseURL: `${mock.url}/v1`, maxRetries: 0 });
const chat = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content }] });

/**
 * A provider whose tracer throws in `startSpan`, or whose spans throw in every method
 * (`span`), or in every method but `setAttributes`, so the call is traced and each later step
 * (response, stream chunks, end, errors) throws (`late`).
 */
function throwingProvider(where: 'startSpan' | 'span' | 'late'): TracerProvider {
  const boom = () => {
    throw new Error('telemetry is broken');
  };
  const span = new Proxy({} as Span, {
    get: (_target, key) => {
      if (key === 'isRecording') return () => true;
      if (key === 'setAttributes' && where === 'late') return () => span;
      return boom;
    },
  });
  const tracer = {
    startSpan: where === 'startSpan' ? boom : () => span,
    startActiveSpan: boom,
  } as unknown as Tracer;
  return { getTracer: () => tracer };
}

describe('instrumentation failures never reach the app', () => {
  it.each(['startSpan', 'span', 'late'] as const)(
    'a tracer whose %s throws: calls, streams and errors behave as unwrapped',
    async (where) => {
      const client = wrapOpenAI(make(), { tracerProvider: throwingProvider(where) });
      const result = await client.chat.completions.create(chat('Still works'));
      expect(result.choices[0]!.message.content).toBe(mockAnswer('Still works'));
      const chunks = await collect(
        await client.chat.completions.create({ ...chat('Still streams'), stream: true }),
      );
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(mockAnswer('Still streams'));
      await expect(client.chat.completions.create(chat('[[fail:429]]'))).rejects.toBeInstanceOf(
        OpenAI.RateLimitError,
      );
    },
  );

  it('re-throws the very error object of a client that returns plain promises', async () => {
    const failure = new Error('custom failure');
    const client = { baseURL: 'http://x', chat: { completions: { create: () => Promise.reject(failure) } } };
    wrapOpenAI(client, { tracerProvider: provider });
    await expect(client.chat.completions.create()).rejects.toBe(failure);
    expect(exporter.getFinishedSpans()[0]?.attributes['error.type']).toBe('Error');
  });

  it('re-throws a synchronous throw of the SDK method unchanged', () => {
    const failure = new TypeError('bad arguments');
    const client = {
      chat: {
        completions: {
          create: () => {
            throw failure;
          },
        },
      },
    };
    wrapOpenAI(client, { tracerProvider: provider });
    expect(() => client.chat.completions.create()).toThrow(failure);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('leaves unsampled calls untouched and records nothing', async () => {
    const unsampled = new BasicTracerProvider({
      sampler: new AlwaysOffSampler(),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const client = wrapOpenAI(make(), { tracerProvider: unsampled });
    const promise = client.chat.completions.create(chat('Unsampled'));
    // A traced call shadows `parse` on the APIPromise; an unsampled one is returned untouched.
    expect(Object.hasOwn(promise, 'parse')).toBe(false);
    expect((await promise).choices[0]!.message.content).toBe(mockAnswer('Unsampled'));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('returns non-objects and unknown shapes as they are', () => {
    expect(wrapOpenAI(undefined)).toBeUndefined();
    const odd = { chat: 42 };
    expect(wrapOpenAI(odd)).toBe(odd);
    expect(unwrapOpenAI(odd)).toBe(odd);
  });
});

describe('content capture', () => {
  it('records no content when captureContent is off', async () => {
    const client = wrapOpenAI(make(), { tracerProvider: provider, captureContent: false });
    await collect(await client.chat.completions.create({ ...chat('Secret prompt'), stream: true }));
    const span = exporter.getFinishedSpans()[0]!;
    expect(Object.keys(span.attributes).filter((k) => /messages|instructions|definitions/.test(k))).toEqual(
      [],
    );
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  });

  it('applies the configured redact to prompts, completions and tool arguments', async () => {
    setConfig(resolveConfig({ redact: (text) => text.replaceAll('Paris', '[city]') }, {}));
    const client = wrapOpenAI(make(), { tracerProvider: provider });
    await client.chat.completions.create({
      ...chat('Weather in Paris? use get_weather'),
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
    });
    const attributes = exporter.getFinishedSpans()[0]!.attributes;
    expect(String(attributes['gen_ai.input.messages'])).toContain('Weather in [city]?');
    expect(JSON.parse(String(attributes['gen_ai.output.messages']))[0].parts[0].arguments).toEqual({
      city: '[city]',
    });
    expect(JSON.stringify(attributes)).not.toContain('Paris');
  });

  it('takes the provider option over detection (vLLM has no recognizable host)', async () => {
    const client = wrapOpenAI(make(), { tracerProvider: provider, provider: 'vllm' });
    await client.chat.completions.create(chat('Provider option'));
    const span = exporter.getFinishedSpans()[0]!;
    expect(span.attributes['gen_ai.provider.name']).toBe('vllm');
    expect(span.kind).toBe(SpanKind.CLIENT);
  });

  it('keeps the span active while the SDK sends the request (HTTP spans nest under it)', async () => {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    try {
      let activeSpanId: string | undefined;
      const spyFetch: typeof fetch = (input, init) => {
        activeSpanId = trace.getSpan(context.active())?.spanContext().spanId;
        return fetch(input, init);
      };
      const client = wrapOpenAI(new OpenAI({ apiKey: 'test', baseURL: `${mock.url}/v1`, fetch: spyFetch }), {
        tracerProvider: provider,
      });
      await client.chat.completions.create(chat('Active span'));
      expect(activeSpanId).toBe(exporter.getFinishedSpans()[0]!.spanContext().spanId);
    } finally {
      context.disable();
    }
  });
});
