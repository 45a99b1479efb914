/**
 * Scoring given text through a connection: the OpenAI-compatible legacy `POST /completions`
 * with `echo: true` and `logprobs`, as vLLM, llama.cpp's server and OpenAI's completion models
 * answer it. The context (a dataset item's input) and the text go as one prompt; only the text's
 * tokens (found by `text_offset`) are kept, so the figures are those of the text given its context.
 */
import type { LlmProvider } from '@argus/shared';
import { parseLogprobs, type TokenLogprob } from '../behaviour/confidence/index.ts';
import { ArgusError } from '../errors.ts';
import { type CallOptions, exchange, ProviderCallError } from './connections-client.ts';
import { type CallUsage, type ConnectionTarget, chatRequest } from './provider-wire.ts';

/** What to score. */
export interface ScoreTextRequest {
  model: string;
  /** Text before the scored text (not scored); '' for none. */
  context: string;
  text: string;
  /** Alternatives per token (0–20; OpenAI's completion models allow 5). */
  alternatives?: number;
}

/** The scored text's tokens, with usage. */
export interface ScoreTextResult {
  tokens: TokenLogprob[];
  usage: CallUsage;
  model: string;
  latencyMs: number;
  attempts: number;
}

/** The separator between context and text. */
export const CONTEXT_SEPARATOR = '\n';

const SCORING_PROVIDERS: readonly LlmProvider[] = ['openai', 'openai-compatible', 'azure-openai'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Scores `request.text` after `request.context`.
 * @throws ArgusError INVALID_PARAMETER (a provider without a completions endpoint),
 *   ProviderCallError when the call fails or the answer has no usable logprobs.
 */
export async function callScoreText(
  target: ConnectionTarget,
  request: ScoreTextRequest,
  options: CallOptions = {},
): Promise<ScoreTextResult> {
  if (!SCORING_PROVIDERS.includes(target.provider))
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Cannot score text through a ${target.provider} connection: it needs an OpenAI-compatible /completions endpoint that answers echo with logprobs (vLLM, OpenAI completion models)`,
    );
  const chat = chatRequest(target, { model: request.model, messages: [] });
  const prefix = request.context === '' ? '' : `${request.context}${CONTEXT_SEPARATOR}`;
  const body = {
    model: request.model,
    prompt: prefix + request.text,
    echo: true,
    logprobs: request.alternatives ?? 5,
    // One generated token at most: some servers refuse 0; it is cut off by its offset below.
    max_tokens: 1,
    temperature: 0,
  };
  const url = chat.url.replace(/\/chat\/completions(?=\?|$)/, '/completions');
  const { json, latencyMs, attempts } = await exchange(
    target,
    { url, headers: chat.headers, body },
    'POST',
    options,
  );
  const choice = isObj(json) && Array.isArray(json.choices) && isObj(json.choices[0]) ? json.choices[0] : {};
  const tokens = textTokens(choice.logprobs, prefix.length, prefix.length + request.text.length);
  if (typeof tokens === 'string')
    throw new ProviderCallError(`Cannot score the text: ${tokens}`, { attempts });
  const usage = isObj(json) && isObj(json.usage) ? json.usage : {};
  const inputTokens = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  const outputTokens = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0;
  return {
    tokens,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    model: isObj(json) && typeof json.model === 'string' ? json.model : request.model,
    latencyMs,
    attempts,
  };
}

/**
 * The tokens that start within [from, to) of the prompt, from legacy logprobs; a reason string
 * when there are none. Offsets missing from the answer are rebuilt from the token texts.
 */
export function textTokens(logprobs: unknown, from: number, to: number): TokenLogprob[] | string {
  if (!isObj(logprobs) || !Array.isArray(logprobs.tokens) || !Array.isArray(logprobs.token_logprobs))
    return 'the answer has no logprobs (does the server support echo with logprobs on /completions?)';
  const offsets: number[] = [];
  let at = 0;
  for (const [i, token] of logprobs.tokens.entries()) {
    const given = Array.isArray(logprobs.text_offset) ? logprobs.text_offset[i] : undefined;
    offsets.push(typeof given === 'number' ? given : at);
    at = (typeof given === 'number' ? given : at) + (typeof token === 'string' ? token.length : 0);
  }
  const keep = offsets.map((o) => o >= from && o < to);
  const pick = <T>(list: unknown): T[] => (Array.isArray(list) ? list.filter((_, i) => keep[i]) : []);
  // The text's first token has no logprob when there is no context: nothing predicted it.
  const parsed = parseLogprobs({
    tokens: pick(logprobs.tokens),
    token_logprobs: pick(logprobs.token_logprobs),
    top_logprobs: pick(logprobs.top_logprobs),
  });
  return parsed.ok ? parsed.tokens : parsed.error;
}
