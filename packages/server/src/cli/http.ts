/**
 * The one HTTP client of the CLI commands that talk to a running server: base URL from `--url` /
 * ARGUS_URL, credentials from `--api-key` / ARGUS_API_KEY (sent as a Bearer token), the project
 * from `--project` / ARGUS_PROJECT, JSON in and
 * out, and errors turned into one-line messages that say what to do.
 */
import { cliServerUrl } from '../config.ts';
import { ArgusError } from '../errors.ts';

/** Where and as whom CLI commands call the API. */
export interface ApiTarget {
  base: string;
  apiKey?: string;
  /** Project to act on (x-argus-project); absent = the key's project, or `default`. */
  project?: string;
  /** Further headers (a signed-in session's cookie and CSRF token). */
  headers?: Record<string, string>;
}

/** The flags every server-talking command accepts. */
export const TARGET_FLAGS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  project: { type: 'string' },
} as const;

/** The target from the flags (`url`, `api-key`) and the environment. */
export function apiTarget(
  values: { url?: string; 'api-key'?: string; project?: string },
  env: NodeJS.ProcessEnv = process.env,
): ApiTarget {
  const apiKey = values['api-key'] || env.ARGUS_API_KEY || undefined;
  const project = values.project || env.ARGUS_PROJECT || undefined;
  return { base: cliServerUrl(values.url, env), apiKey, project };
}

/** Options of {@link apiCall}. */
export interface ApiCallOptions {
  body?: unknown;
  /** A body sent as it is instead of JSON (a dataset file to import). */
  text?: { body: string; contentType: string };
  /** Statuses answered as data rather than thrown (e.g. 502 of a channel test). */
  accept?: readonly number[];
  /** Time limit of the whole exchange, body included; default 60 s, 0 = none (streamed exports). */
  timeoutMs?: number;
}

/**
 * Calls the API and answers the parsed JSON body.
 * @throws ArgusError with the server's code and message, or a hint when the server is unreachable
 *   or asks for credentials.
 */
export async function apiCall<T = Record<string, unknown>>(
  target: ApiTarget,
  method: string,
  path: string,
  options: ApiCallOptions = {},
): Promise<T> {
  const response = await apiFetch(target, method, path, options);
  return (await parseJson(response)) as T;
}

/**
 * Sends a request to the API and answers the response (its body unread) when the status is 2xx
 * or accepted; for streamed answers such as exports.
 * @throws ArgusError as {@link apiCall}.
 */
export async function apiFetch(
  target: ApiTarget,
  method: string,
  path: string,
  options: ApiCallOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...target.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.text !== undefined) headers['content-type'] = options.text.contentType;
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  if (target.project) headers['x-argus-project'] = target.project;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let response: Response;
  try {
    response = await fetch(target.base + path, {
      method,
      headers,
      body: options.text?.body ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined,
    });
  } catch (error) {
    throw new ArgusError(
      'STORE_UNAVAILABLE',
      `Cannot reach the Argus server at ${target.base}: ${(error as Error).cause ?? (error as Error).message}. Is it running ('npx argus start')?`,
    );
  }
  if (!response.ok && !options.accept?.includes(response.status)) {
    const json = await parseJson(response);
    const hint =
      response.status === 401
        ? target.apiKey
          ? ' (the API key was refused: check ARGUS_API_KEY / --api-key)'
          : ' (pass an API key with --api-key or ARGUS_API_KEY, or sign in with --user NAME and ARGUS_PASSWORD; create keys in the console under Settings → API keys or with `argus keys create`)'
        : '';
    throw new ArgusError(
      'BAD_REQUEST',
      `${response.status} ${json.error?.code ?? ''}: ${json.error?.message ?? response.statusText}${hint}`,
    );
  }
  return response;
}

async function parseJson(
  response: Response,
): Promise<Record<string, unknown> & { error?: { code: string; message: string } }> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { error: { code: '', message: text.slice(0, 200) } };
  }
}
