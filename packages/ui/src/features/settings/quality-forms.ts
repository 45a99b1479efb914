/**
 * Pure parts of the LLM connection and evaluator forms: the starting configuration of each
 * evaluator type, reading the configuration text, and the models list typed as a comma list.
 */
import type { EvaluatorType } from '@argus/shared';

/** What each evaluator type does, in a line. */
export const EVALUATOR_HELP: Record<EvaluatorType, string> = {
  exact_match: 'output equals expected after the normalisations set (1 or 0)',
  contains: 'output contains `value` (or the expected output when unset)',
  regex: 'output matches `pattern`',
  json_valid: 'output parses as JSON',
  json_schema: 'output is JSON valid against `schema`',
  levenshtein: 'edit-distance similarity of output and expected, 0–1',
  numeric: 'output is a number within `tolerance` of expected',
  embedding_similarity: "cosine similarity through a connection's embedding model",
  llm_judge:
    'a model grades the output with a template (correctness, faithfulness, relevance, toxicity, helpfulness) or your prompt',
  perplexity:
    "perplexity of the expected output given the input, scored by a model through a connection's /completions with echo (vLLM); lower is better",
};

/** The starting configuration of a type (a connection id fills the ones that call a model). */
export function configTemplate(
  type: EvaluatorType,
  connectionId = '<connection id>',
): Record<string, unknown> {
  switch (type) {
    case 'exact_match':
      return { ignoreCase: true, trim: true, collapseWhitespace: true };
    case 'contains':
      return { ignoreCase: true };
    case 'regex':
      return { pattern: '^\\d+$', flags: 'i' };
    case 'json_valid':
      return {};
    case 'json_schema':
      return { schema: { type: 'object', required: ['answer'] } };
    case 'levenshtein':
      return { ignoreCase: true, threshold: 0.8 };
    case 'numeric':
      return { tolerance: 0.01 };
    case 'embedding_similarity':
      return { connectionId, threshold: 0.8 };
    case 'llm_judge':
      return {
        connectionId,
        model: 'gpt-4o-mini',
        template: 'correctness',
        labels: { correct: 1, incorrect: 0 },
      };
    case 'perplexity':
      return { connectionId, model: '<model served by the connection>', text: 'expected', withInput: true };
  }
}

/** The configuration text as an object, or the reason it is not one. */
export function parseConfig(text: string): { config?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return { config: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Cannot read the configuration: ${(error as Error).message}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { error: 'Cannot read the configuration: expected a JSON object like { "ignoreCase": true }' };
  return { config: value as Record<string, unknown> };
}

/** A sample as typed in the test form: JSON when it parses as JSON, else the text as it is. */
export function sampleValue(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (/^[[{"]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}
