/**
 * Content sources on spans (table 3.3 rows "input/output messages", "tool defs", "tool call",
 * "retrieval docs"): flattened keys, span events, tool and retriever spans, generic I/O.
 */
import { describe, expect, it } from 'vitest';
import type { AttrValue } from '../otlp/types.ts';
import { CTX, event, plain, spanInput, text } from './builders.test-util.ts';
import { normalizeSpan } from './index.ts';

// Table rows mix keys, so values arrive loosely typed; the normalizer accepts anything anyway.
const map = (values: Record<string, unknown>, options = {}) =>
  plain(normalizeSpan(spanInput(values as Record<string, AttrValue>, options), CTX));

describe('LLM message sources', () => {
  it.each([
    {
      why: 'OpenInference multimodal contents and flattened tool calls',
      values: {
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.contents.0.message_content.type': 'text',
        'llm.input_messages.0.message.contents.0.message_content.text': 'what is this',
        'llm.input_messages.0.message.contents.1.message_content.type': 'image',
        'llm.input_messages.0.message.contents.1.message_content.image.image.url': 'https://x/cat.png',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'c1',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'lookup',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"q":"cat"}',
      },
      input: [
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'what is this' },
            { type: 'uri', modality: 'image', uri: 'https://x/cat.png' },
          ],
        },
      ],
      output: [
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: { q: 'cat' } }],
        },
      ],
    },
    {
      why: 'OpenLLMetry legacy tool calls, tool answers and multimodal JSON-string content',
      values: {
        'llm.request.type': 'chat',
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.content':
          '[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"https://x/a.png"}}]',
        'gen_ai.prompt.1.role': 'assistant',
        'gen_ai.prompt.1.tool_calls.0.id': 'c1',
        'gen_ai.prompt.1.tool_calls.0.name': 'f',
        'gen_ai.prompt.1.tool_calls.0.arguments': '{}',
        'gen_ai.prompt.2.role': 'tool',
        'gen_ai.prompt.2.tool_call_id': 'c1',
        'gen_ai.prompt.2.content': 'done',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.content': 'ok',
        'gen_ai.completion.0.finish_reason': 'stop',
      },
      input: [
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'hi' },
            { type: 'uri', modality: 'image', uri: 'https://x/a.png' },
          ],
        },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: {} }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'done' }] },
      ],
      output: [text('assistant', 'ok', 'stop')],
    },
    {
      why: 'OpenLIT May 2024: content in gen_ai.content.* attributes rather than events',
      values: {
        'gen_ai.type': 'chat',
        'gen_ai.content.prompt': 'user: Hi',
        'gen_ai.content.completion': 'Hello!',
      },
      input: [text('user', 'Hi')],
      output: [text('assistant', 'Hello!')],
    },
    {
      why: 'OpenInference completions API: llm.prompts / llm.choices',
      values: {
        'openinference.span.kind': 'LLM',
        'llm.prompts.0.prompt.text': 'Say hi',
        'llm.choices.0.completion.text': 'hi',
      },
      input: [text('user', 'Say hi')],
      output: [text('assistant', 'hi')],
    },
    {
      why: 'OTel 1.28–1.36 per-message events attached to the span instead of logs',
      values: { 'gen_ai.operation.name': 'chat' },
      events: [
        event('gen_ai.system.message', { content: 'be brief' }, 1),
        event('gen_ai.user.message', { content: 'Hi' }, 2),
        event('gen_ai.choice', { index: 0, finish_reason: 'stop', message: '{"content":"Hello!"}' }, 3),
      ],
      input: [text('system', 'be brief'), text('user', 'Hi')],
      output: [text('assistant', 'Hello!', 'stop')],
      systemInstructions: [{ type: 'text', content: 'be brief' }],
    },
    {
      why: 'the >=1.37 details event as a span event; system instructions become the first input message',
      values: { 'gen_ai.operation.name': 'chat' },
      events: [
        event('gen_ai.client.inference.operation.details', {
          'gen_ai.system_instructions': '[{"type":"text","content":"be brief"}]',
          'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
          'gen_ai.output.messages':
            '[{"role":"assistant","parts":[{"type":"text","content":"Hello!"}],"finish_reason":"stop"}]',
        }),
      ],
      input: [text('system', 'be brief'), text('user', 'Hi')],
      output: [text('assistant', 'Hello!', 'stop')],
      systemInstructions: [{ type: 'text', content: 'be brief' }],
    },
    {
      why: 'Vercel tool calls in the response join the text in one assistant message',
      values: {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.prompt.messages': '[{"role":"user","content":"weather?"}]',
        'ai.response.toolCalls':
          '[{"toolCallType":"function","toolCallId":"t1","toolName":"weather","args":"{\\"city\\":\\"Paris\\"}"}]',
        'ai.response.finishReason': 'tool-calls',
      },
      input: [text('user', 'weather?')],
      output: [
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 't1', name: 'weather', arguments: { city: 'Paris' } }],
          finishReason: 'tool-calls',
        },
      ],
    },
  ])('$why', ({ values, events = [], input, output, systemInstructions }) => {
    const span = map(values, { events });
    expect(span.input).toEqual(input);
    expect(span.output).toEqual(output);
    if (systemInstructions) expect(span.systemInstructions).toEqual(systemInstructions);
  });
});

