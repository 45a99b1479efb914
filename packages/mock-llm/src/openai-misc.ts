/**
 * OpenAI legacy `POST /v1/completions`, `POST /v1/embeddings` (deterministic unit vectors, float
 * or base64) and `GET /v1/models` (OpenAI- or Anthropic-shaped by the request's headers).
 */
import {
  type Answer,
  CREATED_AT,
  failureFromMarker,
  type HandlerContext,
  json,
  optionalCount,
  requireString,
  streamPieces,
} from './answer.ts';
import { InvalidRequest } from './errors.ts';
import type { SseEvent } from './http.ts';
import { completionLogprobs } from './logprobs.ts';
import { isSemanticModel, semanticEmbedding } from './semantic-embedding.ts';
import {
  countTokens,
  createRandom,
  datedModel,
  hashText,
  mockAnswer,
  mockId,
  truncateWords,
} from './text.ts';

/** Handles a legacy text completion (`gpt-3.5-turbo-instruct`). */
export function textCompletion(body: Record<string, unknown>, ctx: HandlerContext): Answer {
  const model = requireString(body, 'model');
  const prompts = Array.isArray(body.prompt) ? body.prompt.map(String) : [String(body.prompt ?? '')];
  const failed = failureFromMarker('openai', prompts.join('\n'));
  if (failed !== undefined) return failed;
  const maxTokens = optionalCount(body, 'max_tokens') ?? 16;
  // `echo` returns the prompt before the answer; `logprobs: N` adds legacy logprobs (N alternatives).
  const echo = body.echo === true;
  const top = body.logprobs === null ? undefined : optionalCount(body, 'logprobs');
  if (top !== undefined && top > 20) throw new InvalidRequest("Invalid 'logprobs': the most is 20");
  const answers = prompts.map((prompt) =>
    maxTokens === 0 ? { text: '', truncated: false } : truncateWords(mockAnswer(prompt), maxTokens),
  );
  const choices = answers.map(({ text, truncated }, index) => {
    const prompt = echo ? (prompts[index] ?? '') : '';
    return {
      text: prompt + text,
      index,
      logprobs: top === undefined ? null : completionLogprobs(model, prompt, text, top),
      finish_reason: truncated ? 'length' : 'stop',
    };
  });
  const promptTokens = prompts.reduce((sum, p) => sum + countTokens(p), 0);
  const completionTokens = answers.reduce((sum, a) => sum + countTokens(a.text), 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const base = {
    id: mockId('cmpl-', ctx.seed, ctx.rawBody),
    object: 'text_completion',
    created: CREATED_AT,
    model: datedModel(model),
  };
  const headers = { 'x-request-id': mockId('req_', ctx.seed, ctx.rawBody) };
  if (body.stream !== true) return json({ ...base, choices, usage }, headers);
  const includeUsage =
    typeof body.stream_options === 'object' &&
    (body.stream_options as Record<string, unknown>)?.include_usage === true;
  const events: SseEvent[] = choices.flatMap((c) => [
    ...streamPieces(c.text).map((piece) => ({
      data: {
        ...base,
        choices: [{ text: piece, index: c.index, logprobs: null, finish_reason: null }],
        ...(includeUsage ? { usage: null } : {}),
      },
    })),
    {
      data: {
        ...base,
        choices: [{ text: '', index: c.index, logprobs: null, finish_reason: c.finish_reason }],
        ...(includeUsage ? { usage: null } : {}),
      },
    },
  ]);
  if (includeUsage) events.push({ data: { ...base, choices: [], usage } });
  events.push({ data: '[DONE]' });
  return { type: 'sse', events, headers };
}

const DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** A deterministic unit vector for `text` (float32 precision, so float and base64 answers agree). */
export function mockEmbedding(text: string, dimensions: number): number[] {
  const random = createRandom(hashText(text));
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((sum, v) => sum + v * v, 0)) || 1;
  return raw.map((v) => Math.fround(v / norm));
}

/** Inputs as texts plus their token count: strings count words, token arrays count their length. */
function embeddingInputs(input: unknown): { texts: string[]; tokens: number } {
  const list: unknown[] =
    Array.isArray(input) && input.length > 0 && typeof input[0] !== 'number' ? input : [input];
  let tokens = 0;
  const texts = list.map((item) => {
    if (typeof item === 'string') {
      tokens += countTokens(item);
      return item;
    }
    if (Array.isArray(item)) {
      tokens += item.length;
      return item.join(',');
    }
    throw new InvalidRequest("Invalid 'input': expected a string, an array of strings or of token arrays");
  });
  return { texts, tokens };
}

/** Handles an embeddings request. */
export function embeddings(body: Record<string, unknown>, ctx: HandlerContext): Answer {
  const model = requireString(body, 'model');
  if (body.input === undefined || body.input === '')
    throw new InvalidRequest("Missing required parameter: 'input'");
  const { texts, tokens } = embeddingInputs(body.input);
  const failed = failureFromMarker('openai', texts.join('\n'));
  if (failed !== undefined) return failed;
  const dimensions = optionalCount(body, 'dimensions') ?? DIMENSIONS[model] ?? 1536;
  const base64 = body.encoding_format === 'base64';
  const data = texts.map((text, index) => {
    const vector = isSemanticModel(model)
      ? semanticEmbedding(text, dimensions)
      : mockEmbedding(text, dimensions);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  return json(
    { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    { 'x-request-id': mockId('req_', ctx.seed, ctx.rawBody) },
  );
}

const OPENAI_MODELS = [
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-5',
  'o3-mini',
  'o4-mini',
  'gpt-3.5-turbo-instruct',
  'text-embedding-3-small',
  'text-embedding-3-large',
];
const ANTHROPIC_MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];

/** `GET /v1/models`: Anthropic's list shape when the request carries `anthropic-version`, else OpenAI's. */
export function listModels(isAnthropic: boolean): Answer {
  if (isAnthropic) {
    const data = ANTHROPIC_MODELS.map((id) => ({
      type: 'model',
      id: datedModel(id),
      display_name: id,
      created_at: new Date(CREATED_AT * 1000).toISOString(),
    }));
    return json({ data, has_more: false, first_id: data[0]!.id, last_id: data.at(-1)!.id });
  }
  return json({
    object: 'list',
    data: OPENAI_MODELS.map((id) => ({ id, object: 'model', created: CREATED_AT, owned_by: 'argus-mock' })),
  });
}
