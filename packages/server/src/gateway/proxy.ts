/**
 * One gateway call, from the caller's request to the recorded span: read the body, check the
 * key's limits, answer from the cache when asked, route (routing.ts), run the attempts
 * (attempts.ts), then answer (reply.ts) — the provider's answer passed on as it streams, with
 * `x-argus-trace-id` and `x-argus-overhead-ms`. The span is built and written after the answer
 * has ended, off the caller's path (finish.ts).
 */
import type { IncomingMessage } from 'node:http';
import { requestAuth } from '../auth/context.ts';
import { isArgusError } from '../errors.ts';
import { readBody } from '../http/body.ts';
import type { Reply } from '../http/router.ts';
import { runAttempts } from './attempts.ts';
import { cacheKey } from './cache.ts';
import { type CallContext, callContextOf } from './call-context.ts';
import { gatewayError } from './errors.ts';
import type { Call, Endpoint } from './finish.ts';
import type { ProxyDeps } from './proxy-deps.ts';
import { nextOrTimeout } from './relay.ts';
import { type AnswerPlan, earlyStream, replay, replyOf } from './reply.ts';
import { requestFacts } from './request-facts.ts';
import { type Candidate, planRoute } from './routing.ts';
import { pickShadows } from './shadow-queue.ts';

export type { Endpoint } from './finish.ts';
export type { ProxyDeps } from './proxy-deps.ts';

/** The caller's provider key header (used only when the project allows it). */
export const PROVIDER_KEY_HEADER = 'x-argus-provider-key';
/** `true`/`false`: cache this call or not, whatever the key and project say. */
export const CACHE_HEADER = 'x-argus-cache';

/** Reads the body and context of a call, or answers the caller's mistake. */
async function readCall(
  request: IncomingMessage,
  endpoint: Endpoint,
  deps: ProxyDeps,
  t0: number,
): Promise<Call | Reply> {
  const { dialect } = endpoint;
  let raw: Buffer;
  let context: CallContext;
  try {
    raw = await readBody(request, {
      maxBodyBytes: deps.maxBodyBytes,
      maxDecompressedBytes: deps.maxBodyBytes,
    });
    context = callContextOf(request.headers);
  } catch (error) {
    if (!isArgusError(error)) throw error;
    return gatewayError(dialect, error.status, error.code, error.message);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return gatewayError(dialect, 400, 'BAD_REQUEST', 'Cannot parse the request: the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return gatewayError(
      dialect,
      400,
      'BAD_REQUEST',
      'Cannot parse the request: the body is not a JSON object',
    );
  const facts = requestFacts(body as Record<string, unknown>);
  if (facts.model === '')
    return gatewayError(
      dialect,
      400,
      'INVALID_PARAMETER',
      "Invalid request: 'model' is missing or not a string",
    );
  const { principal, projectId } = requestAuth(request);
  const keyId = principal.kind === 'key' ? principal.id : '-';
  return { endpoint, projectId, keyId, t0, context, facts, raw };
}

/** Whether a call is cached: its header, else its key's setting, else the project's. */
async function wantsCache(
  call: Call,
  request: IncomingMessage,
  deps: ProxyDeps,
  enabled: boolean,
): Promise<boolean> {
  const header = String(request.headers[CACHE_HEADER] ?? '').toLowerCase();
  if (header === 'true' || header === '1') return true;
  if (header === 'false' || header === '0') return false;
  const limits = await deps.limiter.limitsOf(call.projectId, call.keyId);
  return limits?.cache ?? enabled;
}

/** The body sent upstream: the caller's bytes unchanged unless the model, usage or logprobs change. */
function upstreamBody(call: Call, c: Candidate, o: { addUsage: boolean; sampleLogprobs: boolean }): Buffer {
  if (!o.addUsage && !o.sampleLogprobs && c.model === call.facts.model) return call.raw;
  const body: Record<string, unknown> = { ...call.facts.body, model: c.model };
  if (o.addUsage) {
    const options =
      typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
    body.stream_options = { ...options, include_usage: true };
  }
  if (o.sampleLogprobs) body.logprobs = true;
  return Buffer.from(JSON.stringify(body));
}

/** Serves one call. */
export async function proxyCall(
  request: IncomingMessage,
  endpoint: Endpoint,
  deps: ProxyDeps,
): Promise<Reply> {
  const t0 = performance.now();
  const read = await readCall(request, endpoint, deps, t0);
  if (!('facts' in read)) return read;
  const call = read;
  const { dialect, operation } = endpoint;
  const { settings, ...routes } = await deps.routes.routes(call.projectId);
  const providerKey = request.headers[PROVIDER_KEY_HEADER];
  if (providerKey !== undefined && !settings.allowProviderKeys)
    return gatewayError(
      dialect,
      403,
      'FORBIDDEN',
      `Cannot use ${PROVIDER_KEY_HEADER}: this project does not let callers pass provider keys through (gateway setting 'allowProviderKeys')`,
    );
  const refusal = await deps.limiter.admit(call.projectId, call.keyId);
  if (refusal)
    return gatewayError(dialect, 429, 'RATE_LIMITED', refusal.message, {
      'retry-after': String(refusal.retryAfterSeconds),
    });
  const key = (await wantsCache(call, request, deps, settings.cache.enabled))
    ? cacheKey(call.projectId, endpoint.path, call.raw)
    : undefined;
  if (key !== undefined) {
    const hit = deps.cache.get(key);
    deps.metrics.observeCache(hit !== undefined, call.projectId);
    if (hit) return replay(call, hit, deps, CACHE_HEADER);
  }
  const random = deps.random ?? Math.random;
  const shadows = deps.shadows;
  const picked =
    shadows && pickShadows(routes.shadows, call, random, (s) => shadows.isOpen(call.projectId, s));
  if (picked) call.shadow = { shadows: picked, headers: request.headers };
  const candidates = planRoute(
    { settings, ...routes },
    { model: call.facts.model, dialect },
    { random, isCooling: (id) => deps.health.isCooling(id) },
  );
  if (candidates.length === 0)
    return gatewayError(
      dialect,
      404,
      'NOT_FOUND',
      `No connection serves model '${call.facts.model}': list it in the models of an ${dialect === 'anthropic' ? 'Anthropic' : 'OpenAI-compatible'} connection, add an alias, or set the gateway's default connection`,
    );
  const plan: AnswerPlan = {
    call,
    deps,
    settings,
    addUsage:
      call.facts.stream &&
      (operation === 'chat' || operation === 'text_completion') &&
      !call.facts.wantsUsage,
    sampleLogprobs:
      operation === 'chat' &&
      !call.facts.wantsLogprobs &&
      settings.logprobSampleRate > 0 &&
      random() < settings.logprobSampleRate,
    cacheKey: key,
    provider: candidates.at(-1)!.connection.provider,
  };
  const startedMs = performance.now();
  const pending = runAttempts({
    candidates,
    settings,
    path: endpoint.path,
    method: 'POST',
    bodyFor: (c) => upstreamBody(call, c, plan),
    callerHeaders: request.headers,
    providerKey: typeof providerKey === 'string' ? providerKey : undefined,
    hostPolicy: deps.hostPolicy,
    health: deps.health,
  });
  if (!call.facts.stream) return replyOf(plan, await pending);
  const outcome = await nextOrTimeout(pending, settings.keepAliveMs);
  return outcome ? replyOf(plan, outcome) : earlyStream(plan, pending, startedMs - t0);
}
