/**
 * Sends OTLP/JSON metric requests (gzip) to an Argus server, retrying network failures and
 * 429/5xx answers with exponential backoff and jitter (honouring `Retry-After`). Never throws.
 */
import { gzipSync } from 'node:zlib';

/** Options of {@link sendMetrics}. */
export interface SendOptions {
  /** Server base URL; the request goes to `<url>/v1/metrics`. */
  url: string;
  /** API key, sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Attempts in all (default 5). */
  maxAttempts?: number;
  /** First backoff (default 500 ms), doubled each retry up to {@link SendOptions.maxDelayMs}. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt time limit (default 10 s). */
  timeoutMs?: number;
  /** Waits between attempts (tests); default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** What a send did. */
export interface SendResult {
  ok: boolean;
  attempts: number;
  /** The last HTTP status, when one arrived. */
  status?: number;
  /** Why it failed, or the server's partial-success message. */
  message?: string;
  /** Points the server rejected (OTLP partial success). */
  rejected?: number;
}

/** 401/403 are not retried: a wrong key does not heal by waiting. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** Posts one request body (OTLP/JSON text). */
export async function sendMetrics(body: string, options: SendOptions): Promise<SendResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const compressed = gzipSync(body);
  const endpoint = `${options.url.replace(/\/$/, '')}/v1/metrics`;
  let last: SendResult = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: compressed,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      if (response.ok)
        return { ok: true, attempts: attempt, status: response.status, ...partialSuccess(text) };
      last = {
        ok: false,
        attempts: attempt,
        status: response.status,
        message: errorMessage(text, response.status),
      };
      if (!RETRYABLE.has(response.status)) return last;
      const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
      if (Number.isFinite(retryAfter) && retryAfter >= 0) retryAfterMs = retryAfter * 1000;
    } catch (error) {
      last = { ok: false, attempts: attempt, message: (error as Error).message };
    }
    if (attempt < maxAttempts) {
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.min(maxDelayMs, retryAfterMs ?? backoff * (0.5 + Math.random() / 2)));
    }
  }
  return last;
}

function partialSuccess(text: string): Pick<SendResult, 'rejected' | 'message'> {
  try {
    const reply = JSON.parse(text) as {
      partialSuccess?: { rejectedDataPoints?: string | number; errorMessage?: string };
    };
    const rejected = Number(reply.partialSuccess?.rejectedDataPoints ?? 0);
    return rejected > 0 ? { rejected, message: reply.partialSuccess?.errorMessage ?? '' } : {};
  } catch {
    return {};
  }
}

function errorMessage(text: string, status: number): string {
  try {
    const reply = JSON.parse(text) as { error?: { message?: string }; message?: string };
    return reply.error?.message ?? reply.message ?? `HTTP ${status}`;
  } catch {
    return `HTTP ${status}: ${text.slice(0, 200)}`;
  }
}
