import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { type MockLlm, startMockLlm } from './server.ts';
import { countTokens, mockAnswer } from './text.ts';

let mock: MockLlm;
let url: string;
beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 0 });
  url = `${mock.url}/v1/chat/completions`;
});
afterAll(() => mock.close());

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { enum: ['c', 'f'] } },
    },
  },
};

describe('POST /v1/chat/completions', () => {
  it('answers deterministically with words-based usage and a dated model', async () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Tell me a story' },
      ],
    };
    const first = await post(url, body);
    const second = await post(url, body);
    const answer = mockAnswer('Tell me a story');
    expect(first.status).toBe(200);
    expect(first.json).toEqual(second.json);
    expect(first.json).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        { index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop', logprobs: null },
      ],
      usage: {
        prompt_tokens: 7,
        completion_tokens: countTokens(answer),
        total_tokens: 7 + countTokens(answer),
        // The system prompt counts as the cached prefix.
        prompt_tokens_details: { cached_tokens: 3 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(first.json.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(first.headers.get('x-request-id')).toMatch(/^req_/);
    // A story request gets a fable.
    expect(answer).toMatch(/^Once upon a time, an? \w+ learned to [\w ]+\.$/);
  });

  it('reports reasoning tokens for o-series models, inside completion tokens', async () => {
    const { json } = await post(url, { model: 'o4-mini', messages: [{ role: 'user', content: 'Think' }] });
    const words = countTokens(mockAnswer('Think'));
    expect(json.model).toBe('o4-mini-2025-04-16');
    expect(json.usage.completion_tokens_details.reasoning_tokens).toBe(2 * words);
    expect(json.usage.completion_tokens).toBe(3 * words);
  });

  it('returns n choices, logprobs and a length finish under max_tokens', async () => {
    const { json } = await post(url, {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      n: 2,
      logprobs: true,
      top_logprobs: 2,
      max_tokens: 3,
    });
    expect(json.choices).toHaveLength(2);
    expect(json.choices[0].message.content).toBe(mockAnswer('Hi', 0).split(' ').slice(0, 3).join(' '));
    expect(json.choices[1].message.content).toBe(mockAnswer('Hi', 1).split(' ').slice(0, 3).join(' '));
    expect(json.choices.map((c: { finish_reason: string }) => c.finish_reason)).toEqual(['length', 'length']);
    expect(json.usage.completion_tokens).toBe(6);
    const lp = json.choices[0].logprobs.content;
    expect(lp.map((t: { token: string }) => t.token).join('')).toBe(json.choices[0].message.content);
    expect(lp[0].top_logprobs).toHaveLength(2);
    expect(lp[0].logprob).toBeLessThanOrEqual(0);
  });

  it.each([
    // The user names the tool.
    ['mention', { messages: [{ role: 'user', content: 'What is the get_weather in Paris?' }] }],
    // tool_choice forces some tool although the message does not ask.
    ['required', { messages: [{ role: 'user', content: 'Hello Paris' }], tool_choice: 'required' }],
    // tool_choice names the function.
    [
      'named',
      {
        messages: [{ role: 'user', content: 'Hello Paris' }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      },
    ],
  ])('calls a tool (%s)', async (_case, extra) => {
    const { json } = await post(url, { model: 'gpt-4o-mini', tools: [weatherTool], ...extra });
    const message = json.choices[0].message;
    expect(json.choices[0].finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    expect(message.tool_calls[0]).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(message.tool_calls[0].function.arguments)).toEqual({
      city: 'Paris',
      days: 42,
      unit: 'c',
    });
    expect(message.tool_calls[0].id).toMatch(/^call_/);
  });

  it('answers with text after a tool result and when tool_choice is none', async () => {
    const afterTool = await post(url, {
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Use get_weather for Paris' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      ],
    });
    expect(afterTool.json.choices[0].finish_reason).toBe('stop');
    const none = await post(url, {
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      tool_choice: 'none',
      messages: [{ role: 'user', content: 'Use get_weather' }],
    });
    expect(none.json.choices[0].message.content).toBe(mockAnswer('Use get_weather'));
  });

  it('streams word chunks and a final usage chunk', async () => {
    const { events, headers } = await post(url, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    const answer = mockAnswer('Stream please');
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(answer);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 2, completion_tokens: countTokens(answer) },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null && c.object === 'chat.completion.chunk')).toBe(
      true,
    );
  });

  it('streams without usage unless asked, and streams tool-call arguments in fragments', async () => {
    const { events } = await post(url, {
      model: 'gpt-4o-mini',
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'get_weather in Rome' }],
      stream: true,
    });
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    const calls = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(JSON.parse(calls.map((c) => c.function.arguments).join(''))).toEqual({
      city: 'Rome',
      days: 42,
      unit: 'c',
    });
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('breaks a stream midway on [[fail:stream]]', async () => {
    const { events } = await post(url, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Go [[fail:stream]]' }],
      stream: true,
    });
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ error: { type: 'server_error' } });
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
  });

  it('rejects a request without messages', async () => {
    const { status, json } = await post(url, { model: 'gpt-4o-mini' });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({
      type: 'invalid_request_error',
      message: "Missing required parameter: 'messages'",
    });
  });
});

describe('POST /v1/completions (legacy)', () => {
  it('answers a prompt and streams it', async () => {
    const body = { model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi', max_tokens: 50 };
    const { json } = await post(`${mock.url}/v1/completions`, body);
    expect(json).toMatchObject({
      object: 'text_completion',
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ text: mockAnswer('Say hi'), finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: countTokens(mockAnswer('Say hi')) },
    });
    const streamed = await post(`${mock.url}/v1/completions`, { ...body, stream: true });
    const text = streamed.events
      .slice(0, -1)
      .map((e) => JSON.parse(e.data).choices[0].text)
      .join('');
    expect(text).toBe(mockAnswer('Say hi'));
  });
});
