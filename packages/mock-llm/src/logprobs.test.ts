import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(() => mock.close());

type Entry = { token: string; logprob: number; top_logprobs: { token: string; logprob: number }[] };

describe('chat completion logprobs', () => {
  it('are proper distributions: the chosen token among the alternatives, most likely first, summing under 1', async () => {
    const { json } = await post(`${mock.url}/v1/chat/completions`, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Describe the moon in a few words' }],
      logprobs: true,
      top_logprobs: 5,
    });
    const content: Entry[] = json.choices[0].logprobs.content;
    expect(content.map((t) => t.token).join('')).toBe(json.choices[0].message.content);
    for (const t of content) {
      expect(t.logprob).toBeLessThan(0);
      expect(t.top_logprobs).toHaveLength(5);
      expect(t.top_logprobs.some((a) => a.token === t.token && a.logprob === t.logprob)).toBe(true);
      const probabilities = t.top_logprobs.map((a) => Math.exp(a.logprob));
      expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThan(1);
      expect(new Set(t.top_logprobs.map((a) => a.token)).size).toBe(5);
    }
    // Mostly confident, some real choices: not every token alike.
    const probabilities = content.map((t) => Math.exp(t.logprob));
    expect(Math.max(...probabilities)).toBeGreaterThan(0.8);
    expect(new Set(probabilities).size).toBeGreaterThan(content.length / 2);
  });

  it('streamed chunks carry the same logprobs as the whole answer', async () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Name three colours' }],
      logprobs: true,
      top_logprobs: 2,
    };
    const whole: Entry[] = (await post(`${mock.url}/v1/chat/completions`, body)).json.choices[0].logprobs
      .content;
    const response = await fetch(`${mock.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    const streamed: Entry[] = [];
    for (const line of (await response.text()).split('\n')) {
      if (!line.startsWith('data: {')) continue;
      const chunk = JSON.parse(line.slice(6));
      streamed.push(...(chunk.choices[0]?.logprobs?.content ?? []));
    }
    expect(streamed.map((t) => [t.token, t.logprob])).toEqual(whole.map((t) => [t.token, t.logprob]));
  });
});

describe('legacy completions with echo and logprobs (scoring given text)', () => {
  const score = async (model: string, prompt: string) =>
    (await post(`${mock.url}/v1/completions`, { model, prompt, echo: true, logprobs: 2, max_tokens: 0 }))
      .json;

  it('echoes the prompt with per-token logprobs and offsets, the first token without one', async () => {
    const json = await score('mock-lm', 'The cat sat on the mat');
    const choice = json.choices[0];
    expect(choice.text).toBe('The cat sat on the mat');
    const lp = choice.logprobs;
    expect(lp.tokens).toEqual(['The', ' cat', ' sat', ' on', ' the', ' mat']);
    expect(lp.text_offset).toEqual([0, 3, 7, 11, 14, 18]);
    expect(lp.token_logprobs[0]).toBeNull();
    expect(lp.top_logprobs[0]).toBeNull();
    for (const l of lp.token_logprobs.slice(1)) expect(l).toBeLessThan(0);
    expect(Object.keys(lp.top_logprobs[1])).toHaveLength(2);
    expect(json.usage.completion_tokens).toBe(0);
  });

  it('scores one text the same way twice with one model, differently with another', async () => {
    const text = 'Rivers carry water from mountains to the sea';
    const a = (await score('mock-lm-a', text)).choices[0].logprobs.token_logprobs;
    expect((await score('mock-lm-a', text)).choices[0].logprobs.token_logprobs).toEqual(a);
    expect((await score('mock-lm-b', text)).choices[0].logprobs.token_logprobs).not.toEqual(a);
  });

  it('answers logprobs for the completion alone without echo, and refuses more than 20 alternatives', async () => {
    const { json } = await post(`${mock.url}/v1/completions`, { model: 'm', prompt: 'Say hi', logprobs: 0 });
    expect(json.choices[0].logprobs.tokens.join('')).toBe(json.choices[0].text);
    expect(json.choices[0].logprobs.token_logprobs[0]).toBeLessThan(0);
    const refused = await post(`${mock.url}/v1/completions`, { model: 'm', prompt: 'x', logprobs: 21 });
    expect(refused.status).toBe(400);
  });
});
