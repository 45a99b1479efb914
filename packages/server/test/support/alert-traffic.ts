/**
 * Helpers for alerting tests: OTLP/JSON LLM spans with chosen latency, status and cost posted
 * to a server, JSON API calls, and bounded polling.
 */
import { randomHex } from './otlp-json.ts';

/** One LLM span of `service` (OTLP/JSON), starting now. */
export function llmSpan(options: { durationMs: number; error?: boolean; costUsd?: number }) {
  const startNs = BigInt(Date.now() - 50) * 1_000_000n;
  const attributes: { key: string; value: Record<string, unknown> }[] = [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '100' } },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: '50' } },
  ];
  if (options.costUsd !== undefined)
    attributes.push({ key: 'gen_ai.usage.cost', value: { doubleValue: options.costUsd } });
  return {
    traceId: randomHex(16),
    spanId: randomHex(8),
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + BigInt(Math.round(options.durationMs * 1e6))).toString(),
    attributes,
    status: options.error ? { code: 2, message: 'upstream failed' } : { code: 1 },
  };
}

/** Posts spans of `service` as OTLP/JSON and asserts the server took them. */
export async function postSpans(baseUrl: string, service: string, spans: unknown[]): Promise<void> {
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'alert-test' }, spans }],
      },
    ],
  });
  const response = await fetch(`${baseUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  if (!response.ok) throw new Error(`POST /v1/traces → ${response.status} ${await response.text()}`);
}

/** `n` spans made by `make`. */
export function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

/** Calls a JSON API; answers status and parsed body. */
export async function api<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Polls `check` every 100 ms until it returns a value other than undefined/false, for at most `timeoutMs`. */
export async function waitFor<T>(
  label: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
