/**
 * Reads a judge's verdict from its answer: a JSON object in the text (bare, in a ```json fence,
 * or among other words) or the arguments of its tool call; the score must lie on the scale or the
 * label be one of the labels (case and spaces ignored). Pure.
 */
import type { EvaluationResult } from '@argus/shared';
import type { ResolvedJudge } from './judge-templates.ts';

/** A verdict, or why the answer could not be read. */
export type Verdict = { ok: true; result: EvaluationResult } | { ok: false; why: string };

/** The first JSON object in a text. */
function jsonObjectIn(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  // Try each closing brace from the last back: the longest object that parses wins.
  for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
    try {
      const value = JSON.parse(text.slice(start, end + 1));
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // a shorter slice may parse
    }
  }
  return undefined;
}

const fold = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Reads the verdict from fields (`score` or `label`, plus `reasoning`/`explanation`). */
export function verdictOf(fields: Record<string, unknown>, judge: ResolvedJudge): Verdict {
  const reasoning = fields.reasoning ?? fields.explanation ?? fields.reason;
  const explanation = typeof reasoning === 'string' ? reasoning.slice(0, 2000) : undefined;
  const extra = explanation ? { explanation } : {};
  if (judge.labels) {
    const raw = fields.label ?? fields.verdict ?? fields.score;
    if (typeof raw !== 'string') return { ok: false, why: 'the JSON object has no "label"' };
    const label = Object.keys(judge.labels).find((l) => fold(l) === fold(raw));
    if (label === undefined)
      return {
        ok: false,
        why: `"${raw.slice(0, 50)}" is not one of the labels ${Object.keys(judge.labels).join(', ')}`,
      };
    return { ok: true, result: { score: judge.labels[label]!, label, ...extra } };
  }
  const { min, max } = judge.scale!;
  const raw = typeof fields.score === 'string' ? Number(fields.score) : fields.score;
  if (typeof raw !== 'number' || !Number.isFinite(raw))
    return { ok: false, why: 'the JSON object has no numeric "score"' };
  if (raw < min || raw > max) return { ok: false, why: `the score ${raw} is not from ${min} to ${max}` };
  return { ok: true, result: { score: (raw - min) / (max - min), label: String(raw), ...extra } };
}

/** Reads the verdict of one answer: its tool call's arguments when it made one, else its text. */
export function parseVerdict(
  answer: { text: string; toolCalls: { name: string; arguments: unknown }[] },
  judge: ResolvedJudge,
): Verdict {
  const call = answer.toolCalls[0];
  if (call !== undefined) {
    const args = call.arguments;
    if (typeof args === 'object' && args !== null) return verdictOf(args as Record<string, unknown>, judge);
    return { ok: false, why: 'the tool call arguments are not a JSON object' };
  }
  const fields = jsonObjectIn(answer.text);
  if (fields === undefined) return { ok: false, why: 'the answer holds no JSON object' };
  return verdictOf(fields, judge);
}
