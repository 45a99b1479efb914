import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { type MockLlm, startMockLlm } from './server.ts';
import { countTokens, mockAnswer } from './text.ts';

let mock: MockLlm;
let url: string;
beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 0 });
  url = `${mock.url}/v1/messages`;
});
afterAll(() => mock.close());

const headers = { 'anthropic-version': '2023-06-01', 'x-api-key': 'test' };

describe('POST /v1/messages', () => {
  it('answers with cache reads from cached system blocks and cache writes from cached message blocks', async () => {
    const {
      status,
      json,
      headers: h,
    } = await post(
      url,
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        system: [
          { type: 'text', text: 'You are a storyteller of note', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Be kind' },
        ],
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: 'A long document here', cache_control: { type: 'ephemeral' } }],
          },
          { role: 'assistant', content: 'Noted' },
          { role: 'user', content: 'Tell a story' },
        ],
      },
      headers,
    );
    const answer = mockAnswer('Tell a story');
    expect(status).toBe(200);
    expect(h.get('request-id')).toMatch(/^req_/);
    expect(json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: answer }],
      stop_reason: 'end_turn',
      usage: {
        // 6 + 2 system words + 4 + 1 + 3 message words = 16: 6 read, 4 written, 6 uncached.
        input_tokens: 6,
        cache_read_input_tokens: 6,
        cache_creation_input_tokens: 4,
        output_tokens: countTokens(answer),
      },
    });
  });

  it('uses a tool when asked and answers text after the tool result', async () => {
    const tools = [
      { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
    ];
    const call = await post(
      url,
      {
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        tools,
        messages: [{ role: 'user', content: 'get_weather for Oslo' }],
      },
      headers,
    );
    expect(call.json.stop_reason).toBe('tool_use');
    expect(call.json.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Oslo' },
    });
    const forced = await post(
      url,
      {
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        tools,
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'Hi Oslo' }],
      },
      headers,
    );
    expect(forced.json.content[0].type).toBe('tool_use');
    const after = await post(
      url,
      {
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        tools,
        messages: [
          { role: 'user', content: 'get_weather for Oslo' },
          { role: 'assistant', content: call.json.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: call.json.content[0].id, content: 'Cold' }],
          },
        ],
      },
      headers,
    );
    expect(after.json.stop_reason).toBe('end_turn');
    expect(after.json.content[0].text).toBe(mockAnswer('get_weather for Oslo'));
  });

  it('stops with max_tokens when the answer is cut', async () => {
    const { json } = await post(
      url,
      { model: 'claude-haiku-4-5', max_tokens: 2, messages: [{ role: 'user', content: 'Hi' }] },
      headers,
    );
    expect(json.stop_reason).toBe('max_tokens');
    expect(json.usage.output_tokens).toBe(2);
  });

  it('streams message_start … message_stop with usage in message_delta', async () => {
    const { events } = await post(
      url,
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'Stream me' }],
      },
      headers,
    );
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const data = events.map((e) => JSON.parse(e.data));
    expect(data[0].message).toMatchObject({
      content: [],
      usage: { input_tokens: 2, cache_read_input_tokens: 0, output_tokens: 1 },
    });
    const text = data
      .filter((d) => d.type === 'content_block_delta')
      .map((d) => d.delta.text)
      .join('');
    expect(text).toBe(mockAnswer('Stream me'));
    expect(data.at(-2)).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: countTokens(text), input_tokens: 2 },
    });
  });

  it('streams tool_use input as JSON deltas', async () => {
    const { events } = await post(
      url,
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        stream: true,
        tools: [{ name: 'search', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }],
        messages: [{ role: 'user', content: 'search for Lisbon' }],
      },
      headers,
    );
    const data = events.map((e) => JSON.parse(e.data));
    expect(data.find((d) => d.type === 'content_block_start').content_block).toMatchObject({
      type: 'tool_use',
      name: 'search',
      input: {},
    });
    const json = data
      .filter((d) => d.delta?.type === 'input_json_delta')
      .map((d) => d.delta.partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ q: 'Lisbon' });
  });

  it('rejects a request without max_tokens', async () => {
    const { status, json } = await post(
      url,
      { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] },
      headers,
    );
    expect(status).toBe(400);
    expect(json).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });
});
