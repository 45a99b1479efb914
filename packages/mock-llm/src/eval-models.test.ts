import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { isMockMathWrong, mockMathAnswer } from './eval-models.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(() => mock.close());

const chat = (
  model: string,
  messages: { role: string; content: string }[],
  extra: Record<string, unknown> = {},
) => post(`${mock.url}/v1/chat/completions`, { model, messages, ...extra });

describe('math models', () => {
  it.each([
    // Why: each operator the parser knows, and a question without arithmetic.
    ['What is 12+7?', '19'],
    ['What is 9 - 20?', '-11'],
    ['What is 6 x 7?', '42'],
    ['What is 7/2?', '3.5'],
    ['Tell me a story', 'I can only answer arithmetic questions such as What is 12+7?'],
  ])('mock-math-right answers %s with %s', async (question, answer) => {
    const { json } = await chat('mock-math-right', [{ role: 'user', content: question }]);
    expect(json.choices[0].message.content).toBe(answer);
  });

  it('mock-math-wrong-40 is wrong on 40 % of 100 consecutive sums, and says which', async () => {
    const questions = Array.from({ length: 100 }, (_, i) => `What is ${i + 1}+3?`);
    let wrong = 0;
    for (const q of questions) {
      const { json } = await chat('mock-math-wrong-40', [{ role: 'user', content: q }]);
      const said = json.choices[0].message.content as string;
      const right = mockMathAnswer('mock-math-right', q);
      expect(said !== right).toBe(isMockMathWrong('mock-math-wrong-40', q));
      if (said !== right) wrong++;
    }
    expect(wrong).toBeGreaterThanOrEqual(39);
    expect(wrong).toBeLessThanOrEqual(41);
  });

  it('mock-math-wrong-40 is wrong on 16 ± 1 of the 40 questions 1+1 … 40+1 (the issue scenario)', () => {
    const wrong = Array.from({ length: 40 }, (_, i) => `What is ${i + 1}+1?`).filter((q) =>
      isMockMathWrong('mock-math-wrong-40', q),
    ).length;
    expect(Math.abs(wrong - 16)).toBeLessThanOrEqual(1);
  });
});

describe('judge models', () => {
  const prompt = (output: string, expected: string, ask: string) =>
    `Grade it.\n<output>\n${output}\n</output>\n<expected>\n${expected}\n</expected>\n${ask}`;

  it.each([
    // Why: labels take the first label when right and the last when wrong; scales the ends.
    ['The answer is 19.', '19', 'Choose one label from: correct, incorrect.', { label: 'correct' }],
    ['The answer is 20.', '19', 'Choose one label from: correct, incorrect.', { label: 'incorrect' }],
    ['19', '19', 'Give a score from 1 to 5 (5 is best).', { score: 5 }],
    ['18', '19', 'Give a score from 1 to 5 (5 is best).', { score: 1 }],
  ])('mock-judge grades %s against %s', async (output, expected, ask, verdict) => {
    const { json } = await chat('mock-judge', [{ role: 'user', content: prompt(output, expected, ask) }]);
    expect(JSON.parse(json.choices[0].message.content)).toMatchObject(verdict);
  });

  it('answers with a call of the tool it is given', async () => {
    const tools = [
      { type: 'function', function: { name: 'submit_judgement', parameters: { type: 'object' } } },
    ];
    const { json } = await chat(
      'mock-judge',
      [{ role: 'user', content: prompt('19', '19', 'Choose one label from: correct, incorrect.') }],
      { tools, tool_choice: { type: 'function', function: { name: 'submit_judgement' } } },
    );
    const call = json.choices[0].message.tool_calls[0].function;
    expect(call.name).toBe('submit_judgement');
    expect(JSON.parse(call.arguments)).toMatchObject({ label: 'correct' });
  });

  it('mock-judge-flaky answers garbage first and JSON once asked again', async () => {
    const first = [{ role: 'user', content: prompt('19', '19', 'Give a score from 0 to 1 (1 is best).') }];
    const a = await chat('mock-judge-flaky', first);
    expect(() => JSON.parse(a.json.choices[0].message.content)).toThrow();
    const again = [
      ...first,
      { role: 'assistant', content: a.json.choices[0].message.content },
      { role: 'user', content: 'Answer with JSON.' },
    ];
    const b = await chat('mock-judge-flaky', again);
    expect(JSON.parse(b.json.choices[0].message.content)).toMatchObject({ score: 1 });
  });

  it('answers the same on the Anthropic Messages API', async () => {
    const { json } = await post(
      `${mock.url}/v1/messages`,
      {
        model: 'mock-judge',
        max_tokens: 100,
        messages: [
          { role: 'user', content: prompt('19', '19', 'Choose one label from: correct, incorrect.') },
        ],
      },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(JSON.parse(json.content[0].text)).toMatchObject({ label: 'correct' });
    const math = await post(
      `${mock.url}/v1/messages`,
      { model: 'mock-math-right', max_tokens: 10, messages: [{ role: 'user', content: 'What is 6*7?' }] },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(math.json.content[0].text).toBe('42');
  });

  it('leaves other models as they were', async () => {
    const { json } = await chat('gpt-4o-mini', [{ role: 'user', content: 'What is 12+7?' }]);
    expect(json.choices[0].message.content).not.toBe('19');
  });
});
