/**
 * wrapOpenAI keeps every major of the `openai` package behaving exactly as unwrapped: same
 * results and chunks, the APIPromise and Stream helpers, the SDK's own stream()/parse() helpers
 * (traced once), early-closed streams, and unwrapping.
 */

import { mockAnswer } from '@argus/mock-llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrapOpenAI, wrapOpenAI } from '../src/instrument/index.ts';
import {
  callSpan,
  collect,
  type Harness,
  inTrace,
  type Loose,
  OPENAI_VERSIONS,
  startHarness,
} from './instrument-support.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe.each(OPENAI_VERSIONS)('%s', (_version, OpenAI) => {
  const make = (options: Record<string, unknown> = {}): Loose =>
    new OpenAI({ apiKey: 'test', baseURL: `${h.mock.url}/v1`, maxRetries: 0, ...options });
  const chat = (content: string, extra: Record<string, unknown> = {}) => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
    ...extra,
  });

  it('ends the span of a stream the app breaks out of', async () => {
    const client = wrapOpenAI(make());
    const { traceId } = await inTrace(async () => {
      for await (const _chunk of await client.chat.completions.create(chat('Stop early', { stream: true })))
        break;
    });
    const span = await callSpan(h.argus, traceId);
    expect(span.attributes['argus.stream.abandoned']).toBe(true);
  });

  it('unwraps to the original methods; wrapping twice is a no-op', () => {
    const client = make();
    const originals = [client.chat.completions.create, client.responses.create, client.embeddings.create];
    wrapOpenAI(client);
    const wrapped = client.chat.completions.create;
    expect(wrapped).not.toBe(originals[0]);
    expect(wrapOpenAI(client)).toBe(client);
    expect(client.chat.completions.create).toBe(wrapped);
    expect(unwrapOpenAI(client)).toBe(client);
    expect([client.chat.completions.create, client.responses.create, client.embeddings.create]).toEqual(
      originals,
    );
    expect(Object.hasOwn(client.chat.completions, 'create')).toBe(false);
  });

  it('gives the app exactly what an unwrapped client gives', async () => {
    const plain = make();
    const client = wrapOpenAI(make());
    const body = chat('Same answer', { temperature: 0 });
    expect(await client.chat.completions.create(body)).toEqual(await plain.chat.completions.create(body));
    const streamBody = { ...body, stream: true, stream_options: { include_usage: true } };
    expect(await collect(await client.chat.completions.create(streamBody))).toEqual(
      await collect(await plain.chat.completions.create(streamBody)),
    );
    const responses = { model: 'gpt-4o-mini', input: 'Same', stream: true };
    expect(await collect(await client.responses.create(responses))).toEqual(
      await collect(await plain.responses.create(responses)),
    );
    const embeddings = { model: 'text-embedding-3-small', input: 'same' };
    expect(await client.embeddings.create(embeddings)).toEqual(await plain.embeddings.create(embeddings));
  });

  it('keeps withResponse(), asResponse(), tee() and toReadableStream() working', async () => {
    const client = wrapOpenAI(make());
    const body = chat('Helpers');
    const { data, response } = await client.chat.completions.create(body).withResponse();
    expect(data.choices[0].message.content).toBe(mockAnswer('Helpers'));
    expect(response.status).toBe(200);

    const raw = await inTrace(async () => (await client.chat.completions.create(body).asResponse()).json());
    expect(raw.result.choices[0].message.content).toBe(mockAnswer('Helpers'));
    expect((await callSpan(h.argus, raw.traceId)).attributes['http.response.status_code']).toBe(200);

    const teed = await inTrace(async () => {
      const [left, right] = (await client.chat.completions.create({ ...body, stream: true })).tee();
      return Promise.all([collect(left), collect(right)]);
    });
    expect(teed.result[0]).toEqual(teed.result[1]);
    expect((await callSpan(h.argus, teed.traceId)).attributes['argus.stream.chunk_count']).toBe(
      teed.result[0].length,
    );

    const readable = (await client.chat.completions.create({ ...body, stream: true })).toReadableStream();
    const text = await new Response(readable).text();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(mockAnswer('Helpers'));
  });

  it('traces the stream(), responses.stream() and parse() helpers once each', async () => {
    const client = wrapOpenAI(make());
    const helpers =
      client.chat.completions.stream === undefined ? client.beta.chat.completions : client.chat.completions;
    const streamed = await inTrace(async () => helpers.stream(chat('Helper stream')).finalChatCompletion());
    expect(streamed.result.choices[0].message.content).toBe(mockAnswer('Helper stream'));
    expect((await callSpan(h.argus, streamed.traceId)).output).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: mockAnswer('Helper stream') }],
        finishReason: 'stop',
      },
    ]);
    const responses = await inTrace(async () =>
      client.responses.stream({ model: 'gpt-4o-mini', input: 'Helper responses' }).finalResponse(),
    );
    // openai < 6 leaves `output_text` off streamed responses, so read the message item.
    const message = responses.result.output.find((item: { type: string }) => item.type === 'message');
    expect(message.content[0].text).toBe(mockAnswer('Helper responses'));
    expect((await callSpan(h.argus, responses.traceId)).ttftMs).toBeGreaterThan(0);
    const parsed = await inTrace(() => helpers.parse(chat('Helper parse')));
    expect(parsed.result.choices[0].message.content).toBe(mockAnswer('Helper parse'));
    expect((await callSpan(h.argus, parsed.traceId)).responseModel).toBe('gpt-4o-mini-2024-07-18');
  });
});
