import { describe, expect, it } from 'vitest';
import { extractConfidence, responseLogprobs } from './extract.ts';
import { MAX_KEPT_ALTERNATIVES, MAX_KEPT_JSON_CHARS, MAX_KEPT_TOKENS, MAX_TOKEN_CHARS } from './keep.ts';

const event = (attributes: Record<string, unknown>) => ({ name: 'gen_ai.choice.logprobs', attributes });
const entries = (logprobs: number[]) => logprobs.map((logprob, i) => ({ token: `t${i}`, logprob }));

describe('extractConfidence', () => {
  it('pools every choice event and keeps each list in place of its event content', () => {
    const found = extractConfidence({
      events: [
        { name: 'exception', attributes: {} },
        event({ 'logprobs.content': JSON.stringify(entries([-1, -2])) }),
        event({ 'logprobs.content': entries([-3]) }),
      ],
    });
    expect(found.confidence).toMatchObject({ perplexity: Math.exp(2), logprobMin: -3, logprobTokens: 3 });
    expect([...found.eventContent.keys()]).toEqual([1, 2]);
    expect(found.eventContent.get(2)?.content).toEqual([{ token: 't0', logprob: -3, top_logprobs: [] }]);
    expect(found.warnings).toEqual([]);
  });

  it('falls back to logprobs.mean / logprobs.count when the tokens were not sent or are unreadable', () => {
    const found = extractConfidence({
      events: [
        event({ 'logprobs.mean': -0.5, 'logprobs.count': 3 }),
        event({ 'logprobs.content': '[{', 'logprobs.mean': -1, 'logprobs.count': 1 }),
      ],
    });
    // Token-weighted: (3·−0.5 + 1·−1) / 4.
    expect(found.confidence).toEqual({ perplexity: Math.exp(0.625), logprobMean: -0.625, logprobTokens: 4 });
    expect(found.warnings).toEqual([
      expect.stringMatching(/^event 1 'logprobs.content': Cannot read logprobs: /),
    ]);
  });

  it('reads the argus.logprobs attribute as a source without an event', () => {
    const found = extractConfidence({ events: [], extra: [-0.5, -1.5] });
    expect(found.confidence?.perplexity).toBe(Math.exp(1));
    expect(found.extraContent?.content).toHaveLength(2);
  });

  it('reports an unreadable attribute and computes nothing from it', () => {
    const found = extractConfidence({ events: [], extra: 'not json' });
    expect(found.confidence).toBeUndefined();
    expect(found.warnings[0]).toMatch(
      /^'argus.logprobs': Cannot read logprobs: the payload is not valid JSON/,
    );
  });

  it('computes over every token but keeps a bounded list (tokens, alternatives, token text)', () => {
    const many = Array.from({ length: MAX_KEPT_TOKENS + 10 }, (_, i) => ({
      token: 'x'.repeat(100),
      logprob: -0.01 * (i % 7),
      top_logprobs: Array.from({ length: 9 }, (_, k) => ({ token: `a${k}`, logprob: -k - 1 })),
    }));
    const found = extractConfidence({ events: [event({ 'logprobs.content': many })] });
    expect(found.confidence?.logprobTokens).toBe(MAX_KEPT_TOKENS + 10);
    const kept = found.eventContent.get(0);
    expect(kept?.content.length).toBeLessThanOrEqual(MAX_KEPT_TOKENS);
    expect((kept?.content.length ?? 0) + (kept?.dropped ?? 0)).toBe(MAX_KEPT_TOKENS + 10);
    expect(kept?.content[0]?.token).toHaveLength(MAX_TOKEN_CHARS);
    expect(kept?.content[0]?.top_logprobs).toHaveLength(MAX_KEPT_ALTERNATIVES);
    expect(JSON.stringify(kept?.content).length).toBeLessThanOrEqual(MAX_KEPT_JSON_CHARS);
  });

  it('bounds the stored JSON of hostile token text that JSON must escape', () => {
    const hostile = Array.from({ length: 3000 }, () => ({
      token: '\u0001'.repeat(50),
      logprob: -1,
      top_logprobs: Array.from({ length: 5 }, () => ({ token: '"\\'.repeat(30), logprob: -2 })),
    }));
    const found = extractConfidence({ events: [event({ 'logprobs.content': hostile })] });
    const kept = found.eventContent.get(0);
    expect(kept?.dropped).toBeGreaterThan(0);
    expect(JSON.stringify(kept?.content).length).toBeLessThanOrEqual(MAX_KEPT_JSON_CHARS);
  });
});

describe('responseLogprobs', () => {
  it('finds choices[].logprobs of a recorded OpenAI response', () => {
    const lp = { content: entries([-1]) };
    expect(responseLogprobs({ choices: [{ index: 0, logprobs: lp }] })).toBe(lp);
  });

  it("finds LangChain's generation_info and response_metadata logprobs", () => {
    const lp = { content: entries([-1]) };
    expect(responseLogprobs({ generations: [[{ text: 'x', generation_info: { logprobs: lp } }]] })).toBe(lp);
    expect(responseLogprobs({ generations: [[{ message: { response_metadata: { logprobs: lp } } }]] })).toBe(
      lp,
    );
  });

  it('joins several choices into one content list', () => {
    const joined = responseLogprobs({
      choices: [{ logprobs: { content: entries([-1]) } }, { logprobs: { content: entries([-2]) } }],
    }) as { content: { logprob: number }[] };
    expect(joined.content.map((t) => t.logprob)).toEqual([-1, -2]);
  });

  it('is undefined for a response without logprobs', () => {
    expect(responseLogprobs({ choices: [{ logprobs: null }] })).toBeUndefined();
    expect(responseLogprobs('text')).toBeUndefined();
  });
});
