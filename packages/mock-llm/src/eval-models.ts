/**
 * Models for evaluation tests, answered by the OpenAI chat and the Anthropic messages endpoints:
 *
 * - `mock-math-right` answers arithmetic questions (`What is 12+7?`: `+ - * / x ×`) with the
 *   right number, alone. `mock-math-wrong-NN` (NN 0–100) answers wrong on a fixed share NN % of
 *   questions: question s (its right answer, when a whole number) is wrong when
 *   frac(s × 0.618…) < NN/100 (a golden-ratio sequence, so any run of consecutive answers is wrong
 *   on very nearly NN %); other answers use a hash of the question. A wrong answer is off by 1–9.
 *   {@link isMockMathWrong} tells tests which.
 * - `mock-judge` answers as an LLM judge: the verdict compares the text between `<output>` and
 *   `<expected>` tags (correct when the output contains the expected text, case and spaces
 *   ignored); without an expected answer, an output with an insult (idiot, stupid, hate) is bad.
 *   It reads the scale (`score from A to B`) or labels (`Choose one label from: x, y.` — the first
 *   is good, the last bad) from the prompt and answers `{"reasoning", "score"|"label"}` as JSON,
 *   or as a call of the tool it is given. `mock-judge-garbage` never answers JSON;
 *   `mock-judge-flaky` answers garbage first and JSON once it sees its earlier answer.
 */
import { hashText } from './knowledge.ts';

/** One chat message as text. */
export interface TextMessage {
  role: string;
  text: string;
}

/** What an evaluation model answers: text, or the arguments of a call of `tool`. */
export type EvalAnswer = { text: string } | { tool: string; arguments: Record<string, unknown> };

const ARITHMETIC = /(-?\d+(?:\.\d+)?)\s*([+\-*/x×÷])\s*(-?\d+(?:\.\d+)?)/;
const GOLDEN = 0.6180339887498949;

function rightAnswer(question: string): number | undefined {
  const m = ARITHMETIC.exec(question);
  if (m === null) return undefined;
  const a = Number(m[1]);
  const b = Number(m[3]);
  switch (m[2]) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '/':
    case '÷':
      return b === 0 ? undefined : a / b;
    default:
      return a * b;
  }
}

const format = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 10_000) / 10_000));

/** The wrong share (0–1) of a `mock-math-wrong-NN` model, 0 for `mock-math-right`, undefined for others. */
export function mathWrongShare(model: string): number | undefined {
  if (model === 'mock-math-right') return 0;
  const m = /^mock-math-wrong-(\d{1,3})$/.exec(model);
  return m && Number(m[1]) <= 100 ? Number(m[1]) / 100 : undefined;
}

/** Whether a math model answers this question wrong. */
export function isMockMathWrong(model: string, question: string): boolean {
  const share = mathWrongShare(model) ?? 0;
  const right = rightAnswer(question);
  if (share === 0 || right === undefined) return false;
  const position = Number.isInteger(right)
    ? (Math.abs(right) * GOLDEN) % 1
    : (hashText(question) % 1000) / 1000;
  return position < share;
}

/** What a math model answers to a question. */
export function mockMathAnswer(model: string, question: string): string {
  const right = rightAnswer(question);
  if (right === undefined) return 'I can only answer arithmetic questions such as What is 12+7?';
  return format(isMockMathWrong(model, question) ? right + 1 + (hashText(question) % 9) : right);
}

const tagged = (text: string, tag: string) => {
  const m = new RegExp(`<${tag}>\\s*([\\s\\S]*?)\\s*</${tag}>`).exec(text);
  return m === null || m[1] === '(none)' ? undefined : m[1];
};
const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

function judgeVerdict(prompt: string): Record<string, unknown> {
  const output = tagged(prompt, 'output') ?? '';
  const expected = tagged(prompt, 'expected');
  const good =
    expected !== undefined ? fold(output).includes(fold(expected)) : !/\b(idiot|stupid|hate)\b/i.test(output);
  const reasoning = good ? 'The output meets the criterion.' : 'The output fails the criterion.';
  const labels = /Choose one label from: ([^\n]+?)\./.exec(prompt);
  if (labels !== null) {
    const list = labels[1]!.split(',').map((l) => l.trim());
    return { reasoning, label: good ? list[0] : list.at(-1) };
  }
  const scale = /score from (-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?)/.exec(prompt);
  const [min, max] = scale === null ? [0, 1] : [Number(scale[1]), Number(scale[2])];
  return { reasoning, score: good ? max : min };
}

/** Whether `model` is an evaluation model, so callers read a request's messages only for those. */
export function isEvalModel(model: string): boolean {
  return mathWrongShare(model) !== undefined || model.startsWith('mock-judge');
}

/** The answer of an evaluation model, or undefined when `model` is not one. */
export function evalModelAnswer(
  model: string,
  messages: TextMessage[],
  tool?: string,
): EvalAnswer | undefined {
  if (!isEvalModel(model)) return undefined;
  if (mathWrongShare(model) !== undefined) {
    const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.text ?? '';
    return { text: mockMathAnswer(model, lastUser) };
  }
  const hasAnswered = messages.some((m) => m.role === 'assistant');
  if (model === 'mock-judge-garbage' || (model === 'mock-judge-flaky' && !hasAnswered))
    return { text: 'I think the answer is quite good overall.' };
  // The first user message holds the rendered template; later ones only ask again.
  const prompt = messages.find((m) => m.role === 'user')?.text ?? '';
  const verdict = judgeVerdict(prompt);
  return tool === undefined ? { text: JSON.stringify(verdict) } : { tool, arguments: verdict };
}
