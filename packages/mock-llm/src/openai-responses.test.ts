import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { type MockLlm, startMockLlm } from './server.ts';
import { countTokens, mockAnswer } from './text.ts';

let mock: MockLlm;
let url: string;
beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 0 });
  url = `${mock.url}/v1/responses`;
});
afterAll(() => mock.close());

describe('POST /v1/responses', () => {
  it('answers a string input with usage; instructions count as cached', async () => {
    const { status, json } = await post(url, {
      model: 'gpt-4o-mini',
      input: 'Tell a tale',
      instructions: 'Be brief',
    });
    const answer = mockAnswer('Tell a tale');
    expect(status).toBe(200);
    expect(json).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-4o-mini-2024-07-18',
      instructions: 'Be brief',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: answer }] }],
      usage: {
        input_tokens: 5,
        input_tokens_details: { cached_tokens: 2 },
        output_tokens: countTokens(answer),
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 5 + countTokens(answer),
      },
    });
    expect(json.id).toMatch(/^resp_/);
  });

  it('adds a reasoning item and reasoning tokens for reasoning models', async () => {
    const { json } = await post(url, { model: 'o3-mini', input: [{ role: 'user', content: 'Why?' }] });
    expect(json.output[0].type).toBe('reasoning');
    expect(json.usage.output_tokens_details.reasoning_tokens).toBe(2 * countTokens(mockAnswer('Why?')));
  });

  it('calls a function tool and answers text after its output', async () => {
    const tools = [
      {
        type: 'function',
        name: 'lookup',
        parameters: { type: 'object', properties: { q: { type: 'string' } } },
      },
    ];
    const call = await post(url, { model: 'gpt-4o-mini', input: 'Please lookup Berlin', tools });
    expect(call.json.output[0]).toMatchObject({
      type: 'function_call',
      name: 'lookup',
      arguments: '{"q":"Berlin"}',
    });
    const after = await post(url, {
      model: 'gpt-4o-mini',
      tools,
      input: [
        { role: 'user', content: 'Please lookup Berlin' },
        call.json.output[0],
        { type: 'function_call_output', call_id: call.json.output[0].call_id, output: 'Capital' },
      ],
    });
    expect(after.json.output[0].type).toBe('message');
  });

  it('is incomplete when max_output_tokens cuts the answer', async () => {
    const { json } = await post(url, { model: 'gpt-4o-mini', input: 'Long', max_output_tokens: 2 });
    expect(json.status).toBe('incomplete');
    expect(json.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(json.usage.output_tokens).toBe(2);
  });

  it('streams the event sequence with deltas and a completed response', async () => {
    const { events } = await post(url, { model: 'gpt-4o-mini', input: 'Stream it', stream: true });
    const types = events.map((e) => e.event);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.at(-1)).toBe('response.completed');
    const data = events.map((e) => JSON.parse(e.data));
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
    const text = data
      .filter((d) => d.type === 'response.output_text.delta')
      .map((d) => d.delta)
      .join('');
    expect(text).toBe(mockAnswer('Stream it'));
    expect(data.at(-1).response.usage.output_tokens).toBe(countTokens(text));
    expect(data[0].response.status).toBe('in_progress');
  });

  it('streams an error event on [[fail:stream]]', async () => {
    const { events } = await post(url, {
      model: 'gpt-4o-mini',
      input: 'x y z [[fail:stream]]',
      stream: true,
    });
    expect(events.at(-1)?.event).toBe('error');
  });
});
