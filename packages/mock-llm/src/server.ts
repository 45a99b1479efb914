/**
 * The mock LLM HTTP server: routes OpenAI and Anthropic endpoints to their handlers, adds the
 * configured latency and random failures, and binds loopback only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Answer, failure, type HandlerContext, isRecord } from './answer.ts';
import { createMessage } from './anthropic.ts';
import { type Dialect, FAIL_HEADER, InvalidRequest, parseFailHeader } from './errors.ts';
import { readBody, sendJson, sendSse } from './http.ts';
import { CHUNK_DELAY_HEADER, delayHeader, LATENCY_HEADER } from './latency.ts';
import { chatCompletion } from './openai-chat.ts';
import { embeddings, listModels, textCompletion } from './openai-misc.ts';
import { createResponse } from './openai-responses.ts';
import { createRandom } from './text.ts';

/** Options of {@link startMockLlm}. */
export interface MockLlmOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Loopback host to bind: `127.0.0.1` (default), `::1` or `localhost`. */
  host?: string;
  /** Delay before every answer starts (time to first byte), ms. Default 0. */
  latencyMs?: number;
  /** Delay between streamed events, ms. Default 5. */
  chunkDelayMs?: number;
  /** Share of requests (0–1) that fail at random with 429 or 500. Default 0. */
  errorRate?: number;
  /** Seed of the random failures and of answer ids. Default 42. */
  seed?: number;
}

/** A running mock. */
export interface MockLlm {
  /** Base URL without a path, e.g. `http://127.0.0.1:41234` (OpenAI clients use `${url}/v1`). */
  url: string;
  /** Requests received so far, failed ones included. */
  readonly requests: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

type Handler = (body: Record<string, unknown>, ctx: HandlerContext) => Answer;

/** POST routes by path suffix, so prefixed base URLs (`/openai/v1`, `/ollama/v1`) work too. */
const ROUTES: [suffix: string, dialect: Dialect, handler: Handler][] = [
  ['/chat/completions', 'openai', chatCompletion],
  ['/completions', 'openai', textCompletion],
  ['/responses', 'openai', createResponse],
  ['/embeddings', 'openai', embeddings],
  ['/messages', 'anthropic', createMessage],
];

/** Starts the mock LLM server; resolves once it listens. */
export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlm> {
  const { port = 0, host = '127.0.0.1', latencyMs = 0, chunkDelayMs = 5, errorRate = 0, seed = 42 } = options;
  if (!LOOPBACK.has(host)) throw new Error(`Cannot start mock LLM: host '${host}' is not a loopback address`);
  if (!(errorRate >= 0 && errorRate <= 1))
    throw new Error(`Cannot start mock LLM: errorRate ${errorRate} is not between 0 and 1`);
  const random = createRandom(seed);
  let requests = 0;

  async function answer(req: IncomingMessage): Promise<Answer> {
    const path = new URL(req.url ?? '/', 'http://mock').pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && path.endsWith('/models'))
      return listModels(req.headers['anthropic-version'] !== undefined);
    const route = ROUTES.find(([suffix]) => path.endsWith(suffix));
    if (req.method !== 'POST' || route === undefined)
      return failure('openai', 404, `Unknown request URL: ${req.method} ${path}`);
    const [, dialect, handler] = route;
    const rawBody = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return failure(dialect, 400, 'We could not parse the JSON body of your request.');
    }
    if (!isRecord(body)) return failure(dialect, 400, 'The request body must be a JSON object.');
    const header = req.headers[FAIL_HEADER];
    const forced = typeof header === 'string' ? parseFailHeader(header) : undefined;
    if (typeof header === 'string' && forced === undefined)
      return failure(
        dialect,
        400,
        `Invalid ${FAIL_HEADER} header '${header}': expected a status from 400 to 599 or 'stream'`,
      );
    if (forced !== undefined && 'status' in forced) return failure(dialect, forced.status);
    if (errorRate > 0 && random() < errorRate) return failure(dialect, random() < 0.5 ? 429 : 500);
    try {
      return handler(body, { seed, rawBody, failStream: forced !== undefined && 'stream' in forced });
    } catch (error) {
      if (error instanceof InvalidRequest) return failure(dialect, 400, error.message);
      throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    try {
      const result = await answer(req);
      const delayMs = latencyMs + (delayHeader(req.headers, LATENCY_HEADER) ?? 0);
      if (delayMs > 0) await sleep(delayMs);
      const chunkDelay = delayHeader(req.headers, CHUNK_DELAY_HEADER) ?? chunkDelayMs;
      if (result.type === 'sse') await sendSse(res, result.events, chunkDelay, result.headers);
      else sendJson(res, result.status, result.body, result.headers);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error' } });
      else res.destroy();
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
