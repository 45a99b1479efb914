/**
 * Provider-shaped error answers and the deterministic failure triggers: a message containing
 * `[[fail:429]]` (any 4xx/5xx status) fails its request, `[[fail:stream]]` breaks a stream midway.
 * The same triggers come as a request header, `x-mock-fail: 429` or `x-mock-fail: stream`, for
 * callers that must not put a marker in what a user typed (the demo).
 */

/** Which API family shapes the error body. */
export type Dialect = 'openai' | 'anthropic';

/** An error answer: status, body and headers. */
export interface MockError {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const FAIL_STATUS = /\[\[fail:(\d{3})\]\]/;

/** Three digits as a failure status (400–599), else undefined; for the marker and the header alike. */
function failStatus(digits: string): number | undefined {
  const status = Number(digits);
  return status >= 400 && status <= 599 ? status : undefined;
}

/** The status a `[[fail:NNN]]` marker in `text` asks for (400–599), if any. */
export function failStatusOf(text: string): number | undefined {
  const m = FAIL_STATUS.exec(text);
  return m === null ? undefined : failStatus(m[1]!);
}

/** The request header that fails a request without a marker in its messages. */
export const FAIL_HEADER = 'x-mock-fail';

/** What an `x-mock-fail` header value asks for; `undefined` for a value it does not understand. */
export function parseFailHeader(value: string): { status: number } | { stream: true } | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'stream') return { stream: true };
  if (!/^\d{3}$/.test(text)) return undefined;
  const status = failStatus(text);
  return status === undefined ? undefined : { status };
}

/**
 * Whether a stream fails after its first chunks: `text` holds `[[fail:stream]]`, or `forced`
 * (the `x-mock-fail: stream` header, `HandlerContext.failStream`).
 */
export function wantsStreamFailure(text: string, forced = false): boolean {
  return forced || text.includes('[[fail:stream]]');
}

const OPENAI_ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again in 1s.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
};

const ANTHROPIC_ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  404: { type: 'not_found_error', message: 'Not found' },
  429: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

/** An error answer shaped like the provider's, with `message` replacing the default text. */
export function mockError(dialect: Dialect, status: number, message?: string): MockError {
  const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
  if (dialect === 'anthropic') {
    const known = ANTHROPIC_ERRORS[status] ?? ANTHROPIC_ERRORS[status >= 500 ? 500 : 400]!;
    return {
      status,
      headers: { ...headers, 'request-id': `req_mock_${status}` },
      body: { type: 'error', error: { type: known.type, message: message ?? known.message } },
    };
  }
  const known = OPENAI_ERRORS[status] ?? OPENAI_ERRORS[status >= 500 ? 500 : 400]!;
  return {
    status,
    headers: { ...headers, 'x-request-id': `req_mock_${status}` },
    body: { error: { message: message ?? known.message, type: known.type, param: null, code: known.code } },
  };
}

/** A request the mock cannot answer (bad JSON, missing field): a 400 in the dialect's shape. */
export class InvalidRequest extends Error {
  override name = 'InvalidRequest';
}
