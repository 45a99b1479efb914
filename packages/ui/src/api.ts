/**
 * The typed client of the Argus query API and the one fetch wrapper of the console: every
 * request carries the selected project (`x-argus-project`) and, when it changes something, the
 * session's CSRF token (`x-argus-csrf`); a 401 tells the sign-in gate the session is gone. Every
 * call takes an AbortSignal so a page that is left cancels its requests; failures throw
 * {@link ApiError} carrying the server's `error.code` and `error.message`.
 */

import type {
  AlertEvent,
  AlertRule,
  BandPoint,
  Channel,
  Delivery,
  RuleInput,
  RuleState,
  Silence,
} from '@argus/shared';
import type {
  Health,
  MetricName,
  ModelPrice,
  ModelSummary,
  Page,
  PricingCatalog,
  SeriesResult,
  SessionDetail,
  SessionSummary,
  SpanSummary,
  TraceDetail,
  TraceSummary,
  UserSummary,
} from './api-types.ts';
import type { TimeWindow } from './lib/time-range.ts';
import { FILTER_KEYS, type ViewParams } from './lib/url-state.ts';

/** An API failure: the server's error code and message, or a network error. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Seconds to wait before retrying (the `Retry-After` of a 429). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, status: number, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** What every request carries: the selected project and the session's CSRF token. */
const connection: {
  project: string | undefined;
  csrfToken: string | undefined;
  onUnauthorized: ((error: ApiError) => void) | undefined;
} = { project: undefined, csrfToken: undefined, onUnauthorized: undefined };

/** Sets the project every request acts on (`x-argus-project`); undefined = the server's default. */
export function setRequestProject(projectId: string | undefined): void {
  connection.project = projectId;
}

/** The project requests act on (undefined until the session is known). */
export function requestProject(): string | undefined {
  return connection.project;
}

/** Sets the CSRF token sent with every unsafe request (from sign-in or `/auth/me`). */
export function setCsrfToken(token: string | undefined): void {
  connection.csrfToken = token;
}

