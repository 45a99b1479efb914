import { describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { knowledgeAnswer, toolResultAnswer } from './knowledge.ts';
import { type MockLlm, startMockLlm } from './server.ts';

// Issue 13: "How long does standard shipping take?" was answered "Once upon a time, a badger
// learned to price requests." Every question the demo's shoppers ask must get an answer on its topic.
describe('answers follow the question', () => {
  it.each([
    // [question, a phrase every phrasing of the answer contains]
    ['How long does standard shipping take?', /3 to 5 business days/],
    ['Do you ship to Canada?', /Canada/],
    ['And how much does express shipping cost?', /12 dollars/],
    ['What is your return policy?', /30 days/],
    ['Can I return sale items?', /exchanged/],
    ['How fast are refunds processed?', /5 business days/],
    ['Can I still change the delivery address?', /until the order ships/],
    ['Thanks! Which carrier delivers it?', /UPS or DHL/],
    ['What can I do if the order is lost?', /claim/],
    ['Is my jacket covered by the warranty?', /manufacturing defects/],
    ['What does the warranty not cover?', /wear and tear/i],
    ['Do boots run small?', /half a size small/],
    ['Do you sell gift cards?', /25 to 500 dollars/],
    ['Do gift cards expire?', /never expire/],
  ])('%s', (question, expected) => {
    for (const variant of [0, 1]) expect(knowledgeAnswer(question, variant)).toMatch(expected);
  });

  it('tells a fable when asked for a story, and quotes any other question back', () => {
    expect(knowledgeAnswer('Tell me a story about foxes')).toMatch(/^Once upon a time/);
    expect(knowledgeAnswer('What is the meaning of life?')).toContain('"What is the meaning of life?"');
    // A test marker is never repeated to the user.
    expect(knowledgeAnswer('Why? [[fail:stream]]')).not.toContain('[[');
  });

  it('answers from the context (a RAG prompt) when no canned topic matches', () => {
    const notes = [
      '- Argus keeps telemetry for 30 days by default; set ARGUS_RETENTION_DAYS to change it.',
      '- Any OpenTelemetry SDK can send traces to Argus over OTLP/HTTP at /v1/traces.',
    ].join('\n');
    expect(knowledgeAnswer('How long does Argus keep my data?', 0, notes)).toBe(
      'Argus keeps telemetry for 30 days by default; set ARGUS_RETENTION_DAYS to change it.',
    );
    // One shared word is not enough to claim the context answers the question.
    expect(knowledgeAnswer('Is Argus fast?', 0, notes)).toContain('"Is Argus fast?"');
  });

  it('reports a tool result, and apologises for a failed one', () => {
    expect(toolResultAnswer('{"order_id":"Vega","status":"shipped","carrier":"UPS"}')).toBe(
      'Here is what I found: order id Vega, status shipped, carrier UPS.',
    );
    expect(toolResultAnswer('{"error":"Order \'Nebula\' was not found"}')).toBe(
      "Sorry, I could not look that up: Order 'Nebula' was not found. Please check the id and try again.",
    );
  });
});

describe('answers over HTTP', () => {
  let mock: MockLlm;
  const chat = (messages: unknown[], stream = false) => ({ model: 'gpt-4o-mini', messages, stream });

  it('answers the demo question it was asked, streamed or not, and a tool result after a tool call', async () => {
    mock = await startMockLlm();
    try {
      const question = { role: 'user', content: 'Do you sell gift cards?' };
      const plain = await post(`${mock.url}/v1/chat/completions`, chat([question]));
      expect(plain.json.choices[0].message.content).toContain('gift cards');
      const streamed = await post(`${mock.url}/v1/chat/completions`, chat([question], true));
      const text = streamed.events
        .filter((e) => e.data !== '[DONE]')
        .map((e) => JSON.parse(e.data).choices[0]?.delta?.content ?? '')
        .join('');
      expect(text).toBe(plain.json.choices[0].message.content);
      const afterTool = await post(
        `${mock.url}/v1/chat/completions`,
        chat([
          { role: 'user', content: 'Where is my order Vega? Please use get_order_status.' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_order_status', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '{"order_id":"Vega","status":"shipped"}' },
        ]),
      );
      expect(afterTool.json.choices[0].message.content).toBe(
        'Here is what I found: order id Vega, status shipped.',
      );
    } finally {
      await mock.close();
    }
  });
});
