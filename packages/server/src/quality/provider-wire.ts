/**
 * The wire shapes of the providers a connection can name: where a chat or embedding request
 * goes, its headers and body, and how the answer reads back into one {@link ChatResult}. Pure
 * (no I/O), so each provider's shape is tested with plain values.
 */
import type { LlmProvider } from '@argus/shared';

/** Where and how to call a provider (an opened connection: the key in plain text). */
export interface ConnectionTarget {
  provider: LlmProvider;
  /** Unset = the provider's public endpoint (openai, anthropic); required for the others. */
  baseUrl?: string | undefined;
  /** Empty for servers without keys (a local Ollama). */
  apiKey: string;
  headers: Record<string, string>;
  /** Azure OpenAI `api-version` (default {@link DEFAULT_AZURE_API_VERSION}). */
  apiVersion?: string | undefined;
  /** The model embedding evaluators use. */
  embeddingModel?: string | undefined;
}

/** One chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A tool the model may (or must, see `toolChoice`) call. */
export interface ChatTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

/** A chat completion request, provider-neutral. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  /** Ask for token log-probabilities (OpenAI family only; Anthropic has none). */
  logprobs?: boolean;
  /** Alternatives per token, 0–20. */
  topLogprobs?: number;
  tools?: ChatTool[];
  /** Force a call of this tool. */
  toolChoice?: string;
  /** Structured output: a JSON Schema the answer must follow (OpenAI family). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
}

/** One generated token with its log-probability. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  topLogprobs?: { token: string; logprob: number }[];
}

/** Token usage of a call. */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** What a chat call answered. */
export interface ChatResult {
  text: string;
  toolCalls: { name: string; arguments: unknown }[];
  usage: CallUsage;
  /** Present when asked for and the provider returned them. */
  logprobs?: TokenLogprob[];
  /** The model that answered (the provider's name for it). */
  model: string;
  finishReason: string;
  /** Wall time of the successful attempt, ms. */
  latencyMs: number;
  /** Attempts made (1 + retries after 429/5xx). */
  attempts: number;
}

/** An HTTP request to make. */
export interface WireRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** The default Azure OpenAI data-plane API version. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

const DEFAULT_BASE: Partial<Record<LlmProvider, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/** The base URL a target calls, without a trailing slash. */
export function baseUrlOf(target: ConnectionTarget): string {
  const base = target.baseUrl ?? DEFAULT_BASE[target.provider];
  if (base === undefined) throw new Error(`A ${target.provider} connection needs a baseUrl`);
  return base.replace(/\/+$/, '');
}

/** Content type, the connection's headers and its key in the header its provider reads. */
export function authHeaders(target: ConnectionTarget): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey === '') return headers;
  if (target.provider === 'anthropic') headers['x-api-key'] = target.apiKey;
  else if (target.provider === 'azure-openai') headers['api-key'] = target.apiKey;
  else headers.authorization = `Bearer ${target.apiKey}`;
  return headers;
}

function azureUrl(target: ConnectionTarget, deployment: string, op: string): string {
  const version = encodeURIComponent(target.apiVersion ?? DEFAULT_AZURE_API_VERSION);
  return `${baseUrlOf(target)}/openai/deployments/${encodeURIComponent(deployment)}/${op}?api-version=${version}`;
}

/** The HTTP request of a chat call. */
export function chatRequest(target: ConnectionTarget, request: ChatRequest): WireRequest {
  const headers = authHeaders(target);
  if (target.provider === 'anthropic') {
    headers['anthropic-version'] ??= '2023-06-01';
    return { url: `${baseUrlOf(target)}/v1/messages`, headers, body: anthropicBody(request) };
  }
  const url =
    target.provider === 'azure-openai'
      ? azureUrl(target, request.model, 'chat/completions')
      : `${baseUrlOf(target)}/chat/completions`;
  return { url, headers, body: openaiBody(request, target.provider === 'openai') };
}

function openaiBody(r: ChatRequest, isOpenai: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { model: r.model, messages: r.messages };
  if (r.temperature !== undefined) body.temperature = r.temperature;
  // OpenAI's reasoning models refuse max_tokens; compatible servers (vLLM, Ollama) know only it.
  if (r.maxTokens !== undefined) body[isOpenai ? 'max_completion_tokens' : 'max_tokens'] = r.maxTokens;
  if (r.topP !== undefined) body.top_p = r.topP;
  if (r.seed !== undefined) body.seed = r.seed;
  if (r.stop !== undefined) body.stop = r.stop;
  if (r.logprobs) {
    body.logprobs = true;
    if (r.topLogprobs) body.top_logprobs = r.topLogprobs;
  }
  if (r.tools?.length) {
    body.tools = r.tools.map((t) => ({ type: 'function', function: t }));
    if (r.toolChoice) body.tool_choice = { type: 'function', function: { name: r.toolChoice } };
  }
  if (r.jsonSchema)
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: r.jsonSchema.name, schema: r.jsonSchema.schema },
    };
  return body;
}

