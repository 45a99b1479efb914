/**
 * wrapAnthropic against the real `@anthropic-ai/sdk` (latest 1.x and latest 0.x), the mock LLM
 * over loopback, and a real Argus server.
 */
import AnthropicLatest from '@anthropic-ai/sdk';
import { countTokens, mockAnswer } from '@argus/mock-llm';
import AnthropicV0 from 'anthropic-v0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrapAnthropic, wrapAnthropic } from '../src/instrument/index.ts';
import {
  callSpan,
  callSpans,
  collect,
  type Harness,
  inTrace,
  type Loose,
  startHarness,
} from './instrument-support.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const VERSIONS: [string, Loose][] = [
  ['@anthropic-ai/sdk@latest', AnthropicLatest],
  ['@anthropic-ai/sdk@0', AnthropicV0],
];

const tools = [
  {
    name: 'get_weather',
    description: 'Current weather',
    input_schema: { type: 'object', properties: { city: { type: 'string' } } },
  },
];

describe.each(VERSIONS)('%s', (_version, Anthropic) => {
  const make = (): Loose => new Anthropic({ apiKey: 'test', baseURL: h.mock.url, maxRetries: 0 });
  const ask = (content: string, extra: Record<string, unknown> = {}) => ({
    model: 'claude-sonnet-4-5',
    max_tokens: 200,
    messages: [{ role: 'user', content }],
    ...extra,
  });

  it('records a message: system, cache reads and writes in the input tokens, cost', async () => {
    const client = wrapAnthropic(make());
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      temperature: 0.5,
      top_k: 40,
      system: [{ type: 'text', text: 'You tell short stories', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'A long shared document', cache_control: { type: 'ephemeral' } }],
        },
        { role: 'assistant', content: 'Read it' },
        { role: 'user', content: 'Tell a story' },
      ],
    };
    const { traceId, result } = await inTrace(() => client.messages.create(body));
    const answer = mockAnswer('Tell a story');
    expect(result.content[0].text).toBe(answer);
    const span = await callSpan(h.argus, traceId);
    expect(span).toMatchObject({
      name: 'chat claude-sonnet-4-5',
      kind: 'llm',
      provider: 'anthropic',
      requestModel: 'claude-sonnet-4-5',
      responseModel: 'claude-sonnet-4-5-20250929',
      params: { temperature: 0.5, topK: 40, maxTokens: 200 },
      // 4 cached system words read, 4 message words written, 5 uncached: input counts all 13.
      inputTokens: 13,
      cacheReadTokens: 4,
      cacheWriteTokens: 4,
      outputTokens: countTokens(answer),
      finishReasons: ['end_turn'],
      responseId: result.id,
      systemInstructions: [{ type: 'text', content: 'You tell short stories' }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: answer }], finishReason: 'stop' }],
    });
    expect(span.costUsd).toBeGreaterThan(0);
  });

  it('records a streamed message with TTFT and usage from message_delta', async () => {
    const client = wrapAnthropic(make());
    const { traceId, result } = await inTrace(async () =>
      collect(await client.messages.create(ask('Stream it', { stream: true }))),
    );
    const span = await callSpan(h.argus, traceId);
    const answer = mockAnswer('Stream it');
    expect(span.ttftMs).toBeGreaterThan(0);
    expect(span).toMatchObject({
      params: { stream: true },
      inputTokens: 2,
      outputTokens: countTokens(answer),
      finishReasons: ['end_turn'],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: answer }] }],
      attributes: { 'argus.stream.chunk_count': result.length },
    });
  });

  it('traces messages.stream() once, and its events and final message still work', async () => {
    const client = wrapAnthropic(make());
    const { traceId, result } = await inTrace(async () => {
      const stream = client.messages.stream(ask('Helper stream'));
      const texts: string[] = [];
      stream.on('text', (text: string) => texts.push(text));
      const message = await stream.finalMessage();
      return { texts, message };
    });
    expect(result.texts.join('')).toBe(mockAnswer('Helper stream'));
    expect(result.message.content[0].text).toBe(mockAnswer('Helper stream'));
    const spans = await callSpans(h.argus, traceId);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.output).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: mockAnswer('Helper stream') }],
        finishReason: 'stop',
      },
    ]);
  });

  it.each([
    ['non-streamed', false],
    ['streamed', true],
  ])('records %s tool_use blocks as tool_call parts', async (_case, stream) => {
    const client = wrapAnthropic(make());
    const { traceId } = await inTrace(async () => {
      const result = await client.messages.create(ask('get_weather for Oslo', { tools, stream }));
      return stream ? collect(result) : result;
    });
    const span = await callSpan(h.argus, traceId);
    expect(span.finishReasons).toEqual(['tool_use']);
    expect(span.output).toEqual([
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            id: expect.stringMatching(/^toolu_/),
            name: 'get_weather',
            arguments: { city: 'Oslo' },
          },
        ],
        finishReason: 'tool_call',
      },
    ]);
    expect(span.toolDefinitions).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'Current weather',
        parameters: tools[0]!.input_schema,
      },
    ]);
  });

  it('records a tool result turn as a tool message', async () => {
    const client = wrapAnthropic(make());
    const { traceId } = await inTrace(() =>
      client.messages.create({
        ...ask('get_weather for Oslo', { tools }),
        messages: [
          { role: 'user', content: 'get_weather for Oslo' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Cold' }] },
        ],
      }),
    );
    const span = await callSpan(h.argus, traceId);
    expect((span.input as unknown[]).at(-1)).toEqual({
      role: 'tool',
      parts: [{ type: 'tool_call_response', id: 'toolu_1', response: 'Cold' }],
    });
  });

  it.each([
    [429, 'RateLimitError'],
    [500, 'InternalServerError'],
  ])('re-throws the SDK error of a %i unchanged and records it', async (status, errorClass) => {
    const client = wrapAnthropic(make());
    const { traceId, result: caught } = await inTrace(() =>
      client.messages.create(ask(`Hi [[fail:${status}]]`)).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(caught).toBeInstanceOf(Anthropic[errorClass]);
    const span = await callSpan(h.argus, traceId);
    expect(span).toMatchObject({ status: 'error', errorType: errorClass });
  });

  it('records a stream that fails midway', async () => {
    const client = wrapAnthropic(make());
    const { traceId, result } = await inTrace(async () =>
      collect(await client.messages.create(ask('Go [[fail:stream]]', { stream: true }))).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(result).toBeInstanceOf(Anthropic.APIError);
    expect((await callSpan(h.argus, traceId)).status).toBe('error');
  });

  it("makes one span per call: the SDK's own spans are off while wrapped, back after unwrap", async () => {
    const client = make();
    const before = await inTrace(() => client.messages.create(ask('Native')));
    const nativeSpans = await callSpans(h.argus, before.traceId);
    // Both majors tested emit their own call span when a global tracer provider is registered.
    expect(nativeSpans.map((s) => s.scope)).toEqual(['com.anthropic.sdk.typescript']);
    wrapAnthropic(client);
    const wrapped = await inTrace(() => client.messages.create(ask('Native')));
    expect((await callSpans(h.argus, wrapped.traceId)).map((s) => s.scope)).toEqual(['@argus/sdk']);
    unwrapAnthropic(client);
    const after = await inTrace(() => client.messages.create(ask('Native')));
    expect((await callSpans(h.argus, after.traceId, nativeSpans.length)).map((s) => s.scope)).toEqual(
      nativeSpans.map((s) => s.scope),
    );
  });

  it('unwraps to the original methods; wrapping twice is a no-op', () => {
    const client = make();
    const original = client.messages.create;
    wrapAnthropic(client);
    const wrapped = client.messages.create;
    expect(wrapAnthropic(client).messages.create).toBe(wrapped);
    unwrapAnthropic(client);
    expect(client.messages.create).toBe(original);
    expect(Object.hasOwn(client.messages, 'create')).toBe(false);
  });

  it('gives the app exactly what an unwrapped client gives', async () => {
    const plain = make();
    const client = wrapAnthropic(make());
    const body = ask('Same answer', { tools, tool_choice: { type: 'auto' } });
    expect(await client.messages.create(body)).toEqual(await plain.messages.create(body));
    const streamBody = ask('Same stream', { stream: true });
    expect(await collect(await client.messages.create(streamBody))).toEqual(
      await collect(await plain.messages.create(streamBody)),
    );
    const final = async (c: Loose) => c.messages.stream(ask('Same helper')).finalMessage();
    expect(await final(client)).toEqual(await final(plain));
  });
});
