import { describe, expect, it } from 'vitest';
import { AnswerReader } from './answer-reader.ts';

describe('AnswerReader', () => {
  it('assembles an OpenAI chat stream: text, tool call, finish reason, usage and token times', () => {
    const reader = new AnswerReader('chat');
    const events = [
      {
        id: 'c1',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, delta: { role: 'assistant', content: '' } }],
      },
      { id: 'c1', choices: [{ index: 0, delta: { content: 'Hel' } }] },
      { id: 'c1', choices: [{ index: 0, delta: { content: 'lo' } }] },
      {
        id: 'c1',
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, id: 't1', function: { name: 'f', arguments: '{"a":' } }] },
          },
        ],
      },
      {
        id: 'c1',
        choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }],
      },
      { id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      {
        id: 'c1',
        choices: [],
        usage: { prompt_tokens: 7, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 2 } },
      },
    ];
    for (const [i, e] of events.entries()) reader.readEvent(undefined, JSON.stringify(e), i * 10);
    reader.readEvent(undefined, '[DONE]', 100);
    const facts = reader.facts();
    expect(facts.responseModel).toBe('gpt-4o-mini-2024-07-18');
    expect(facts.output).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Hello' },
          { type: 'tool_call', id: 't1', name: 'f', arguments: { a: 1 } },
        ],
        finishReason: 'tool_calls',
      },
    ]);
    expect(facts.usage).toMatchObject({ inputTokens: 7, outputTokens: 4, cacheReadTokens: 2 });
    // The role-only first chunk carries no token; the two text and two tool chunks do.
    expect(reader.tokenTimes).toEqual([10, 20, 30, 40]);
  });

  it('adds Anthropic cache tokens to the input (the OTel rule) and takes output tokens from message_delta', () => {
    const reader = new AnswerReader('messages');
    reader.readEvent(
      'message_start',
      JSON.stringify({
        type: 'message_start',
        message: {
          id: 'm1',
          model: 'claude-haiku-4-5',
          usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 },
        },
      }),
      0,
    );
    reader.readEvent(
      'content_block_delta',
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }),
      5,
    );
    reader.readEvent(
      'message_delta',
      JSON.stringify({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn' },
        usage: { output_tokens: 3 },
      }),
      9,
    );
    const facts = reader.facts();
    expect(facts.usage).toMatchObject({ inputTokens: 15, cacheReadTokens: 5, outputTokens: 3 });
    expect(facts.finishReasons).toEqual(['end_turn']);
    expect(facts.output?.[0]?.parts).toEqual([{ type: 'text', content: 'Hi' }]);
  });

  it('records an error event sent inside a 200 stream', () => {
    const reader = new AnswerReader('chat');
    reader.readEvent(
      undefined,
      JSON.stringify({ error: { message: 'The server had an error while streaming.' } }),
      1,
    );
    expect(reader.facts().streamError).toBe('The server had an error while streaming.');
  });

  it('reads logprobs of a JSON chat answer', () => {
    const reader = new AnswerReader('chat');
    reader.readJson({
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'a' },
          logprobs: { content: [{ token: 'a', logprob: -0.1 }] },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    });
    expect(reader.facts().logprobs).toEqual([{ token: 'a', logprob: -0.1 }]);
  });
});
