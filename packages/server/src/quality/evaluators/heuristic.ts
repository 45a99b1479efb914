/**
 * The code evaluators: exact_match, contains, regex, json_valid, json_schema, levenshtein and
 * numeric. Pure and synchronous; every score is 0–1 and binary checks label `pass`/`fail`.
 * Regex patterns were checked for catastrophic backtracking when the evaluator was saved
 * (validate.ts); texts are cut at {@link MAX_TEXT_CHARS} before a pattern runs.
 */
import type { EvaluationResult } from '@argus/shared';
import { z } from 'zod';
import { ArgusError } from '../../errors.ts';
import type {
  containsConfig,
  exactMatchConfig,
  jsonSchemaConfig,
  levenshteinConfig,
  numericConfig,
  regexConfig,
} from './config.ts';
import { type EvaluationSample, normalizeText, textOf } from './sample.ts';

/** Longest text a regex or contains check reads. */
export const MAX_TEXT_CHARS = 100_000;
/** Longest text levenshtein compares (the distance costs length × length). */
export const MAX_EDIT_CHARS = 4_000;

type Config<S extends z.ZodType> = z.infer<S>;

const pass = (ok: boolean, explanation?: string): EvaluationResult => ({
  score: ok ? 1 : 0,
  label: ok ? 'pass' : 'fail',
  ...(explanation ? { explanation } : {}),
});

function expectedText(sample: EvaluationSample, type: string): string {
  if (sample.expected === undefined || sample.expected === null)
    throw new ArgusError('INVALID_PARAMETER', `Cannot run ${type}: the sample has no expected output`);
  return textOf(sample.expected);
}

export function exactMatch(
  sample: EvaluationSample,
  config: Config<typeof exactMatchConfig>,
): EvaluationResult {
  const expected = normalizeText(expectedText(sample, 'exact_match'), config);
  return pass(normalizeText(textOf(sample.output), config) === expected);
}

export function contains(sample: EvaluationSample, config: Config<typeof containsConfig>): EvaluationResult {
  const needle = config.value ?? expectedText(sample, 'contains');
  const haystack = textOf(sample.output).slice(0, MAX_TEXT_CHARS);
  const ignoreCase = config.ignoreCase ?? false;
  return pass(ignoreCase ? haystack.toLowerCase().includes(needle.toLowerCase()) : haystack.includes(needle));
}

export function regex(sample: EvaluationSample, config: Config<typeof regexConfig>): EvaluationResult {
  const re = new RegExp(config.pattern, config.flags ?? '');
  return pass(re.test(textOf(sample.output).slice(0, MAX_TEXT_CHARS)));
}

/** The output as a JSON value: a string is parsed, anything else is JSON already. */
function outputJson(sample: EvaluationSample): { ok: true; value: unknown } | { ok: false; why: string } {
  if (typeof sample.output !== 'string') return { ok: true, value: sample.output };
  try {
    return { ok: true, value: JSON.parse(stripFence(sample.output)) };
  } catch (error) {
    return { ok: false, why: `not JSON: ${(error as Error).message}` };
  }
}

/** Models often wrap JSON in a ```json fence; the JSON inside counts. */
function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return m ? m[1]! : text;
}

export function jsonValid(sample: EvaluationSample): EvaluationResult {
  const parsed = outputJson(sample);
  return parsed.ok ? pass(true) : pass(false, parsed.why);
}

const compiled = new Map<string, z.ZodType>();

/**
 * The validator of a JSON Schema (zod's converter; drafts 4, 7 and 2020-12).
 * @throws Error naming what the converter does not support.
 */
export function compileJsonSchema(schema: Record<string, unknown>): z.ZodType {
  const key = JSON.stringify(schema);
  let validator = compiled.get(key);
  if (!validator) {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    if (compiled.size >= 100) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validator);
  }
  return validator;
}

export function jsonSchema(
  sample: EvaluationSample,
  config: Config<typeof jsonSchemaConfig>,
): EvaluationResult {
  const parsed = outputJson(sample);
  if (!parsed.ok) return pass(false, parsed.why);
  const result = compileJsonSchema(config.schema).safeParse(parsed.value);
  if (result.success) return pass(true);
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? `'${issue.path.join('.')}'` : 'the value';
  return pass(false, `${where}: ${issue.message}`);
}

/** Edit distance of two strings (two rows of the table, O(min) memory). */
export function editDistance(a: string, b: string): number {
  if (a.length < b.length) [a, b] = [b, a];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

export function levenshtein(
  sample: EvaluationSample,
  config: Config<typeof levenshteinConfig>,
): EvaluationResult {
  const fold = (t: string) => (config.ignoreCase ? t.toLowerCase() : t).slice(0, MAX_EDIT_CHARS);
  const a = fold(textOf(sample.output));
  const b = fold(expectedText(sample, 'levenshtein'));
  const longest = Math.max(a.length, b.length);
  const score = longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
  if (config.threshold === undefined) return { score };
  return { score, label: score >= config.threshold ? 'pass' : 'fail' };
}

/** The first number in a value (`"The answer is -3.5."` → -3.5). */
export function firstNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const m = /-?\d+(?:[.,]\d+)?(?:e[+-]?\d+)?/i.exec(textOf(value).replace(/(\d),(\d{3})\b/g, '$1$2'));
  return m ? Number(m[0].replace(',', '.')) : undefined;
}

export function numeric(sample: EvaluationSample, config: Config<typeof numericConfig>): EvaluationResult {
  const expected = firstNumber(sample.expected);
  if (expected === undefined)
    throw new ArgusError('INVALID_PARAMETER', 'Cannot run numeric: the expected output holds no number');
  const actual = firstNumber(sample.output);
  if (actual === undefined) return pass(false, 'the output holds no number');
  const allowed = Math.max(config.tolerance ?? 0, (config.relativeTolerance ?? 0) * Math.abs(expected));
  const difference = Math.abs(actual - expected);
  return pass(difference <= allowed + 1e-12, `|${actual} − ${expected}| = ${difference}`);
}