/** Registers what happens when a request answers 401 (the session expired or ended). */
export function setUnauthorizedHandler(handler: ((error: ApiError) => void) | undefined): void {
  connection.onUnauthorized = handler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function requestHeaders(method: string, contentType: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (contentType) headers['content-type'] = contentType;
  if (connection.project) headers['x-argus-project'] = connection.project;
  if (connection.csrfToken && !SAFE_METHODS.has(method)) headers['x-argus-csrf'] = connection.csrfToken;
  return headers;
}

/** Query values; arrays repeat the parameter, undefined and empty values are left out. */
export type Query = Record<string, string | number | readonly string[] | undefined>;

/** Builds `?a=1&b=x&b=y` from a query object. */
export function toSearch(query: Query): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The API filter parameters of a view: its window plus every filter set in the URL. */
export function filterQuery(params: ViewParams, window: TimeWindow, only?: readonly string[]): Query {
  const query: Query = { from: Math.floor(window.fromMs), to: Math.ceil(window.toMs) };
  for (const key of FILTER_KEYS) {
    if (only && !only.includes(key)) continue;
    const value = params[key];
    if (value !== undefined) query[key] = Array.isArray(value) ? value : String(value);
  }
  return query;
}

/** Options of {@link requestJson}. */
export interface RequestOptions {
  signal?: AbortSignal;
  method?: string;
  body?: unknown;
  /** Sends `body` (a string) as it is with this Content-Type, instead of as JSON (file uploads). */
  contentType?: string;
  /** A 401 here is an answer (wrong password, no session yet), not an ended session. */
  isSignIn?: boolean;
}

/** Sends a request through the wrapper; resolves with the raw response (no status check). */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const isRaw = options.contentType !== undefined && typeof options.body === 'string';
  const hasBody = options.body !== undefined;
  try {
    return await fetch(path, {
      method,
      signal: options.signal,
      credentials: 'same-origin',
      headers: requestHeaders(
        method,
        hasBody ? (isRaw ? options.contentType : 'application/json') : undefined,
      ),
      body: !hasBody ? undefined : isRaw ? (options.body as string) : JSON.stringify(options.body),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('NETWORK', `Cannot reach the Argus server: ${(error as Error).message}`, 0);
  }
}

/** The ApiError of a failed response (its JSON `error`, else its status line). */
export function errorOf(response: Response, body: unknown, options: RequestOptions = {}): ApiError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const retry = Number(response.headers.get('retry-after'));
  const apiError = new ApiError(
    error?.code ?? 'HTTP_ERROR',
    error?.message ?? `The server answered ${response.status} ${response.statusText}`,
    response.status,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
  if (response.status === 401 && !options.isSignIn) connection.onUnauthorized?.(apiError);
  return apiError;
}

/** GETs (or sends) JSON; throws ApiError with the server's message on a non-2xx answer. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) throw errorOf(response, body, options);
  return body as T;
}

const get = <T>(path: string, query: Query, signal?: AbortSignal) =>
  requestJson<T>(path + toSearch(query), { signal });

/** Lists traces, newest first. */
export function fetchTraces(query: Query, signal?: AbortSignal): Promise<Page<TraceSummary>> {
  return get('/api/v1/traces', query, signal);
}

/** Fetches one trace with every span and its scores. */
export function fetchTrace(traceId: string, signal?: AbortSignal): Promise<TraceDetail> {
  return get(`/api/v1/traces/${encodeURIComponent(traceId)}`, {}, signal);
}

/** Lists span summaries, newest first. */
export function fetchSpans(query: Query, signal?: AbortSignal): Promise<Page<SpanSummary>> {
  return get('/api/v1/spans', query, signal);
}

/** Fetches metric series. */
export function fetchSeries(
  query: Query & { metrics?: string; groupBy?: string; step?: number },
  signal?: AbortSignal,
): Promise<SeriesResult> {
  return get('/api/v1/metrics/series', query, signal);
}

/** Comma list for the `metrics` parameter. */
export function metricsParam(metrics: readonly MetricName[]): string {
  return metrics.join(',');
}

/** Lists sessions. */
export function fetchSessions(query: Query, signal?: AbortSignal): Promise<Page<SessionSummary>> {
  return get('/api/v1/sessions', query, signal);
}

/** Fetches one session as its turns, oldest first. */
export function fetchSession(sessionId: string, query: Query, signal?: AbortSignal): Promise<SessionDetail> {
  return get(`/api/v1/sessions/${encodeURIComponent(sessionId)}`, query, signal);
}

/** Lists users. */
export function fetchUsers(query: Query, signal?: AbortSignal): Promise<Page<UserSummary>> {
  return get('/api/v1/users', query, signal);
}

/** Lists model versions seen in the window. */
export function fetchModels(query: Query, signal?: AbortSignal): Promise<Page<ModelSummary>> {
  return get('/api/v1/models', query, signal);
}

/** The pricing catalog. */
export function fetchPricing(signal?: AbortSignal): Promise<PricingCatalog> {
  return get('/api/v1/pricing', {}, signal);
}

/** The project's price overrides. */
export function fetchOverrides(signal?: AbortSignal): Promise<{ data: ModelPrice[] }> {
  return get('/api/v1/pricing/overrides', {}, signal);
}

/** Replaces the project's price overrides; the server validates them. */
export function saveOverrides(overrides: ModelPrice[]): Promise<{ data: ModelPrice[] }> {
  return requestJson('/api/v1/pricing/overrides', { method: 'PUT', body: { data: overrides } });
}

/** Server health. */
export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return get('/api/v1/health', {}, signal);
}

/** Alert rules. */
export function fetchAlertRules(signal?: AbortSignal): Promise<{ data: AlertRule[] }> {
  return get('/api/v1/alerts/rules', {}, signal);
}

/** One rule and its state. */
export function fetchAlertRule(
  id: string,
  signal?: AbortSignal,
): Promise<{ data: AlertRule; state: RuleState | null }> {
  return get(`/api/v1/alerts/rules/${encodeURIComponent(id)}`, {}, signal);
}

/** Creates (no id) or replaces a rule; the server validates it. */
export function saveAlertRule(rule: RuleInput, id?: string): Promise<{ data: AlertRule }> {
  return id
    ? requestJson(`/api/v1/alerts/rules/${encodeURIComponent(id)}`, { method: 'PUT', body: rule })
    : requestJson('/api/v1/alerts/rules', { method: 'POST', body: rule });
}

/** Deletes a rule. */
export function deleteAlertRule(id: string): Promise<void> {
  return requestJson(`/api/v1/alerts/rules/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** An anomaly rule's band over a window. */
export function fetchAlertBand(
  id: string,
  query: Query,
  signal?: AbortSignal,
): Promise<{ points: BandPoint[] }> {
  return get(`/api/v1/alerts/rules/${encodeURIComponent(id)}/band`, query, signal);
}

/** Current state of every rule. */
export function fetchAlertStates(signal?: AbortSignal): Promise<{ data: RuleState[] }> {
  return get('/api/v1/alerts/states', {}, signal);
}

/** Alert history, newest first. */
export function fetchAlertEvents(query: Query, signal?: AbortSignal): Promise<{ data: AlertEvent[] }> {
  return get('/api/v1/alerts/events', query, signal);
}

/** Notification channels. */
export function fetchChannels(signal?: AbortSignal): Promise<{ data: Channel[] }> {
  return get('/api/v1/alerts/channels', {}, signal);
}

/** Creates a channel. */
export function createChannel(channel: { name: string; type: string; config: unknown }): Promise<{
  data: Channel;
}> {
  return requestJson('/api/v1/alerts/channels', { method: 'POST', body: channel });
}

/** Deletes a channel. */
export function deleteChannel(id: string): Promise<void> {
  return requestJson(`/api/v1/alerts/channels/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Sends a test notification; a failed delivery answers 502 with the delivery in `data`. */
export async function testChannel(id: string): Promise<Delivery> {
  const response = await send(`/api/v1/alerts/channels/${encodeURIComponent(id)}/test`, { method: 'POST' });
  const body = (await response.json().catch(() => undefined)) as { data?: Delivery } | undefined;
  if (body?.data) return body.data;
  throw errorOf(response, body);
}

/** Silences (active and future). */
export function fetchSilences(signal?: AbortSignal): Promise<{ data: Silence[] }> {
  return get('/api/v1/alerts/silences', {}, signal);
}

/** Creates a silence. */
export function createSilence(silence: {
  matcher: { ruleId: string };
  endsAt: string;
  comment: string;
}): Promise<{ data: Silence }> {
  return requestJson('/api/v1/alerts/silences', { method: 'POST', body: silence });
}

/** Deletes a silence. */
export function deleteSilence(id: string): Promise<void> {
  return requestJson(`/api/v1/alerts/silences/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
