/**
 * The candidate's half of a shadow pair: the primary call's request sent again, not streamed, with
 * the candidate's model, through the candidate's connection (or routed like a caller's model), in
 * one attempt — no retry, no fallback, no cool-down of a connection the callers use. Its span is a
 * trace of its own (service `argus-gateway-shadow`), linked to the primary's by attributes, so the
 * primary's trace keeps its own cost, tokens and duration.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { GatewayShadow, Span } from '@argus/shared';
import { type AnswerFacts, AnswerReader } from './answer-reader.ts';
import type { CallContext } from './call-context.ts';
import type { Call } from './finish.ts';
import type { ProxyDeps } from './proxy-deps.ts';
import { callSpan } from './recorder.ts';
import { requestFacts } from './request-facts.ts';
import { type Candidate, planRoute, speaks } from './routing.ts';
import { sendUpstream, upstreamHeaders, upstreamUrl } from './upstream.ts';

/** What a candidate call needs of the gateway. */
export type ShadowCallDeps = Pick<ProxyDeps, 'routes' | 'hostPolicy' | 'writeSpans' | 'logger'>;

/** The service name of candidate spans. */
export const SHADOW_SERVICE = 'argus-gateway-shadow';
/** Largest candidate answer read, bytes (a longer one is recorded as failed). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** One shadowed call waiting for (or in) its candidate call. */
export interface ShadowJob {
  shadow: GatewayShadow;
  call: Call;
  /** The caller's headers (API versions and betas are passed on as for the primary). */
  headers: IncomingHttpHeaders;
  /** The primary's span as written (priced, redacted). */
  primary: Span;
}

/** What the candidate answered. */
export interface CandidateOutcome {
  status: number;
  answer: AnswerFacts | undefined;
  error: string | undefined;
  /** The candidate's span as written (priced, redacted); undefined when it could not be written. */
  span: Span | undefined;
  latencyMs: number;
}

/** The candidate's request body: the caller's, not streamed, with the candidate's model. */
export function candidateBody(call: Call, model: string): Record<string, unknown> {
  const { stream: _, stream_options: __, ...body } = call.facts.body;
  return { ...body, model };
}

async function candidateOf(job: ShadowJob, deps: ShadowCallDeps): Promise<Candidate | undefined> {
  const routes = await deps.routes.routes(job.call.projectId);
  const { dialect } = job.call.endpoint;
  const { connectionId, model } = job.shadow.candidate;
  if (connectionId === undefined) return planRoute(routes, { model, dialect })[0];
  const connection = routes.connections.find((c) => c.id === connectionId);
  return connection && speaks(connection.provider, dialect) ? { connection, model } : undefined;
}

async function readAnswer(response: IncomingMessage): Promise<{ text: string; tooLong: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLong: size > MAX_ANSWER_BYTES };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The provider's error message of an error answer, else the start of its text. */
function errorMessage(status: number, text: string): string {
  const json = parseObject(text);
  const error = json?.error;
  const message =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
      ? (error as { message: string }).message
      : text.slice(0, 300);
  return `the candidate answered ${status}: ${message}`;
}

/** Sends the candidate call; never throws for a provider's failure (it is the outcome). */
async function send(
  job: ShadowJob,
  deps: ShadowCallDeps,
  body: Buffer,
  signal: AbortSignal,
): Promise<{ status: number; answer: AnswerFacts | undefined; error: string | undefined; provider: string }> {
  const candidate = await candidateOf(job, deps);
  const { model } = job.shadow.candidate;
  if (!candidate)
    return {
      status: 404,
      answer: undefined,
      error: `no connection serves the candidate model '${model}'`,
      provider: '',
    };
  const { connection } = candidate;
  const { settings } = await deps.routes.routes(job.call.projectId);
  try {
    const response = await sendUpstream({
      url: upstreamUrl(connection.target, job.call.endpoint.path, model),
      method: 'POST',
      headers: upstreamHeaders(connection.target, job.headers, undefined),
      body,
      timeoutMs: settings.timeoutMs,
      hostPolicy: deps.hostPolicy,
      signal,
    });
    const status = response.statusCode ?? 502;
    const { text, tooLong } = await readAnswer(response);
    const provider = connection.provider;
    if (status >= 400) return { status, answer: undefined, error: errorMessage(status, text), provider };
    const json = tooLong ? undefined : parseObject(text);
    if (!json)
      return {
        status,
        answer: undefined,
        error: tooLong ? 'the candidate answer is over 16 MiB' : 'the candidate answer is not JSON',
        provider,
      };
    const reader = new AnswerReader(job.call.endpoint.operation);
    reader.readJson(json);
    return { status, answer: reader.facts(), error: undefined, provider };
  } catch (error) {
    return {
      status: 502,
      answer: undefined,
      error: `${connection.name}: ${(error as Error).message}`,
      provider: connection.provider,
    };
  }
}

/** The candidate's trace position and context: a trace of its own, the caller's user and session. */
function candidateContext(job: ShadowJob): CallContext {
  const primary = job.call.context;
  return {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: '',
    userId: primary.userId,
    sessionId: primary.sessionId,
    tags: [...primary.tags, 'shadow'],
    metadata: {
      ...primary.metadata,
      'argus.gateway.shadow': job.shadow.name,
      'argus.gateway.shadow.primary_trace_id': job.primary.traceId,
    },
  };
}

/**
 * Calls the candidate and writes its span; a provider's failure or timeout is the outcome's
 * `error`, never thrown.
 */
export async function callCandidate(
  job: ShadowJob,
  deps: ShadowCallDeps,
  signal: AbortSignal,
): Promise<CandidateOutcome> {
  const body = candidateBody(job.call, job.shadow.candidate.model);
  const raw = Buffer.from(JSON.stringify(body));
  const startMs = performance.timeOrigin + performance.now();
  const sent = await send(job, deps, raw, signal);
  const endMs = performance.timeOrigin + performance.now();
  const span = callSpan({
    projectId: job.call.projectId,
    context: candidateContext(job),
    operation: job.call.endpoint.operation,
    request: requestFacts(body),
    answer: sent.answer,
    provider: sent.provider,
    status: sent.status,
    startMs,
    endMs,
    ttftMs: undefined,
    gapsMs: [],
    error: sent.error,
    attempts: [],
    overheadMs: 0,
    cached: false,
    keyId: job.call.keyId,
    logprobsSampled: false,
  });
  span.serviceName = SHADOW_SERVICE;
  span.resourceAttributes = { 'service.name': SHADOW_SERVICE };
  span.attributes['argus.gateway.shadow'] = job.shadow.name;
  span.attributes['argus.gateway.shadow.primary_trace_id'] = job.primary.traceId;
  span.attributes['argus.gateway.shadow.primary_span_id'] = job.primary.spanId;
  let written: Span | undefined = span;
  await deps.writeSpans([span]).catch((error: unknown) => {
    deps.logger.warn('gateway: cannot record a shadow call', { error: String(error) });
    written = undefined;
  });
  return {
    status: sent.status,
    answer: sent.answer,
    error: sent.error,
    span: written,
    latencyMs: endMs - startMs,
  };
}
