/**
 * Message and part shapes of every producer → the OTel parts schema (rule 3.4.6).
 */
import { describe, expect, it } from 'vitest';
import { plain } from './builders.test-util.ts';
import { toMessages } from './messages.ts';

const IN = { role: 'user' };

describe('toMessages', () => {
  it.each([
    {
      why: 'OTel >=1.37 parts pass through; the registry example names the tool result "result"',
      value: [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get', arguments: { q: 1 } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', result: 'sunny' }] },
      ],
      expected: [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get', arguments: { q: 1 } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'sunny' }] },
      ],
    },
    {
      why: 'OpenAI chat: tool_calls with JSON-string arguments, tool message answering by tool_call_id',
      value: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get', arguments: '{"q":1}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
      expected: [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get', arguments: { q: 1 } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'sunny' }] },
      ],
    },
    {
      why: 'Anthropic blocks: thinking, tool_use, tool_result, base64 image',
      value: [
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } }],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm' },
            { type: 'tool_use', id: 't1', name: 'calc', input: { a: 1 } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '2' }] },
      ],
      expected: [
        {
          role: 'user',
          parts: [{ type: 'blob', modality: 'image', mime_type: 'image/png', content: 'AAA' }],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', content: 'hmm' },
            { type: 'tool_call', id: 't1', name: 'calc', arguments: { a: 1 } },
          ],
        },
        { role: 'user', parts: [{ type: 'tool_call_response', id: 't1', response: '2' }] },
      ],
    },
    {
      why: 'Gemini: role "model", untyped parts',
      value: [
        {
          role: 'model',
          parts: [
            { text: 'hi' },
            { functionCall: { name: 'f', args: { x: 1 } } },
            { inlineData: { mimeType: 'audio/wav', data: 'BBB' } },
          ],
        },
      ],
      expected: [
        {
          role: 'assistant',
          parts: [
            { type: 'text', content: 'hi' },
            { type: 'tool_call', name: 'f', arguments: { x: 1 } },
            { type: 'blob', modality: 'audio', mime_type: 'audio/wav', content: 'BBB' },
          ],
        },
      ],
    },
    {
      why: 'Vercel provider-level messages: tool-call/tool-result/file/reasoning parts',
      value: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'file', mediaType: 'application/pdf', data: 'CCC' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'r' },
            { type: 'tool-call', toolCallId: 'v1', toolName: 'w', input: { c: 'x' } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'v1', toolName: 'w', output: { type: 'json', value: 1 } },
          ],
        },
      ],
      expected: [
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'look' },
            { type: 'blob', modality: 'document', mime_type: 'application/pdf', content: 'CCC' },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', content: 'r' },
            { type: 'tool_call', id: 'v1', name: 'w', arguments: { c: 'x' } },
          ],
        },
        {
          role: 'tool',
          parts: [{ type: 'tool_call_response', id: 'v1', name: 'w', response: { type: 'json', value: 1 } }],
        },
      ],
    },
    {
      why: 'image_url parts: data URLs become blobs, links become uris',
      value: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,DDD' } },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
      ],
      expected: [
        {
          role: 'user',
          parts: [
            { type: 'blob', modality: 'image', mime_type: 'image/jpeg', content: 'DDD' },
            { type: 'uri', modality: 'image', uri: 'https://x/y.png' },
          ],
        },
      ],
    },
    {
      why: 'LangChain serialized messages (LangSmith blobs) name the role in the class id',
      value: {
        messages: [
          [
            {
              lc: 1,
              type: 'constructor',
              id: ['langchain', 'schema', 'messages', 'SystemMessage'],
              kwargs: { content: 'be nice' },
            },
            { type: 'human', content: 'Hi' },
          ],
        ],
      },
      expected: [
        { role: 'system', parts: [{ type: 'text', content: 'be nice' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
      ],
    },
    {
      why: 'OpenAI Responses output items and unknown part types survive (GenericPart)',
      value: {
        output: [
          {
            type: 'message',
            role: 'assistant',
            content: [
              { type: 'output_text', text: 'ok' },
              { type: 'refusal', refusal: 'no' },
            ],
          },
        ],
      },
      expected: [
        {
          role: 'assistant',
          parts: [
            { type: 'text', content: 'ok' },
            { type: 'refusal', refusal: 'no' },
          ],
        },
      ],
    },
    {
      why: 'OpenAI completion response: choices with finish reasons',
      value: {
        id: 'x',
        choices: [{ index: 0, message: { role: 'assistant', content: 'yo' }, finish_reason: 'length' }],
      },
      expected: [{ role: 'assistant', parts: [{ type: 'text', content: 'yo' }], finishReason: 'length' }],
    },
    {
      why: 'Vercel ai.prompt: system plus a prompt string',
      value: '{"system":"sys","prompt":"Hi"}',
      expected: [
        { role: 'system', parts: [{ type: 'text', content: 'sys' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
      ],
    },
    {
      why: 'a plain string is one message of the default role',
      value: 'just text',
      expected: [{ role: 'user', parts: [{ type: 'text', content: 'just text' }] }],
    },
  ])('$why', ({ value, expected }) => {
    expect(plain(toMessages(value, IN))).toEqual(expected);
  });

  it('parses legacy OpenLIT "role: content" text only when asked, keeping multi-line content', () => {
    const legacy = 'system: be brief\nuser: line one\nline two';
    expect(plain(toMessages(legacy, { role: 'user', rolePrefixed: true }))).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'line one\nline two' }] },
    ]);
    // Why: an answer that happens to start with "user:" must stay one text.
    expect(plain(toMessages('user: x', { role: 'assistant' }))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'user: x' }] },
    ]);
  });

  it.each([undefined, null, '', [], {}, 42, [{}], { foo: 'bar' }])('finds no messages in %j', (value) => {
    expect(toMessages(value, IN)).toBeUndefined();
  });
});
