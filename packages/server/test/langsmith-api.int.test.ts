/**
 * The LangSmith run API over HTTP against a real server: every route under `/` and `/api/v1`,
 * create + update → one span, duplicates, compression, and the 4xx answers for bad input.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanIdOf } from '../src/langsmith/run.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer({ maxBodyBytes: 256 * 1024 });
});
afterAll(async () => {
  await argus?.stop();
});

const hex = (uuid: string) => uuid.replaceAll('-', '');
/** Times a minute ago (stored spans must fall inside the retention window). */
const BASE_MS = Date.now() - 60_000;
const at = (ms: number) => new Date(BASE_MS + ms).toISOString();
/** The `dotted_order` stamp of a time: `20260301T100000000001Z`. */
const stamp = (ms: number) => `${at(ms).replace(/[-:]/g, '').replace('.', '').slice(0, -1)}000Z`;

async function send(
  method: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(argus.url + path, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': 'any', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function spansOf(traceUuid: string): Promise<Span[]> {
  return (await argus.get<{ spans: Span[] }>(`/api/v1/traces/${hex(traceUuid)}`)).spans;
}

function chainRun(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    name: 'pipeline',
    run_type: 'chain',
    start_time: at(0),
    session_name: 'my-app',
    trace_id: id,
    ...over,
  };
}

describe.each(['', '/api/v1'])('routes under "%s"', (prefix) => {
  it('GET /info advertises multipart ingest within the body limit', async () => {
    const info = await argus.get<{
      batch_ingest_config: { use_multipart_endpoint: boolean; size_limit_bytes: number };
    }>(`${prefix}/info`);
    expect(info.batch_ingest_config.use_multipart_endpoint).toBe(true);
    expect(info.batch_ingest_config.size_limit_bytes).toBeLessThan(256 * 1024);
  });

  it('POST /runs without an end time, then PATCH, makes one complete span', async () => {
    const id = randomUUID();
    expect(
      (await send('POST', `${prefix}/runs`, JSON.stringify(chainRun(id, { inputs: { q: 'hi' } })))).status,
    ).toBe(202);
    expect(argus.server.langsmith.heldRuns).toBeGreaterThan(0);
    const patch = {
      end_time: at(2500),
      outputs: { a: 'yo' },
      extra: { metadata: { thread_id: 't-9' } },
    };
    expect((await send('PATCH', `${prefix}/runs/${id}`, JSON.stringify(patch))).status).toBe(202);
    const spans = await spansOf(id);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      spanId: spanIdOf(id),
      kind: 'chain',
      serviceName: 'my-app',
      input: { q: 'hi' },
      output: { a: 'yo' },
      durationMs: 2500,
      sessionId: 't-9',
      convention: 'langsmith',
    });
  });
});

describe('POST /runs/batch', () => {
  it('merges a create and its update sent together, and links the child by dotted_order', async () => {
    const root = randomUUID();
    const child = randomUUID();
    const dotted = `${stamp(0)}${root}`;
    const batch = {
      post: [
        chainRun(root, { dotted_order: dotted }),
        {
          id: child,
          name: 'lookup',
          run_type: 'tool',
          start_time: at(500),
          end_time: at(700),
          trace_id: root,
          dotted_order: `${dotted}.${stamp(500)}${child}`,
          error: 'TimeoutError: lookup took too long',
        },
      ],
      patch: [{ id: root, end_time: at(1000), outputs: { done: true } }],
    };
    expect((await send('POST', '/runs/batch', JSON.stringify(batch))).status).toBe(202);
    const spans = await spansOf(root);
    expect(spans.map((s) => [s.name, s.parentSpanId])).toEqual([
      ['pipeline', ''],
      ['lookup', spanIdOf(root)],
    ]);
    expect(spans[1]).toMatchObject({ kind: 'tool', status: 'error', errorType: 'TimeoutError' });
  });

  it('a retried batch is idempotent, a repeated single create answers 409', async () => {
    const id = randomUUID();
    const batch = JSON.stringify({ post: [chainRun(id, { end_time: at(1000) })] });
    expect((await send('POST', '/runs/batch', batch)).status).toBe(202);
    expect((await send('POST', '/runs/batch', batch)).status).toBe(202);
    expect(await spansOf(id)).toHaveLength(1);
    const single = JSON.stringify(chainRun(id, { end_time: at(1000) }));
    const again = await send('POST', '/runs', single);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'CONFLICT' } });
  });
});

