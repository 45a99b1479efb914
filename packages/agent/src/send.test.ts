import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMetrics } from './send.ts';

let server: http.Server;
let url = '';
let answers: { status: number; body: string; headers?: Record<string, string> }[] = [];
const received: { path: string; encoding: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        encoding: request.headers['content-encoding'],
        body: gunzipSync(Buffer.concat(chunks)).toString(),
      });
      const answer = answers.shift() ?? { status: 200, body: '{}' };
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const waits: number[] = [];
const sleep = async (ms: number) => {
  waits.push(ms);
};

describe('sendMetrics', () => {
  it('posts gzip JSON to /v1/metrics and retries 503 and 429, honouring Retry-After', async () => {
    received.length = 0;
    waits.length = 0;
    answers = [
      {
        status: 503,
        body: '{"error":{"code":"OVERLOADED","message":"queue full"}}',
        headers: { 'retry-after': '2' },
      },
      { status: 429, body: 'slow down' },
      { status: 200, body: '{}' },
    ];
    const result = await sendMetrics('{"resourceMetrics":[]}', { url, sleep, baseDelayMs: 100 });
    expect(result).toEqual({ ok: true, attempts: 3, status: 200 });
    expect(received.map((r) => [r.path, r.encoding, r.body])).toEqual(
      Array(3).fill(['/v1/metrics', 'gzip', '{"resourceMetrics":[]}']),
    );
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('gives up at once on a 400, with the server message', async () => {
    answers = [{ status: 400, body: '{"error":{"code":"OTLP_DECODE","message":"Cannot decode"}}' }];
    expect(await sendMetrics('{}', { url, sleep })).toEqual({
      ok: false,
      attempts: 1,
      status: 400,
      message: 'Cannot decode',
    });
  });

  it('reports a partial success and an unreachable server without throwing', async () => {
    answers = [
      { status: 200, body: '{"partialSuccess":{"rejectedDataPoints":"2","errorMessage":"bad time"}}' },
    ];
    expect(await sendMetrics('{}', { url, sleep })).toMatchObject({
      ok: true,
      rejected: 2,
      message: 'bad time',
    });
    const closed = await sendMetrics('{}', { url: 'http://127.0.0.1:1', sleep, maxAttempts: 3 });
    expect(closed).toMatchObject({ ok: false, attempts: 3 });
    expect(closed.message).toBeTruthy();
  });
});
