/**
 * Calls an LLM through a connection: chat completions and embeddings for openai, anthropic,
 * openai-compatible (Kimi, DeepSeek, vLLM, Ollama …) and azure-openai. Each attempt has a time
 * limit; 429 and 5xx answers (and dropped connections) are retried with backoff that honours
 * `Retry-After`; the host guard checks the address actually connected to. Errors carry the
 * provider's status and message with the key and header values removed.
 *
 * This is the interface experiments, online evaluation and the gateway use:
 * `callChat(target, request, options)` and `callEmbedding(target, { input }, options)`.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { ArgusError } from '../errors.ts';
import { checkAddress, guardedLookup, type HostPolicy, OPEN_HOST_POLICY } from './host-guard.ts';
import {
  type CallUsage,
  type ChatRequest,
  type ChatResult,
  type ConnectionTarget,
  chatRequest,
  embeddingRequest,
  parseChat,
  parseEmbeddings,
  providerMessage,
  type WireRequest,
} from './provider-wire.ts';

export type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  ChatTool,
  ConnectionTarget,
  TokenLogprob,
} from './provider-wire.ts';

/** Options of one call. */
export interface CallOptions {
  /** Time limit of each attempt, ms (default 60,000). */
  timeoutMs?: number;
  /** Retries after 429/5xx/network failures (default 3). */
  maxRetries?: number;
  /** First backoff, doubled per retry (default 500 ms); `Retry-After` wins when given. */
  backoffMs?: number;
  /** Longest wait between attempts, ms (default 20,000). */
  maxBackoffMs?: number;
  /** Host guard (default: nothing refused). */
  hostPolicy?: HostPolicy;
  signal?: AbortSignal;
}

/** What an embedding call answered. */
export interface EmbeddingResult {
  vectors: number[][];
  usage: CallUsage;
  model: string;
  latencyMs: number;
  attempts: number;
}

/** A failed provider call; `providerStatus` is the provider's HTTP status when it answered. */
export class ProviderCallError extends ArgusError {
  readonly providerStatus: number | undefined;
  readonly attempts: number;
  constructor(
    message: string,
    options: { providerStatus?: number; attempts: number; timeout?: boolean; cause?: unknown },
  ) {
    super(options.timeout ? 'PROVIDER_TIMEOUT' : 'PROVIDER_ERROR', message, { cause: options.cause });
    this.providerStatus = options.providerStatus;
    this.attempts = options.attempts;
  }
}