function anthropicBody(r: ChatRequest): Record<string, unknown> {
  const system = r.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const body: Record<string, unknown> = {
    model: r.model,
    max_tokens: r.maxTokens ?? 1024,
    messages: r.messages.filter((m) => m.role !== 'system'),
  };
  if (system.length > 0) body.system = system.join('\n\n');
  if (r.temperature !== undefined) body.temperature = r.temperature;
  if (r.topP !== undefined) body.top_p = r.topP;
  if (r.stop !== undefined) body.stop_sequences = r.stop;
  if (r.tools?.length) {
    body.tools = r.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.parameters,
    }));
    if (r.toolChoice) body.tool_choice = { type: 'tool', name: r.toolChoice };
  }
  return body;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Reads a chat answer (everything but timing). */
export function parseChat(provider: LlmProvider, json: unknown): Omit<ChatResult, 'latencyMs' | 'attempts'> {
  const body = asRecord(json);
  const usage = asRecord(body.usage);
  if (provider === 'anthropic') {
    const blocks = Array.isArray(body.content) ? body.content.map(asRecord) : [];
    const input =
      num(usage.input_tokens) + num(usage.cache_read_input_tokens) + num(usage.cache_creation_input_tokens);
    const output = num(usage.output_tokens);
    return {
      text: blocks
        .filter((b) => b.type === 'text')
        .map((b) => String(b.text ?? ''))
        .join(''),
      toolCalls: blocks
        .filter((b) => b.type === 'tool_use')
        .map((b) => ({ name: String(b.name), arguments: b.input })),
      usage: { inputTokens: input, outputTokens: output, totalTokens: input + output },
      model: String(body.model ?? ''),
      finishReason: String(body.stop_reason ?? ''),
    };
  }
  const choice = asRecord(Array.isArray(body.choices) ? body.choices[0] : undefined);
  const message = asRecord(choice.message);
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.map(asRecord) : [];
  const logprobContent = asRecord(choice.logprobs).content;
  const result: Omit<ChatResult, 'latencyMs' | 'attempts'> = {
    text: typeof message.content === 'string' ? message.content : '',
    toolCalls: calls.map((c) => {
      const fn = asRecord(c.function);
      return { name: String(fn.name ?? ''), arguments: parseArguments(fn.arguments) };
    }),
    usage: {
      inputTokens: num(usage.prompt_tokens),
      outputTokens: num(usage.completion_tokens),
      totalTokens: num(usage.total_tokens) || num(usage.prompt_tokens) + num(usage.completion_tokens),
    },
    model: String(body.model ?? ''),
    finishReason: String(choice.finish_reason ?? ''),
  };
  if (Array.isArray(logprobContent))
    result.logprobs = logprobContent.map(asRecord).map((t) => ({
      token: String(t.token ?? ''),
      logprob: num(t.logprob),
      ...(Array.isArray(t.top_logprobs)
        ? {
            topLogprobs: t.top_logprobs
              .map(asRecord)
              .map((a) => ({ token: String(a.token ?? ''), logprob: num(a.logprob) })),
          }
        : {}),
    }));
  return result;
}

/** The HTTP request of an embedding call (OpenAI family only). */
export function embeddingRequest(target: ConnectionTarget, model: string, input: string[]): WireRequest {
  if (target.provider === 'anthropic')
    throw new Error('Anthropic has no embeddings API; use an OpenAI or OpenAI-compatible connection');
  const url =
    target.provider === 'azure-openai'
      ? azureUrl(target, model, 'embeddings')
      : `${baseUrlOf(target)}/embeddings`;
  return { url, headers: authHeaders(target), body: { model, input } };
}

/** Reads an embedding answer: vectors in input order, and input tokens. */
export function parseEmbeddings(json: unknown): { vectors: number[][]; inputTokens: number; model: string } {
  const body = asRecord(json);
  const data = Array.isArray(body.data) ? body.data.map(asRecord) : [];
  const vectors = data
    .slice()
    .sort((a, b) => num(a.index) - num(b.index))
    .map((d) => (Array.isArray(d.embedding) ? d.embedding.map(Number) : []));
  return { vectors, inputTokens: num(asRecord(body.usage).prompt_tokens), model: String(body.model ?? '') };
}

/** The provider's own error message in an error answer, if it has one. */
export function providerMessage(json: unknown): string | undefined {
  const error = asRecord(json).error;
  if (typeof error === 'string') return error;
  const message = asRecord(error).message;
  return typeof message === 'string' ? message : undefined;
}