describe('non-LLM spans keep plain values', () => {
  it.each([
    // Why: chain spans show the function's arguments and return value as they were.
    {
      values: {
        'openinference.span.kind': 'CHAIN',
        'input.value': '{"question":"q"}',
        'input.mime_type': 'application/json',
        'output.value': 'answer',
        'output.mime_type': 'text/plain',
      },
      input: { question: 'q' },
      output: 'answer',
    },
    // Why: text/plain is never parsed, even when it looks like JSON.
    {
      values: { 'openinference.span.kind': 'CHAIN', 'input.value': '[1,2]', 'input.mime_type': 'text/plain' },
      input: '[1,2]',
    },
    {
      values: {
        'traceloop.span.kind': 'workflow',
        'traceloop.entity.input': '{"args":[],"kwargs":{"q":"x"}}',
        'traceloop.entity.output': '"done"',
      },
      input: { args: [], kwargs: { q: 'x' } },
      output: 'done',
    },
    {
      values: { 'langfuse.observation.type': 'span', 'langfuse.observation.input': '{"doc":1}' },
      input: { doc: 1 },
    },
    // Why: a non-LLM span whose value IS a conversation still gets messages.
    {
      values: {
        'langfuse.observation.type': 'agent',
        'langfuse.observation.input': '[{"role":"user","content":"Hi"}]',
      },
      input: [text('user', 'Hi')],
    },
  ])('$values', ({ values, input, output }) => {
    const span = map(values);
    expect(span.input).toEqual(input);
    if (output !== undefined) expect(span.output).toEqual(output);
  });
});

describe('tool spans', () => {
  // One row per convention's tool-span vocabulary (table 3.3 row "tool call").
  it.each([
    {
      values: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'search',
        'gen_ai.tool.call.id': 'c9',
        'gen_ai.tool.call.arguments': '{"q":"x"}',
        'gen_ai.tool.call.result': '["r"]',
      },
    },
    {
      values: {
        'ai.operationId': 'ai.toolCall',
        'ai.toolCall.name': 'search',
        'ai.toolCall.id': 'c9',
        'ai.toolCall.args': '{"q":"x"}',
        'ai.toolCall.result': '["r"]',
      },
    },
    {
      values: {
        'openinference.span.kind': 'TOOL',
        'tool.name': 'search',
        'tool.id': 'c9',
        'input.value': '{"q":"x"}',
        'output.value': '["r"]',
      },
    },
    {
      values: {
        'traceloop.span.kind': 'tool',
        'traceloop.entity.name': 'search',
        'gen_ai.tool.call.id': 'c9',
        'traceloop.entity.input': '{"q":"x"}',
        'traceloop.entity.output': '["r"]',
      },
    },
  ])('$values', ({ values }) => {
    expect(map(values)).toMatchObject({
      kind: 'tool',
      toolName: 'search',
      toolCallId: 'c9',
      input: { q: 'x' },
      output: ['r'],
    });
  });
});

describe('tool definitions and retrieval documents', () => {
  const WEATHER = {
    type: 'function',
    name: 'weather',
    description: 'get weather',
    parameters: { type: 'object' },
  };
  // One row per source of the "tool defs" row of table 3.3; each wraps the function differently.
  it.each([
    { values: { 'gen_ai.tool.definitions': JSON.stringify([WEATHER]) } },
    {
      values: {
        'llm.tools.0.tool.json_schema': JSON.stringify({
          type: 'function',
          function: { name: 'weather', description: 'get weather', parameters: { type: 'object' } },
        }),
      },
    },
    {
      values: {
        'llm.request.functions.0.name': 'weather',
        'llm.request.functions.0.description': 'get weather',
        'llm.request.functions.0.parameters': '{"type":"object"}',
      },
    },
    {
      values: {
        'ai.prompt.tools': [
          JSON.stringify({
            type: 'function',
            name: 'weather',
            description: 'get weather',
            inputSchema: { type: 'object' },
          }),
        ],
      },
    },
  ])('$values', ({ values }) => {
    expect(map({ ...values, 'gen_ai.request.model': 'm' }).toolDefinitions).toEqual([WEATHER]);
  });

  it.each([
    {
      values: {
        'openinference.span.kind': 'RETRIEVER',
        'input.value': 'capital of France',
        'retrieval.documents.0.document.id': 'd1',
        'retrieval.documents.0.document.content': 'Paris is…',
        'retrieval.documents.0.document.score': 0.9,
        'retrieval.documents.0.document.metadata': '{"src":"wiki"}',
        'retrieval.documents.1.document.id': 'd2',
      },
      docs: [{ id: 'd1', content: 'Paris is…', score: 0.9, metadata: { src: 'wiki' } }, { id: 'd2' }],
    },
    {
      values: {
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.retrieval.query.text': 'capital of France',
        'gen_ai.retrieval.documents': '[{"id":"d1","score":0.9}]',
      },
      docs: [{ id: 'd1', score: 0.9 }],
    },
  ])('retrieval $#', ({ values, docs }) => {
    expect(map(values)).toMatchObject({
      kind: 'retriever',
      input: 'capital of France',
      retrievalDocuments: docs,
    });
  });
});
