/**
 * Deterministic content for the mock: answers derived from the prompt (see knowledge.ts),
 * word-based token counts, dated response models, ids and tool-call arguments. Pure, so tests can
 * compute the exact numbers the server will answer.
 */

import { hashText } from './knowledge.ts';

/** The mock's answer to a prompt is knowledge.ts's knowledgeAnswer, under the name the package exports. */
export { hashText, knowledgeAnswer as mockAnswer, toolResultAnswer } from './knowledge.ts';

/** A seeded pseudo-random generator (mulberry32) returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Token count of a text as the mock computes it: its whitespace-separated words. */
export function countTokens(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const isSpace = /\s/.test(text[i]!);
    if (!isSpace && !inWord) count++;
    inWord = !isSpace;
  }
  return count;
}

/** The first `maxWords` words of `text`, or all of it. */
export function truncateWords(
  text: string,
  maxWords: number | undefined,
): { text: string; truncated: boolean } {
  const words = text.split(' ');
  if (maxWords === undefined || maxWords >= words.length) return { text, truncated: false };
  return { text: words.slice(0, Math.max(0, maxWords)).join(' '), truncated: true };
}

const DATED: Record<string, string> = {
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
  'gpt-5': 'gpt-5-2025-08-07',
  'gpt-5-mini': 'gpt-5-mini-2025-08-07',
  'gpt-3.5-turbo': 'gpt-3.5-turbo-0125',
  'gpt-3.5-turbo-instruct': 'gpt-3.5-turbo-instruct',
  o1: 'o1-2024-12-17',
  o3: 'o3-2025-04-16',
  'o3-mini': 'o3-mini-2025-01-31',
  'o4-mini': 'o4-mini-2025-04-16',
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
  'claude-opus-4-1': 'claude-opus-4-1-20250805',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku-20241022',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet-20250219',
};

/** Models that already carry a date (`-2024-07-18`, `-20241022`, `-0125`) answer as they are. */
const HAS_DATE = /-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/;

/** The response model for a request model: a dated snapshot (`gpt-4o-mini` → `gpt-4o-mini-2024-07-18`). */
export function datedModel(model: string): string {
  if (Object.hasOwn(DATED, model)) return DATED[model]!;
  if (HAS_DATE.test(model) || model.startsWith('text-embedding')) return model;
  return model.startsWith('claude') ? `${model}-20250929` : `${model}-2024-07-18`;
}

/** Whether a model reports reasoning tokens (o-series, gpt-5). */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || model.startsWith('gpt-5');
}

/** Deterministic id: `prefix` + 24 hex characters from `parts`. */
export function mockId(prefix: string, ...parts: (string | number)[]): string {
  const key = parts.join('\u0000');
  const a = hashText(key).toString(16).padStart(8, '0');
  const b = hashText(`${key}#b`).toString(16).padStart(8, '0');
  const c = hashText(`${key}#c`).toString(16).padStart(8, '0');
  return `${prefix}${a}${b}${c}`;
}

/** The last capitalized word of a text (`Paris` in "weather in Paris?"), for string arguments. */
function subjectOf(prompt: string): string {
  const words = prompt.match(/\b[A-Z][a-zA-Z]+\b/g) ?? [];
  const named = words.filter((w) => !['What', 'Please', 'Use', 'Call', 'The', 'I'].includes(w));
  return named.at(-1) ?? 'example';
}

/** A JSON schema as tools declare it (only what argument generation reads). */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
}

function valueFor(schema: Schema | undefined, prompt: string): unknown {
  if (schema?.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  switch (type) {
    case 'number':
    case 'integer':
      return 42;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return argumentsFor(schema, prompt);
    default:
      return subjectOf(prompt);
  }
}

/** Arguments for a tool call from its parameter schema: every property, with values taken from the prompt. */
export function argumentsFor(schema: unknown, prompt: string): Record<string, unknown> {
  const props = (schema as Schema | undefined)?.properties ?? {};
  const args: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(props)) args[name] = valueFor(sub, prompt);
  return args;
}

/** A tool as the mock sees it, whatever the API's shape. */
export interface MockTool {
  name: string;
  parameters: unknown;
}

/**
 * Which tool the answer calls, if any: the forced one (`forced` = a name, or `'any'` for
 * "some tool"), else the tool whose name the last user message mentions, else the first tool when
 * the message says "tool". `undefined` = answer with text.
 */
export function pickTool(
  tools: MockTool[],
  lastUser: string,
  forced: string | undefined,
): MockTool | undefined {
  if (tools.length === 0 || forced === 'none') return undefined;
  if (forced !== undefined && forced !== 'any' && forced !== 'auto')
    return tools.find((t) => t.name === forced);
  const text = lastUser.toLowerCase();
  const named = tools.find((t) => text.includes(t.name.toLowerCase()));
  if (named !== undefined) return named;
  if (forced === 'any' || /\btools?\b/.test(text)) return tools[0];
  return undefined;
}