const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
const RETRY_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One HTTP POST/GET with a time limit and the guarded lookup. */
function send(
  wire: WireRequest,
  method: 'POST' | 'GET',
  policy: HostPolicy,
  timeoutMs: number,
  signal?: AbortSignal,
) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const url = new URL(wire.url);
    // A literal address skips the lookup hook, so it is checked here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0) {
      try {
        checkAddress(policy, literal, literal);
      } catch (error) {
        reject(error);
        return;
      }
    }
    const transport = url.protocol === 'https:' ? https : http;
    const body = method === 'POST' ? Buffer.from(JSON.stringify(wire.body)) : undefined;
    const request = transport.request(
      url,
      {
        method,
        headers: { ...wire.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        lookup: guardedLookup(policy) as never,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES)
            request.destroy(new Error(`the answer is over ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () =>
      request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Removes every secret of the target (key, header values) from a text. */
export function scrubSecrets(text: string, target: ConnectionTarget): string {
  let out = text;
  for (const secret of [target.apiKey, ...Object.values(target.headers)])
    if (secret.length >= 4) out = out.split(secret).join('***');
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}

function retryAfterMs(headers: http.IncomingHttpHeaders): number | undefined {
  const raw = headers['retry-after'];
  if (typeof raw !== 'string') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// The signal may outlive the call (the experiment runner's, shared by every call it makes), so
// the abort listener goes when the wait ends, not only when it fires.
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Sends with retries; returns the parsed JSON of a 2xx answer and the successful attempt's time.
 * @throws ProviderCallError (PROVIDER_ERROR / PROVIDER_TIMEOUT), ArgusError HOST_NOT_ALLOWED.
 */
export async function exchange(
  target: ConnectionTarget,
  wire: WireRequest,
  method: 'POST' | 'GET',
  options: CallOptions,
): Promise<{ json: unknown; latencyMs: number; attempts: number }> {
  const maxRetries = options.maxRetries ?? 3;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const host = new URL(wire.url).host;
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    let answer: RawAnswer | undefined;
    let failure: ProviderCallError;
    try {
      answer = await send(wire, method, options.hostPolicy ?? OPEN_HOST_POLICY, timeoutMs, options.signal);
    } catch (error) {
      // The host guard's refusal and a caller's abort end the call; network failures are retried.
      if (error instanceof ArgusError || options.signal?.aborted) throw error;
      const e = error as NodeJS.ErrnoException;
      const timeout = e.code === 'ETIMEDOUT';
      failure = new ProviderCallError(
        timeout
          ? `The provider at ${host} did not answer within ${timeoutMs} ms`
          : `Cannot reach the provider at ${host}: ${scrubSecrets(e.code ?? e.message, target)}`,
        { attempts: attempt, timeout, cause: error },
      );
    }
    let waitMs: number | undefined;
    if (answer !== undefined) {
      const latencyMs = performance.now() - started;
      let json: unknown;
      try {
        json = answer.text === '' ? {} : JSON.parse(answer.text);
      } catch {
        json = undefined;
      }
      if (answer.status >= 200 && answer.status < 300) {
        if (json === undefined)
          throw new ProviderCallError(`Cannot read the answer of ${host}: it is not JSON`, {
            attempts: attempt,
          });
        return { json, latencyMs, attempts: attempt };
      }
      const said = providerMessage(json) ?? answer.text.slice(0, 300);
      failure = new ProviderCallError(
        `The provider at ${host} answered ${answer.status}: ${scrubSecrets(said || '(no message)', target)}`,
        { providerStatus: answer.status, attempts: attempt },
      );
      if (!RETRY_STATUSES.has(answer.status)) throw failure;
      waitMs = retryAfterMs(answer.headers);
    }
    if (attempt > maxRetries) throw failure!;
    const jittered = (options.backoffMs ?? 500) * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
    await sleep(Math.min(waitMs ?? jittered, options.maxBackoffMs ?? 20_000), options.signal);
  }
}

/**
 * One chat completion through a connection.
 * @throws ProviderCallError (PROVIDER_ERROR / PROVIDER_TIMEOUT), ArgusError HOST_NOT_ALLOWED.
 */
export async function callChat(
  target: ConnectionTarget,
  request: ChatRequest,
  options: CallOptions = {},
): Promise<ChatResult> {
  const { json, latencyMs, attempts } = await exchange(target, chatRequest(target, request), 'POST', options);
  return { ...parseChat(target.provider, json), latencyMs, attempts };
}

/**
 * Embeddings of texts through a connection, with its `embeddingModel` unless `model` is given.
 * @throws ProviderCallError, ArgusError HOST_NOT_ALLOWED / INVALID_PARAMETER (no embedding model).
 */
export async function callEmbedding(
  target: ConnectionTarget,
  input: { texts: string[]; model?: string },
  options: CallOptions = {},
): Promise<EmbeddingResult> {
  const model = input.model ?? target.embeddingModel;
  if (!model)
    throw new ArgusError('INVALID_PARAMETER', "Cannot embed: the connection has no 'embeddingModel'");
  let wire: WireRequest;
  try {
    wire = embeddingRequest(target, model, input.texts);
  } catch (error) {
    throw new ArgusError('INVALID_PARAMETER', `Cannot embed: ${(error as Error).message}`);
  }
  const { json, latencyMs, attempts } = await exchange(target, wire, 'POST', options);
  const parsed = parseEmbeddings(json);
  if (parsed.vectors.length !== input.texts.length)
    throw new ProviderCallError(
      `The provider returned ${parsed.vectors.length} embeddings for ${input.texts.length} inputs`,
      {
        attempts,
      },
    );
  const usage = { inputTokens: parsed.inputTokens, outputTokens: 0, totalTokens: parsed.inputTokens };
  return { vectors: parsed.vectors, usage, model: parsed.model || model, latencyMs, attempts };
}

/** Lists models (`GET {base}/models`, OpenAI family): the cheapest call a connection test can make. */
export async function callListModels(
  target: ConnectionTarget,
  options: CallOptions = {},
): Promise<{ latencyMs: number }> {
  const wire = chatRequest(target, { model: 'x', messages: [] });
  const url =
    target.provider === 'anthropic'
      ? wire.url.replace(/\/messages$/, '/models')
      : wire.url
          .replace(/\/chat\/completions(\?.*)?$/, '/models$1')
          .replace(/\/deployments\/[^/]+\/models/, '/models');
  const { latencyMs } = await exchange(target, { ...wire, url, body: undefined }, 'GET', options);
  return { latencyMs };
}
