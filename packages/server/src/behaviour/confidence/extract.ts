/**
 * A span's logprobs, wherever the instrumentation put them, → its confidence figures and the
 * bounded token lists kept for the trace view. Sources (docs/behaviour.md, "Confidence"):
 * - `gen_ai.choice.logprobs` events (the Argus SDKs; any instrumentation may send them): one per
 *   choice with `logprobs.content` (JSON or list of `{token, logprob, top_logprobs}`), or only
 *   `logprobs.mean` + `logprobs.count` when the tokens are not sent;
 * - the span attribute `argus.logprobs` (local models, custom code), any shape
 *   {@link parseLogprobs} reads;
 * - a recorded OpenAI-format response (LangSmith runs, the gateway), through {@link responseLogprobs}.
 * Every token of every choice is pooled into one set of figures.
 */
import { type KeepBudget, keptTokens, type StoredTokenLogprob, spanBudget } from './keep.ts';
import { parseLogprobs, type TokenLogprob } from './parse.ts';
import { type Confidence, confidenceFromMean, confidenceOf, pooledFromMeans } from './stats.ts';

/** The span event that carries one choice's logprobs. */
export const LOGPROBS_EVENT = 'gen_ai.choice.logprobs';
/** The span attribute convention for instrumentation without events (local models). */
export const LOGPROBS_ATTRIBUTE = 'argus.logprobs';
/** Attributes of {@link LOGPROBS_EVENT}. */
export const LOGPROBS_CONTENT = 'logprobs.content';
export const LOGPROBS_MEAN = 'logprobs.mean';
export const LOGPROBS_COUNT = 'logprobs.count';
/** Set on a stored event when its token list was cut to the per-span bound. */
export const LOGPROBS_DROPPED = 'logprobs.dropped';

/** A stored token list and what it left out. */
export interface KeptList {
  content: StoredTokenLogprob[];
  dropped: number;
}

/** What {@link extractConfidence} found. */
export interface ExtractedConfidence {
  confidence?: Confidence;
  /** Token lists to store in place of `logprobs.content`, by index of the event. */
  eventContent: Map<number, KeptList>;
  /** Tokens of a source that had no event (attribute, recorded response): store as a new event. */
  extraContent?: KeptList;
  /** Why a payload was not read (for `argus.warning`). */
  warnings: string[];
}

/** The span's inputs: its events and the value of {@link LOGPROBS_ATTRIBUTE} (or a recorded response's). */
export interface ConfidenceSources {
  events: readonly { name: string; attributes: Record<string, unknown> }[];
  extra?: unknown;
  /** How warnings name `extra` (default `'argus.logprobs'`). */
  extraName?: string;
}

/** Reads every source of a span; never throws. */
export function extractConfidence(sources: ConfidenceSources): ExtractedConfidence {
  const out: ExtractedConfidence = { eventContent: new Map(), warnings: [] };
  const tokens: TokenLogprob[] = [];
  const means: Confidence[] = [];
  const budget: KeepBudget = spanBudget();
  for (const [i, event] of sources.events.entries()) {
    if (event.name !== LOGPROBS_EVENT) continue;
    const attrs = event.attributes;
    const content = attrs[LOGPROBS_CONTENT];
    if (content !== undefined) {
      const parsed = parseLogprobs(content);
      if (parsed.ok) {
        tokens.push(...parsed.tokens);
        out.eventContent.set(i, keptTokens(parsed.tokens, budget));
        continue;
      }
      out.warnings.push(`event ${i} '${LOGPROBS_CONTENT}': ${parsed.error}`);
    }
    const fromMean = confidenceFromMean(attrs[LOGPROBS_MEAN], attrs[LOGPROBS_COUNT]);
    if (fromMean) means.push(fromMean);
  }
  if (sources.extra !== undefined) {
    const parsed = parseLogprobs(sources.extra);
    if (parsed.ok) {
      tokens.push(...parsed.tokens);
      out.extraContent = keptTokens(parsed.tokens, budget);
    } else out.warnings.push(`${sources.extraName ?? `'${LOGPROBS_ATTRIBUTE}'`}: ${parsed.error}`);
  }
  if (means.length === 0) {
    if (tokens.length > 0) out.confidence = confidenceOf(tokens);
  } else {
    // Some choices came as a mean only: the pooled figures are the ones a mean can give.
    const parts = tokens.length > 0 ? [confidenceOf(tokens), ...means] : means;
    out.confidence = pooledFromMeans(parts);
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The logprobs of a recorded OpenAI-format response, in any of the places recorders keep them:
 * `choices[].logprobs` (chat and legacy completions), LangChain's
 * `generations[][].generation_info.logprobs` and `response_metadata.logprobs`. All choices are
 * concatenated into one `{ content }` payload; undefined when the response has none.
 */
export function responseLogprobs(response: unknown): unknown {
  if (!isObj(response)) return undefined;
  const found: unknown[] = [];
  for (const choice of Array.isArray(response.choices) ? response.choices : []) {
    if (isObj(choice) && choice.logprobs != null) found.push(choice.logprobs);
  }
  const generations = Array.isArray(response.generations) ? response.generations.flat(2) : [];
  for (const g of generations) {
    if (!isObj(g)) continue;
    const info = isObj(g.generation_info) ? g.generation_info : undefined;
    const message = isObj(g.message) ? g.message : undefined;
    const meta = message && isObj(message.response_metadata) ? message.response_metadata : undefined;
    const kwargs = message && isObj(message.kwargs) ? message.kwargs : undefined;
    const kwMeta = kwargs && isObj(kwargs.response_metadata) ? kwargs.response_metadata : undefined;
    const lp = info?.logprobs ?? meta?.logprobs ?? kwMeta?.logprobs;
    if (lp != null) found.push(lp);
  }
  if (isObj(response.response_metadata) && response.response_metadata.logprobs != null)
    found.push(response.response_metadata.logprobs);
  if (found.length === 0) return undefined;
  if (found.length === 1) return found[0];
  const content: unknown[] = [];
  for (const f of found) {
    const parsed = parseLogprobs(f);
    if (parsed.ok)
      for (const t of parsed.tokens)
        content.push({ token: t.token, logprob: t.logprob, top_logprobs: t.top });
  }
  return content.length > 0 ? { content } : found[0];
}
