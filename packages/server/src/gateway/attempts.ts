/**
 * The attempts of one call: the candidates in order (routing.ts), each tried once per round, up to
 * `maxAttempts`; a 429, 5xx, timeout or network failure cools the connection down and moves on to
 * the next, waiting `backoffMs` (doubled per round, or the provider's Retry-After when longer)
 * before a connection is tried again. Any other answer — a 2xx, or a 4xx that another attempt would
 * get too — is the call's answer. When every attempt failed, the last provider answer is passed on
 * as it is (the caller sees the provider's 429 or 5xx), or, if none came, a 502/504.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewaySettings } from '@argus/shared';
import { isArgusError } from '../errors.ts';
import type { HostPolicy } from '../quality/host-guard.ts';
import type { ConnectionHealth } from './health.ts';
import type { Attempt } from './recorder.ts';
import type { Candidate } from './routing.ts';
import {
  sendUpstream,
  UpstreamFailure,
  type UpstreamPath,
  upstreamHeaders,
  upstreamUrl,
} from './upstream.ts';

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504, 529]);

/** What the attempts need. */
export interface AttemptPlan {
  candidates: readonly Candidate[];
  settings: GatewaySettings;
  path: UpstreamPath;
  method: 'GET' | 'POST';
  /** The body for a candidate (its model may differ from the caller's). */
  bodyFor(candidate: Candidate): Buffer | undefined;
  callerHeaders: IncomingHttpHeaders;
  providerKey: string | undefined;
  hostPolicy: HostPolicy;
  health: ConnectionHealth;
}

/** How the attempts ended. */
export interface AttemptOutcome {
  /** The answer to pass on (absent when no provider answered at all). */
  response: IncomingMessage | undefined;
  candidate: Candidate | undefined;
  attempts: Attempt[];
  /** Time spent waiting on providers and backoff, ms (not the gateway's overhead). */
  waitedMs: number;
  /** When no provider answered: the status and message to answer with. */
  failure: { status: number; code: string; message: string } | undefined;
}

function retryAfterMs(headers: IncomingHttpHeaders): number {
  const seconds = Number(headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 600_000) : 0;
}

/** Runs the attempts of a call. */
export async function runAttempts(plan: AttemptPlan): Promise<AttemptOutcome> {
  const { candidates, settings, health } = plan;
  const attempts: Attempt[] = [];
  let waitedMs = 0;
  let last: { response: IncomingMessage; candidate: Candidate } | undefined;
  let failure: AttemptOutcome['failure'];
  for (let i = 0; i < settings.maxAttempts; i++) {
    const candidate = candidates[i % candidates.length]!;
    const round = Math.floor(i / candidates.length);
    if (round > 0) {
      const waitMs = Math.max(
        settings.backoffMs * 2 ** (round - 1),
        last ? retryAfterMs(last.response.headers) : 0,
      );
      await sleep(Math.min(waitMs, settings.timeoutMs));
      waitedMs += waitMs;
    }
    last?.response.resume();
    last = undefined;
    const { connection } = candidate;
    const started = performance.now();
    try {
      const response = await sendUpstream({
        url: upstreamUrl(connection.target, plan.path, candidate.model),
        method: plan.method,
        headers: upstreamHeaders(connection.target, plan.callerHeaders, plan.providerKey),
        body: plan.bodyFor(candidate),
        timeoutMs: settings.timeoutMs,
        hostPolicy: plan.hostPolicy,
      });
      const ms = performance.now() - started;
      waitedMs += ms;
      const status = response.statusCode ?? 502;
      attempts.push({ connection: connection.name, model: candidate.model, status, ms: Math.round(ms) });
      if (!RETRYABLE.has(status)) {
        health.succeeded(connection.id);
        return { response, candidate, attempts, waitedMs, failure: undefined };
      }
      health.failed(connection.id, `answered ${status}`, settings.cooldownMs, retryAfterMs(response.headers));
      last = { response, candidate };
    } catch (error) {
      const ms = performance.now() - started;
      waitedMs += ms;
      if (isArgusError(error)) {
        // The host guard refused the connection's address: no other attempt of it can succeed.
        attempts.push({
          connection: connection.name,
          model: candidate.model,
          error: error.message,
          ms: Math.round(ms),
        });
        failure = { status: error.status, code: error.code, message: error.message };
        continue;
      }
      const isTimeout = error instanceof UpstreamFailure && error.isTimeout;
      const message = `${connection.name}: ${(error as Error).message}`;
      attempts.push({
        connection: connection.name,
        model: candidate.model,
        error: message,
        ms: Math.round(ms),
      });
      health.failed(connection.id, message, settings.cooldownMs);
      failure = {
        status: isTimeout ? 504 : 502,
        code: isTimeout ? 'PROVIDER_TIMEOUT' : 'PROVIDER_ERROR',
        message: `Cannot reach a provider for this call: ${message}`,
      };
    }
  }
  if (last)
    return { response: last.response, candidate: last.candidate, attempts, waitedMs, failure: undefined };
  return { response: undefined, candidate: undefined, attempts, waitedMs, failure };
}