/** A multipart body as the SDKs build it. */
function multipart(parts: [string, unknown][], boundary = 'b0undary'): { body: Buffer; type: string } {
  const text = parts
    .map(([name, value]) => {
      const json = JSON.stringify(value);
      return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: application/json; length=${json.length}\r\n\r\n${json}\r\n`;
    })
    .join('');
  return {
    body: Buffer.from(`${text}--${boundary}--\r\n`),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

describe('POST /runs/multipart', () => {
  it.each([
    { encoding: 'identity', compress: (b: Buffer) => b },
    { encoding: 'gzip', compress: gzipSync },
    { encoding: 'zstd', compress: zstdCompressSync },
  ])('reads runs, feedback and attachments ($encoding)', async ({ encoding, compress }) => {
    const id = randomUUID();
    const { body, type } = multipart([
      [`post.${id}`, chainRun(id, { run_type: 'llm', name: 'ChatOpenAI', end_time: at(1000) })],
      [`post.${id}.inputs`, { messages: [{ role: 'user', content: 'ping' }] }],
      [
        `post.${id}.outputs`,
        {
          choices: [{ message: { role: 'assistant', content: 'pong' } }],
          usage_metadata: { input_tokens: 3, output_tokens: 1 },
        },
      ],
      [
        `post.${id}.extra`,
        { metadata: { ls_provider: 'openai', ls_model_name: 'gpt-4o-mini', user_id: 'u-3' } },
      ],
      [`attachment.${id}.image`, 'ignored'],
      [`feedback.${randomUUID()}`, { trace_id: id, run_id: id, key: 'helpful', score: 1, comment: 'nice' }],
    ]);
    const headers: Record<string, string> = { 'content-type': type };
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    expect((await send('POST', '/runs/multipart', compress(body), headers)).status).toBe(202);
    const trace = await argus.get<{
      spans: Span[];
      scores: { name: string; value: number; spanId: string }[];
    }>(`/api/v1/traces/${hex(id)}`);
    expect(trace.spans[0]).toMatchObject({
      kind: 'llm',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      inputTokens: 3,
      outputTokens: 1,
      userId: 'u-3',
      input: [{ role: 'user', parts: [{ type: 'text', content: 'ping' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'pong' }] }],
    });
    expect(trace.spans[0]!.costUsd).toBeGreaterThan(0); // computed by the same enrich step as OTLP spans
    expect(trace.scores).toMatchObject([{ name: 'helpful', value: 1, spanId: spanIdOf(id) }]);
    expect(argus.server.langsmith.counters.attachments).toBeGreaterThan(0);
  });
});

describe('OpenAPI', () => {
  it('documents every run route at both prefixes, and each documented route is served', async () => {
    const doc = await argus.get<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
    const documented = Object.entries(doc.paths).filter(([p]) => /^(\/api\/v1)?\/(info|runs)/.test(p));
    expect(documented.map(([p]) => p).sort()).toEqual(
      ['/info', '/runs', '/runs/batch', '/runs/multipart', '/runs/{runId}']
        .flatMap((p) => [p, `/api/v1${p}`])
        .sort(),
    );
    for (const [path, item] of documented) {
      const method = Object.keys(item)[0]!.toUpperCase();
      const response = await fetch(argus.url + path.replace('{runId}', randomUUID()), { method });
      expect(response.status, `${method} ${path}`).not.toBe(404);
      await response.body?.cancel();
    }
  });
});

describe('incomplete runs', () => {
  it('a run that never gets its update is written with argus.incomplete once its time is up', async () => {
    const id = randomUUID();
    await send('POST', '/runs', JSON.stringify(chainRun(id)));
    await argus.server.langsmith.sweep(Date.now() + 24 * 3600_000);
    const [span] = await spansOf(id);
    expect(span).toMatchObject({ status: 'unset', durationMs: 0, attributes: { 'argus.incomplete': true } });
  });
});

describe('bad requests', () => {
  const id = randomUUID();
  it.each([
    {
      why: 'missing id',
      path: '/runs',
      body: JSON.stringify({ name: 'x' }),
      status: 400,
      code: 'INVALID_RUN',
    },
    {
      why: 'bad dotted_order',
      path: '/runs/batch',
      body: JSON.stringify({ post: [chainRun(id, { dotted_order: 'yesterday' })] }),
      status: 400,
      code: 'INVALID_RUN',
    },
    {
      why: 'missing start_time',
      path: '/runs',
      body: JSON.stringify({ id }),
      status: 400,
      code: 'INVALID_RUN',
    },
    { why: 'not JSON', path: '/runs', body: '{"id":', status: 400, code: 'INVALID_RUN' },
    { why: 'post not a list', path: '/runs/batch', body: '{"post":{}}', status: 400, code: 'INVALID_RUN' },
    {
      why: 'oversized',
      path: '/runs',
      body: JSON.stringify({ id, pad: 'x'.repeat(300_000) }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      why: 'no api key',
      path: '/runs',
      body: '{}',
      status: 401,
      code: 'UNAUTHORIZED',
      headers: { 'x-api-key': '' },
    },
    {
      why: 'not multipart',
      path: '/runs/multipart',
      body: '{}',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      why: 'broken multipart',
      path: '/runs/multipart',
      body: '--b\r\nnope',
      status: 400,
      code: 'BAD_REQUEST',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    },
  ])('$why → $status $code', async ({ path, body, status, code, headers }) => {
    const answer = await send('POST', path, body, headers as Record<string, string> | undefined);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ error: { code } });
  });

  it('a batch with one bad run writes nothing', async () => {
    const good = randomUUID();
    const batch = { post: [chainRun(good, { end_time: at(1000) }), { id: 'nope' }] };
    expect((await send('POST', '/runs/batch', JSON.stringify(batch))).status).toBe(400);
    const response = await fetch(`${argus.url}/api/v1/traces/${hex(good)}`);
    expect(response.status).toBe(404);
  });
});
