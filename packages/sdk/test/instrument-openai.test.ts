/**
 * wrapOpenAI against every supported major of the real `openai` package, the mock LLM over
 * loopback, and a real Argus server: what the API answers for each kind of call.
 */

import { countTokens, mockAnswer } from '@argus/mock-llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapOpenAI } from '../src/instrument/index.ts';
import {
  callSpan,
  collect,
  type Harness,
  inTrace,
  type Loose,
  OPENAI_VERSIONS,
  redirectFetch,
  startHarness,
} from './instrument-support.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe.each(OPENAI_VERSIONS)('%s', (_version, OpenAI) => {
  const make = (options: Record<string, unknown> = {}): Loose =>
    new OpenAI({ apiKey: 'test', baseURL: `${h.mock.url}/v1`, maxRetries: 0, ...options });
  const chat = (content: string, extra: Record<string, unknown> = {}) => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
    ...extra,
  });

  it('records a chat call: params, content, usage, cost and finish reason', async () => {
    const client = wrapOpenAI(make());
    const body = {
      model: 'gpt-4o-mini',
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 100,
      seed: 7,
      stop: ['END'],
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Tell me about foxes' },
      ],
    };
    const { traceId, result } = await inTrace(() => client.chat.completions.create(body));
    const answer = mockAnswer('Tell me about foxes');
    expect(result.choices[0].message.content).toBe(answer);
    const span = await callSpan(h.argus, traceId);
    expect(span).toMatchObject({
      name: 'chat gpt-4o-mini',
      kind: 'llm',
      provider: 'openai',
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      params: { temperature: 0.2, topP: 0.9, maxTokens: 100, seed: 7, stopSequences: ['END'] },
      inputTokens: 7,
      outputTokens: countTokens(answer),
      cacheReadTokens: 3,
      finishReasons: ['stop'],
      responseId: result.id,
      input: [
        { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Tell me about foxes' }] },
      ],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: answer }], finishReason: 'stop' }],
      attributes: { 'server.address': '127.0.0.1', 'server.port': Number(new URL(h.mock.url).port) },
    });
    expect(span.costUsd).toBeGreaterThan(0);
    expect(span.status).not.toBe('error');
  });

  it('records a streamed chat call: TTFT, accumulated text and the final usage chunk', async () => {
    const client = wrapOpenAI(make());
    const { traceId, result } = await inTrace(async () =>
      collect(
        await client.chat.completions.create(
          chat('Stream a story', { stream: true, stream_options: { include_usage: true } }),
        ),
      ),
    );
    const answer = mockAnswer('Stream a story');
    const span = await callSpan(h.argus, traceId);
    expect(span.ttftMs).toBeGreaterThan(0);
    expect(span.ttftMs).toBeLessThanOrEqual(span.durationMs);
    expect(span).toMatchObject({
      params: { stream: true },
      inputTokens: 3,
      outputTokens: countTokens(answer),
      finishReasons: ['stop'],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: answer }] }],
      attributes: { 'argus.stream.chunk_count': result.length },
    });
    expect(span.tokensEstimated).toBe(false);
  });

  it('estimates usage of a stream without a usage chunk and marks it', async () => {
    const client = wrapOpenAI(make());
    const { traceId } = await inTrace(async () =>
      collect(await client.chat.completions.create(chat('No usage here', { stream: true }))),
    );
    const span = await callSpan(h.argus, traceId);
    expect(span.outputTokens).toBe(Math.ceil(mockAnswer('No usage here').length / 4));
    expect(span.inputTokens).toBe(Math.ceil('No usage here'.length / 4));
    // The server maps the SDK's marker to the canonical flag.
    expect(span.tokensEstimated).toBe(true);
    expect(span.attributes['argus.usage.estimated']).toBeUndefined();
  });

  it.each([
    ['non-streamed', false],
    ['streamed', true],
  ])('records %s tool calls as tool_call parts, with the tool definitions', async (_case, stream) => {
    const client = wrapOpenAI(make());
    const body = chat('What does get_weather say for Paris?', { tools: [weatherTool], stream });
    const { traceId } = await inTrace(async () => {
      const result = await client.chat.completions.create(body);
      return stream ? collect(result) : result;
    });
    const span = await callSpan(h.argus, traceId);
    expect(span.finishReasons).toEqual(['tool_calls']);
    expect(span.output).toEqual([
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            id: expect.stringMatching(/^call_/),
            name: 'get_weather',
            arguments: { city: 'Paris' },
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
        parameters: weatherTool.function.parameters,
      },
    ]);
  });

  it('records n choices and logprobs (as gen_ai.choice.logprobs events)', async () => {
    const client = wrapOpenAI(make());
    const { traceId } = await inTrace(() =>
      client.chat.completions.create(chat('Two please', { n: 2, logprobs: true, top_logprobs: 1 })),
    );
    const span = await callSpan(h.argus, traceId);
    expect(span.output).toHaveLength(2);
    const events = span.events.filter((e) => e.name === 'gen_ai.choice.logprobs');
    expect(events.map((e) => e.attributes['gen_ai.choice.index'])).toEqual([0, 1]);
    expect(events[0]!.attributes['logprobs.count']).toBe(countTokens(mockAnswer('Two please', 0)));
    // Argus stores the tokens as a list (bounded for the trace view) and computes the confidence.
    const tokens = events[0]!.attributes['logprobs.content'] as { token: string }[];
    expect(tokens.map((t) => t.token).join('')).toBe(mockAnswer('Two please', 0));
    expect(span.logprobTokens).toBe(
      countTokens(mockAnswer('Two please', 0)) + countTokens(mockAnswer('Two please', 1)),
    );
  });

  it('records embeddings', async () => {
    const client = wrapOpenAI(make());
    const { traceId, result } = await inTrace(() =>
      client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello world', 'one two three'] }),
    );
    expect(result.data[0].embedding).toHaveLength(1536);
    const span = await callSpan(h.argus, traceId);
    expect(span).toMatchObject({
      name: 'embeddings text-embedding-3-small',
      kind: 'embedding',
      operation: 'embeddings',
      inputTokens: 5,
      outputTokens: 0,
      attributes: { 'gen_ai.embeddings.dimension.count': 1536 },
    });
  });

  it('records the Responses API, streamed and not', async () => {
    const client = wrapOpenAI(make());
    const body = { model: 'gpt-4o-mini', instructions: 'Be brief', input: 'Tell a tale' };
    const plain = await inTrace(() => client.responses.create(body));
    const streamed = await inTrace(async () =>
      collect(await client.responses.create({ ...body, stream: true })),
    );
    const answer = mockAnswer('Tell a tale');
    for (const { traceId } of [plain, streamed]) {
      const span = await callSpan(h.argus, traceId);
      expect(span).toMatchObject({
        name: 'chat gpt-4o-mini',
        responseModel: 'gpt-4o-mini-2024-07-18',
        inputTokens: 5,
        cacheReadTokens: 2,
        outputTokens: countTokens(answer),
        systemInstructions: [{ type: 'text', content: 'Be brief' }],
        output: [{ role: 'assistant', parts: [{ type: 'text', content: answer }], finishReason: 'stop' }],
      });
    }
    expect((await callSpan(h.argus, streamed.traceId)).ttftMs).toBeGreaterThan(0);
  });

  it('records legacy text completions', async () => {
    const client = wrapOpenAI(make());
    const { traceId } = await inTrace(() =>
      client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi', max_tokens: 40 }),
    );
    const span = await callSpan(h.argus, traceId);
    expect(span).toMatchObject({
      name: 'text_completion gpt-3.5-turbo-instruct',
      operation: 'text_completion',
      inputTokens: 2,
      output: [{ role: 'assistant', parts: [{ type: 'text', content: mockAnswer('Say hi') }] }],
    });
  });

  it.each([
    [429, 'RateLimitError'],
    [500, 'InternalServerError'],
  ])('re-throws the SDK error of a %i unchanged and records it', async (status, errorClass) => {
    const client = wrapOpenAI(make());
    const { traceId, result: caught } = await inTrace(() =>
      client.chat.completions.create(chat(`Hi [[fail:${status}]]`)).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(caught).toBeInstanceOf(OpenAI[errorClass]);
    expect((caught as { status: number }).status).toBe(status);
    const span = await callSpan(h.argus, traceId);
    expect(span).toMatchObject({
      status: 'error',
      errorType: errorClass,
      attributes: { 'http.response.status_code': status },
    });
    expect(span.events.some((e) => e.name === 'exception')).toBe(true);
  });

  it('records a stream that fails midway and re-throws its error', async () => {
    const client = wrapOpenAI(make());
    const { traceId, result } = await inTrace(async () => {
      const stream = await client.chat.completions.create(chat('Break [[fail:stream]]', { stream: true }));
      return collect(stream).then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    expect(result).toBeInstanceOf(OpenAI.APIError);
    const span = await callSpan(h.argus, traceId);
    expect(span.status).toBe('error');
  });

  it('detects Moonshot (Kimi) from the base URL', async () => {
    const client = wrapOpenAI(
      make({
        baseURL: 'https://api.moonshot.ai/v1',
        fetch: redirectFetch('https://api.moonshot.ai', h.mock),
      }),
    );
    const { traceId } = await inTrace(() =>
      client.chat.completions.create({ ...chat('Hi'), model: 'kimi-k2' }),
    );
    const span = await callSpan(h.argus, traceId);
    expect(span).toMatchObject({
      provider: 'moonshot_ai',
      attributes: { 'server.address': 'api.moonshot.ai', 'server.port': 443 },
    });
  });
});
