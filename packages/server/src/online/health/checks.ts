/**
 * The built-in output-health checks of an LLM span (docs/evaluation.md, "Output health"):
 * truncated, empty, refusal, repetition loop, answer in another language than the question,
 * invalid JSON where JSON was asked for, a call to a tool the request did not declare. Each is a
 * cheap test on the stored span (no model call); each flag comes with a reason. A check that
 * cannot tell (content not captured, text too short) raises nothing. Pure.
 */
import type { OutputHealthFlag, Span } from '@argus/shared';
import { textOf } from '../../quality/evaluators/sample.ts';
import { detectLanguage, proseOf } from './language.ts';
import { repetitionOf } from './repetition.ts';

/** What the checks found on one span. */
export interface HealthResult {
  flags: OutputHealthFlag[];
  /** Why each flag was raised. */
  reasons: Partial<Record<OutputHealthFlag, string>>;
}

const TRUNCATION_REASONS = new Set(['length', 'max_tokens', 'max_output_tokens', 'model_length']);
const REFUSAL_FINISH = new Set(['content_filter', 'safety', 'refusal', 'recitation']);

// An apology or statement of inability near the start, aimed at the request itself.
const REFUSALS: readonly RegExp[] = [
  /^(i'?m|i am) (so |very |really )?sorry,? (but )?(i|i'm|i am) (can(no|')t|cannot|am not able|'m not able|unable|won'?t)/i,
  /^(sorry|unfortunately),? (but )?(i|i'm|i am) (can(no|')t|cannot|am not able|'m not able|unable|won'?t)/i,
  /^i (can(no|')t|cannot|won'?t|am unable to|'m unable to|am not able to|'m not able to) (help|assist|provide|comply|do that|answer|fulfil|fulfill|support|engage|share|create|generate|write|give)/i,
  /^as an ai( language model)?,? i (can(no|')t|cannot|am unable|'m unable|am not able|do not|don't)/i,
  /^i('m| am) not (able|allowed|permitted) to (help|assist|provide|answer|do|share|discuss)/i,
  /^i must (decline|refuse)/i,
  /^(lo siento|disculpa),? (pero )?no (puedo|es posible)/i,
  /^(je suis )?désolée?,? (mais )?je ne (peux|suis pas en mesure)/i,
  /^es tut mir leid,? (aber )?ich kann/i,
  /^(mi dispiace|purtroppo),? (ma )?non posso/i,
  /^(desculpe|sinto muito),? (mas )?não posso/i,
];
/** A question asking for a translation or an answer in a named language (`\b` would not see `Ü`). */
const TRANSLATION_ASKED =
  /(^|[^\p{L}])(translat|traduc|traduz|übersetz|vertaal|перевед|in (english|french|german|spanish|italian|portuguese|dutch|russian|chinese|japanese|korean|arabic))/iu;
/** Longest answer the refusal check reads: a long answer that starts with "I can't" usually goes on to help. */
const REFUSAL_MAX_CHARS = 400;

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The parts of the output messages (the canonical `[{ role, parts }]` shape), or none. */
function outputParts(span: Span): Record<string, unknown>[] {
  if (!Array.isArray(span.output)) return [];
  return span.output.flatMap((m) => {
    const parts = asRecord(m)?.parts;
    return Array.isArray(parts) ? parts.map(asRecord).filter((p) => p !== undefined) : [];
  });
}

/** The output's text (tool calls excluded), or undefined when the output was not captured. */
function answerText(span: Span): string | undefined {
  if (span.output === undefined || span.output === null) return undefined;
  if (!Array.isArray(span.output)) return textOf(span.output);
  return outputParts(span)
    .filter((p) => (p.type === 'text' || p.type === undefined) && typeof p.content === 'string')
    .map((p) => p.content as string)
    .join('\n');
}

/** The text of the last user message of the input. */
function questionText(span: Span): string | undefined {
  if (typeof span.input === 'string') return span.input;
  if (!Array.isArray(span.input)) return undefined;
  const users = span.input.filter((m) => asRecord(m)?.role === 'user');
  const last = users.at(-1);
  return last === undefined ? undefined : textOf([last]);
}

function toolCalls(span: Span): string[] {
  return outputParts(span)
    .filter((p) => p.type === 'tool_call' && typeof p.name === 'string')
    .map((p) => p.name as string);
}

/** Names of the declared tools (OpenAI `{type, function: {name}}`, flat `{name}`), or undefined when none were recorded. */
function declaredTools(span: Span): Set<string> | undefined {
  let tools = span.toolDefinitions;
  if (typeof tools === 'string') {
    try {
      tools = JSON.parse(tools);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const names = tools
    .map((t) => asRecord(t))
    .map((t) => (typeof t?.name === 'string' ? t.name : asRecord(t?.function)?.name))
    .filter((n): n is string => typeof n === 'string');
  return names.length > 0 ? new Set(names) : undefined;
}

/** True when the request asked for JSON (a response format or the GenAI output type). */
function jsonRequested(span: Span): boolean {
  const a = span.attributes ?? {};
  if (a['gen_ai.output.type'] === 'json') return true;
  const format = String(
    a['gen_ai.openai.request.response_format'] ?? a['gen_ai.request.response_format'] ?? '',
  );
  if (/json/i.test(format)) return true;
  const invocation = a['llm.invocation_parameters'];
  return typeof invocation === 'string' && /"response_format"\s*:\s*\{[^}]*"json/i.test(invocation);
}

function isJson(text: string): boolean {
  const body = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/```$/, '')
    .trim();
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function truncation(span: Span): string | undefined {
  const reason = span.finishReasons.find((r) => TRUNCATION_REASONS.has(r.toLowerCase()));
  if (reason) return `finish reason '${reason}'`;
  const max = span.params?.maxTokens;
  if (span.finishReasons.length === 0 && max && span.outputTokens >= max)
    return `${span.outputTokens} output tokens reached max tokens ${max}`;
  return undefined;
}

function refusal(span: Span, text: string | undefined): string | undefined {
  const filtered = span.finishReasons.find((r) => REFUSAL_FINISH.has(r.toLowerCase()));
  if (filtered) return `finish reason '${filtered}'`;
  for (const part of outputParts(span))
    if (part.type === 'refusal') return 'the output carries a refusal part';
  if (text === undefined) return undefined;
  const start = text.trim().replace(/^["*_\s]+/, '');
  if (start.length === 0 || start.length > REFUSAL_MAX_CHARS) return undefined;
  const normalized = start.replace(/[\u2018\u2019]/g, "'");
  return REFUSALS.some((pattern) => pattern.test(normalized))
    ? `the answer declines: '${start.slice(0, 80)}'`
    : undefined;
}

function languageMismatch(span: Span, text: string | undefined): string | undefined {
  const question = questionText(span);
  if (!question || !text) return undefined;
  // Asked to translate or to answer in a language: another language is the point.
  if (TRANSLATION_ASKED.test(question)) return undefined;
  // The answer first: most answers are too short or mixed to tell, and then the question need not be read.
  const answered = detectLanguage(text);
  if (!answered) return undefined;
  const asked = detectLanguage(question);
  if (!asked || asked === answered) return undefined;
  return `the question is in '${asked}', the answer in '${answered}'`;
}

/** Runs every check on an LLM span. */
export function checkOutput(span: Span): HealthResult {
  const result: HealthResult = { flags: [], reasons: {} };
  const flag = (name: OutputHealthFlag, reason: string | undefined) => {
    if (reason === undefined) return;
    result.flags.push(name);
    result.reasons[name] = reason;
  };
  // A failed call has no answer to judge: its error is already on the span.
  if (span.status === 'error') return result;
  const text = answerText(span);
  const calls = toolCalls(span);
  flag('truncated', truncation(span));
  const nothing =
    (text !== undefined && text.trim() === '' && calls.length === 0) ||
    (text === undefined && span.outputTokens === 0 && span.finishReasons.length > 0 && !span.tokensEstimated);
  flag('empty', nothing ? 'the output has no text and no tool call' : undefined);
  flag('refusal', refusal(span, text));
  const loop = text ? repetitionOf(proseOf(text)) : undefined;
  flag('repetition', loop);
  flag('language_mismatch', languageMismatch(span, text));
  if (
    text &&
    text.trim() !== '' &&
    jsonRequested(span) &&
    !result.flags.includes('truncated') &&
    !isJson(text)
  )
    flag('invalid_json', 'JSON was requested and the answer does not parse as JSON');
  const declared = declaredTools(span);
  const unknown = declared ? calls.filter((name) => !declared.has(name)) : [];
  if (unknown.length > 0)
    flag(
      'undeclared_tool',
      `called ${unknown.map((n) => `'${n}'`).join(', ')}, not among the declared tools`,
    );
  return result;
}
