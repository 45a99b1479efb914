/**
 * The SDK's small client of the Argus REST API (`{endpoint}/api/v1/…`), used by the dataset
 * helpers and `runExperiment()`: the endpoint and headers of the SDK configuration, JSON in and
 * out, and one error type whose message names the call and the server's answer.
 */
import { getConfig } from './config.ts';

/** A failed API call: the server's status and error code when it answered. */
export class ArgusApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's error code (`NOT_FOUND`, `INVALID_PARAMETER` …), when it sent one. */
  readonly code: string | undefined;
  /** What went wrong without the call: `the server answered 409 CONFLICT: …`. */
  readonly detail: string;

  constructor(message: string, status: number, code?: string, detail?: string) {
    super(message);
    this.name = 'ArgusApiError';
    this.status = status;
    this.code = code;
    this.detail = detail ?? message;
  }
}

/** Default time limit of one API call. */
const API_TIMEOUT_MS = 30_000;

/** A JSON answer of the API. */
interface Reply {
  data?: unknown;
  nextCursor?: string | null;
  error?: { code?: unknown; message?: unknown };
}

/**
 * Calls the API and answers its whole JSON answer.
 * @throws ArgusApiError `Cannot GET /api/v1/datasets/x: the server answered 404 NOT_FOUND: …`.
 */
async function callApi(method: string, path: string, body?: unknown): Promise<Reply> {
  const config = getConfig();
  const what = `Cannot ${method} ${path.split('?')[0]}`;
  let response: Response;
  try {
    response = await fetch(`${config.endpoint}${path}`, {
      method,
      headers: {
        ...config.headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(Math.max(config.exportTimeoutMs, API_TIMEOUT_MS)),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    const detail = `cannot reach Argus at ${config.endpoint} (${cause})`;
    throw new ArgusApiError(`${what}: ${detail}`, 0, undefined, detail);
  }
  const text = await response.text();
  let reply: Reply | undefined;
  try {
    reply = text === '' ? {} : (JSON.parse(text) as Reply);
  } catch {
    reply = undefined;
  }
  if (!response.ok) {
    const code = typeof reply?.error?.code === 'string' ? reply.error.code : undefined;
    const message = typeof reply?.error?.message === 'string' ? reply.error.message : response.statusText;
    const detail = `the server answered ${response.status}${code ? ` ${code}` : ''}: ${message}`;
    throw new ArgusApiError(`${what}: ${detail}`, response.status, code, detail);
  }
  if (reply === undefined || typeof reply !== 'object') {
    throw new ArgusApiError(
      `${what}: the answer of ${config.endpoint} is not JSON; is it an Argus server?`,
      response.status,
    );
  }
  return reply;
}

/**
 * Calls the API and answers the `data` of its JSON answer.
 * @throws ArgusApiError as {@link callApi}.
 */
export async function apiRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await callApi(method, path, body)).data as T;
}

/** Most rows {@link apiList} reads (it stops after the page that reaches it). */
const MAX_LIST_ROWS = 1_000_000;

/** Reads every page of a cursor-paged list (`{ data, nextCursor }`), up to about 1,000,000 rows. */
export async function apiList<T>(path: string): Promise<T[]> {
  const rows: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  let cursor: string | undefined;
  do {
    const url = cursor === undefined ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`;
    const reply = await callApi('GET', url);
    if (!Array.isArray(reply.data)) {
      throw new ArgusApiError(`Cannot GET ${path.split('?')[0]}: the answer has no list`, 200);
    }
    rows.push(...(reply.data as T[]));
    cursor = typeof reply.nextCursor === 'string' ? reply.nextCursor : undefined;
  } while (cursor !== undefined && rows.length < MAX_LIST_ROWS);
  return rows;
}
