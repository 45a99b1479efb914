import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALIZE_LIMITS, type NormalizeContext } from '../normalize/types.ts';
import { normalizeRun } from './normalize-run.ts';
import type { LangsmithRun } from './run.ts';

const ctx: NormalizeContext = { projectId: 'default', limits: DEFAULT_NORMALIZE_LIMITS };
const ID = '01a1fcb2-ef4e-7000-8000-013879bf5cb1';
const content = [
  { token: 'Hi', logprob: -0.25, top_logprobs: [{ token: 'Hi', logprob: -0.25 }] },
  { token: '!', logprob: -1.75, top_logprobs: [] },
];

const run = (outputs: unknown, runType = 'llm'): LangsmithRun => ({
  id: ID,
  name: 'ChatOpenAI',
  run_type: runType,
  start_time: '2026-11-21T06:02:27.537002Z',
  end_time: '2026-11-21T06:02:28.000000Z',
  trace_id: ID,
  dotted_order: `20261121T060227537002Z${ID}`,
  inputs: { messages: [{ role: 'user', content: 'hello' }] },
  outputs: outputs as Record<string, unknown>,
});

describe('LangSmith runs with logprobs', () => {
  it.each([
    // The JS/Python SDKs' wrapOpenAI record the OpenAI response as the run's outputs.
    ['an OpenAI response', { choices: [{ index: 0, message: { content: 'Hi!' }, logprobs: { content } }] }],
    // LangChain's ChatOpenAI keeps them in generation_info.
    [
      'LangChain generations',
      { generations: [[{ text: 'Hi!', generation_info: { logprobs: { content } } }]] },
    ],
  ])('computes confidence from %s and keeps the tokens as an event', (_, outputs) => {
    const span = normalizeRun(run(outputs), ctx);
    expect(span.perplexity).toBe(Math.exp(1));
    expect(span.logprobMin).toBe(-1.75);
    expect(span.logprobTokens).toBe(2);
    const event = span.events.find((e) => e.name === 'gen_ai.choice.logprobs');
    expect(event?.attributes['logprobs.content']).toEqual(content);
  });

  it('leaves runs without logprobs, and non-llm runs, without confidence', () => {
    expect(normalizeRun(run({ choices: [{ message: { content: 'x' } }] }), ctx).perplexity).toBeUndefined();
    const chain = normalizeRun(run({ choices: [{ logprobs: { content } }] }, 'chain'), ctx);
    expect(chain.perplexity).toBeUndefined();
  });

  it('reports unreadable logprobs in argus.warning and still accepts the run', () => {
    const span = normalizeRun(run({ choices: [{ logprobs: { content: 'nope' } }] }), ctx);
    expect(span.perplexity).toBeUndefined();
    expect(span.attributes['argus.warning']).toMatch(
      /the logprobs of outputs: Cannot read logprobs: the payload /,
    );
  });
});
