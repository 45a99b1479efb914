/**
 * Bad input harms nothing: every failure has a clear OTLP answer, good spans beside bad ones are
 * kept, and the server stays up.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex } from './support/otlp-json.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer({ maxBodyBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 });
});
afterAll(async () => {
  await argus?.stop();
});

const hex = (n: number) => randomHex(n / 2);
const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();

function spanJson(traceId: string, spanId: string, name = 'chat gpt-4o') {
  return {
    traceId,
    spanId,
    name,
    kind: 3,
    startTimeUnixNano: nowNs(),
    endTimeUnixNano: nowNs(),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
    ],
  };
}

const tracesBody = (spans: unknown[]) =>
  JSON.stringify({
    resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }],
  });

async function post(path: string, body: string | Uint8Array, headers: Record<string, string | undefined>) {
  const response = await fetch(argus.url + path, {
    method: 'POST',
    body,
    headers: headers as Record<string, string>,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

describe('OTLP ingest under bad input', () => {
  it('keeps the good span and reports the bad one as partial success', async () => {
    const traceId = hex(32);
    const good = hex(16);
    const r = await post('/v1/traces', tracesBody([spanJson(traceId, good), spanJson(traceId, 'abc')]), {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toContain("'spanId'");
    const trace = await argus.get<{ spans: { spanId: string }[] }>(`/api/v1/traces/${traceId}`);
    expect(trace.spans.map((s) => s.spanId)).toEqual([good]);
  });

  it('keeps the good span when its neighbour\'s start time is "NaN" (one bad span never rejects the request)', async () => {
    const traceId = hex(32);
    const good = hex(16);
    const bad = { ...spanJson(traceId, hex(16)), startTimeUnixNano: 'NaN' };
    const r = await post('/v1/traces', tracesBody([spanJson(traceId, good), bad]), {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toContain(
      '\'resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano\' is "NaN", expected a non-negative integer',
    );
    const trace = await argus.get<{ spans: { spanId: string }[] }>(`/api/v1/traces/${traceId}`);
    expect(trace.spans.map((s) => s.spanId)).toEqual([good]);
  });

  it.each([
    // Why: the two content types OTLP defines are the only ones accepted.
    {
      name: 'unknown content type',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    // Why: a JSON body that is not an OTLP request must not be half-read.
    {
      name: 'JSON that is not an object',
      headers: { 'content-type': 'application/json' },
      body: '[1,2,3]',
      status: 400,
      code: 'OTLP_DECODE',
    },
    // Why: truncated JSON.
    {
      name: 'broken JSON',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans": [',
      status: 400,
      code: 'OTLP_DECODE',
    },
    // Why: an unsupported Content-Encoding is a media-type problem, not a decode error.
    {
      name: 'unknown encoding',
      headers: { 'content-type': 'application/json', 'content-encoding': 'lzma' },
      body: '{}',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    // Why: claiming gzip with plain bytes.
    {
      name: 'gzip header on plain bytes',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{}',
      status: 400,
      code: 'BAD_REQUEST',
    },
  ])('answers $status $code for $name', async ({ headers, body, status, code }) => {
    const r = await post('/v1/traces', body, headers);
    expect(r.status).toBe(status);
    expect(r.json().error.code).toBe(code);
    expect(r.json().message).toBeTypeOf('string');
  });

  it('answers protobuf failures as a protobuf google.rpc.Status', async () => {
    const r = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/x-protobuf');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect(bytes[0]).toBe(0x08); // field 1 (code), varint
    expect(bytes[1]).toBe(3); // INVALID_ARGUMENT
    expect(Buffer.from(bytes).toString('utf8')).toContain('Cannot decode OTLP protobuf');
  });

  it('refuses an oversized body with 413', async () => {
    const r = await post('/v1/traces', 'x'.repeat(100 * 1024), { 'content-type': 'application/json' });
    expect(r.status).toBe(413);
    expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('stops a decompression bomb at the decompressed limit with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const r = await post('/v1/traces', bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(413);
    expect(r.json().error.message).toContain('decompressed');
  });

  it('accepts an empty request as success', async () => {
    const r = await post('/v1/traces', '{}', { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({});
  });

  it('stores a retried export once', async () => {
    const traceId = hex(32);
    const body = tracesBody([spanJson(traceId, hex(16)), spanJson(traceId, hex(16))]);
    for (let i = 0; i < 3; i++) {
      expect((await post('/v1/traces', body, { 'content-type': 'application/json' })).status).toBe(200);
    }
    const trace = await argus.get<{ spans: unknown[] }>(`/api/v1/traces/${traceId}`);
    expect(trace.spans).toHaveLength(2);
    const rows = await argus.server.store.driver.query<{ n: string }>(
      'SELECT count() AS n FROM spans WHERE trace_id = {t:String}',
      { t: traceId },
    );
    expect(Number(rows[0]!.n)).toBe(2);
    const index = await argus.server.store.driver.query<{ n: string }>(
      'SELECT sum(span_count) AS n FROM trace_index WHERE trace_id = {t:String}',
      { t: traceId },
    );
    expect(Number(index[0]!.n)).toBe(2);
  });

  it('keeps hostile attribute values as plain data', async () => {
    const traceId = hex(32);
    const span = spanJson(traceId, hex(16));
    span.attributes.push(
      { key: '__proto__', value: { stringValue: 'polluted' } },
      { key: 'huge', value: { stringValue: 'y'.repeat(20_000) } },
      { key: 'nan', value: { doubleValue: 'NaN' } as never },
    );
    const r = await post('/v1/traces', tracesBody([span]), { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    const trace = await argus.get<{ spans: { attributes: Record<string, unknown> }[] }>(
      `/api/v1/traces/${traceId}`,
    );
    const attributes = trace.spans[0]!.attributes;
    expect(String(attributes.huge).length).toBeLessThan(20_000);
    expect(String(attributes.huge)).toContain('[argus: truncated');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers unknown routes and methods with the error shape and stays up', async () => {
    const missing = await fetch(`${argus.url}/v2/traces`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const wrongMethod = await fetch(`${argus.url}/v1/traces`);
    expect(wrongMethod.status).toBe(405);
    const health = await argus.get<{ status: string }>('/health');
    expect(health.status).toBe('ok');
  });
});
