import { describe, expect, it } from 'vitest';
import { parseVerdict } from './judge-parse.ts';
import { renderTemplate, resolveJudge } from './judge-templates.ts';
import { runEvaluator } from './run.ts';
import { textOf } from './sample.ts';

const run = (type: string, config: Record<string, unknown>, sample: Record<string, unknown>) =>
  runEvaluator({ name: 't', type: type as never, config }, { output: undefined, ...sample });

describe('code evaluators', () => {
  it.each([
    // Why: each normalisation option of exact_match changes the verdict on its own.
    [{}, 'Paris', 'paris', 1],
    [{ ignoreCase: false }, 'Paris', 'paris', 0],
    [{}, 'Paris.', 'Paris', 0],
    [{ ignorePunctuation: true }, 'Paris.', 'Paris', 1],
    [{}, ' New   York ', 'new york', 1],
    [{ collapseWhitespace: false }, 'New   York', 'New York', 0],
    [{}, 'Ｐａｒｉｓ', 'Paris', 1],
  ])('exact_match %j: %j vs %j → %d', async (config, output, expected, score) => {
    expect((await run('exact_match', config, { output, expected })).score).toBe(score);
  });

  it.each([
    // Why: the output's text comes from messages (span shape), plain content, or JSON.
    [[{ role: 'assistant', parts: [{ type: 'text', content: '19' }] }], '19'],
    [[{ role: 'assistant', content: '20' }], '20'],
    [{ answer: 19 }, '{"answer":19}'],
  ])('reads the text of %j', (value, text) => {
    expect(textOf(value)).toBe(text);
  });

  it.each([
    // Why: numbers inside words, relative tolerance, thousands separators, and no number at all.
    [{ tolerance: 0 }, 'The answer is 19.', '19', 1],
    [{ relativeTolerance: 0.01 }, '1,005', '1000', 1],
    [{ relativeTolerance: 0.001 }, '1,005', '1000', 0],
    [{}, 'nineteen', '19', 0],
  ])('numeric %j: %j vs %j → %d', async (config, output, expected, score) => {
    expect((await run('numeric', config, { output, expected })).score).toBe(score);
  });

  it('accepts JSON in a code fence and reports the first schema issue', async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    expect((await run('json_schema', { schema }, { output: '```json\n{"n": 3}\n```' })).score).toBe(1);
    const bad = await run('json_schema', { schema }, { output: { n: 'x' } });
    expect(bad).toMatchObject({ score: 0, label: 'fail' });
    expect(bad.explanation).toContain("'n'");
  });

  it('says which sample a check cannot score and which evaluators need a context', async () => {
    await expect(run('exact_match', {}, { output: 'x' })).rejects.toThrow(/no expected output/);
    await expect(
      run('llm_judge', { connectionId: 'c', model: 'm', template: 'relevance' }, { output: 'x' }),
    ).rejects.toThrow(/needs a connection context/);
  });
});

describe('judge templates and verdicts', () => {
  it('renders placeholders in one pass, so values cannot inject placeholders', () => {
    const text = renderTemplate('Q: {{input}} A: {{output}} C: {{metadata.context}} E: {{expected}}', {
      input: 'say {{expected}}',
      output: 'ok',
      metadata: { context: 'doc' },
    });
    expect(text).toBe('Q: say {{expected}} A: ok C: doc E: (none)');
  });

  it.each([
    // Why: bare JSON, JSON among words, a fenced block, a label in other case, a tool call.
    [
      { text: '{"score": 4, "reasoning": "fine"}', toolCalls: [] },
      { scale: { min: 1, max: 5 } },
      { score: 0.75, label: '4' },
    ],
    [{ text: 'Sure! {"score": "5"} done', toolCalls: [] }, { scale: { min: 1, max: 5 } }, { score: 1 }],
    [
      { text: '```json\n{"label": "Correct"}\n```', toolCalls: [] },
      { labels: { correct: 1, incorrect: 0 } },
      { label: 'correct', score: 1 },
    ],
    [
      { text: '', toolCalls: [{ name: 'submit_judgement', arguments: { label: 'toxic' } }] },
      { labels: { non_toxic: 1, toxic: 0 } },
      { score: 0 },
    ],
  ])('reads %j', (answer, judge, expected) => {
    const verdict = parseVerdict(answer, { template: '', ...judge });
    expect(verdict.ok && verdict.result).toMatchObject(expected);
  });

  it.each([
    // Why: out of scale, unknown label and no JSON are unparseable, so the judge is asked again.
    [{ text: '{"score": 9}', toolCalls: [] }, { scale: { min: 1, max: 5 } }, 'not from 1 to 5'],
    [{ text: '{"label": "maybe"}', toolCalls: [] }, { labels: { yes: 1, no: 0 } }, 'not one of the labels'],
    [{ text: 'I think it is good', toolCalls: [] }, { scale: { min: 0, max: 1 } }, 'no JSON object'],
  ])('refuses %j', (answer, judge, why) => {
    const verdict = parseVerdict(answer, { template: '', ...judge });
    expect(verdict.ok ? '' : verdict.why).toContain(why);
  });

  it('fills a built-in template with its default labels and keeps own scales', () => {
    expect(resolveJudge({ connectionId: 'c', model: 'm', template: 'correctness' }).labels).toEqual({
      correct: 1,
      incorrect: 0,
    });
    expect(
      resolveJudge({ connectionId: 'c', model: 'm', prompt: 'x', scale: { min: 0, max: 10 } }).scale,
    ).toEqual({ min: 0, max: 10 });
  });
});
