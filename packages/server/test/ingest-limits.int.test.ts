/**
 * Issue 11, findings 2 and 4, through the HTTP door of a server in its own process (so that a
 * blocked event loop or a memory spike is the server's, measured from outside):
 * - token estimation for pathological content (long unbroken runs) never freezes the server;
 * - concurrent decompression bombs share one in-flight byte budget: every one is refused (413 or
 *   503 + Retry-After) and the server's memory stays bounded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { type ChildServer, spawnServer } from './support/process.ts';

let argus: ChildServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-limits-'));
  argus = await spawnServer(['--data-dir', dataDir]);
});
afterAll(async () => {
  argus?.child.kill('SIGTERM');
  await argus?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** An LLM span with no reported usage, so the server estimates its tokens from `content`. */
function unmeteredSpan(traceId: string, content: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId,
    spanId: randomHex(8),
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: (now - 500_000_000n).toString(),
    endTimeUnixNano: now.toString(),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      {
        key: 'gen_ai.input.messages',
        value: { stringValue: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content }] }]) },
      },
    ],
  };
}

/** Resident memory of the server process, in bytes (Linux). */
function serverRssBytes(): number {
  const status = readFileSync(`/proc/${argus.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

describe('token estimation of pathological content (issue 11, finding 2)', () => {
  it('keeps answering /health while it estimates, and counts the runs right', async () => {
    // Each of these froze every request for 11 s to hours before: 15,000 × 'Z' in a 15.7 KB
    // request, 20,000 CJK characters without punctuation, 100,000 × 'Z'.
    const cases = [
      { content: 'Z'.repeat(15_000), tokens: 7_500 },
      { content: '中'.repeat(20_000), tokens: 20_000 },
      { content: 'Z'.repeat(100_000), tokens: 50_000 },
    ];
    const traceId = randomHex(16);
    const spans = Array.from({ length: 60 }, (_, i) => unmeteredSpan(traceId, cases[i % 3]!.content));
    const started = performance.now();
    let ingestDoneAt = Number.POSITIVE_INFINITY;
    const ingest = fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: tracesRequestJson(spans),
    }).then((response) => {
      ingestDoneAt = performance.now();
      return response;
    });
    const healthLatenciesMs: number[] = [];
    let answeredDuringIngest = 0;
    while (ingestDoneAt === Number.POSITIVE_INFINITY && performance.now() - started < 120_000) {
      const sent = performance.now();
      const health = await fetch(`${argus.url}/health`);
      expect(health.status).toBe(200);
      const answered = performance.now();
      healthLatenciesMs.push(answered - sent);
      if (answered < ingestDoneAt) answeredDuringIngest++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const response = await ingest;
    expect(response.status).toBe(200);
    // The server interleaved health checks with the estimation instead of freezing until it ended.
    expect(answeredDuringIngest).toBeGreaterThan(0);
    console.log(
      `pathological estimation: ingest ${Math.round(ingestDoneAt - started)} ms, /health max ${Math.round(Math.max(...healthLatenciesMs))} ms over ${healthLatenciesMs.length} checks`,
    );
    const detail = await (await fetch(`${argus.url}/api/v1/traces/${traceId}`)).json();
    const counts = (detail as { spans: { inputTokens: number }[] }).spans.map((s) => s.inputTokens).sort();
    expect(new Set(counts)).toEqual(new Set(cases.map((c) => c.tokens)));
  });
});

describe('concurrent decompression bombs (issue 11, finding 4)', () => {
  /** Sends 100 concurrent copies of `bomb`; answers and the server's peak RSS meanwhile. */
  async function wave(bomb: Buffer) {
    let peak = serverRssBytes();
    const sampler = setInterval(() => {
      peak = Math.max(peak, serverRssBytes());
    }, 25);
    const answers = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const response = await fetch(`${argus.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'zstd' },
          body: bomb,
        });
        return {
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: await response.text(),
        };
      }),
    );
    clearInterval(sampler);
    return { answers, peak };
  }

  it('refuses 100 concurrent zstd bombs within one memory budget, wave after wave', async () => {
    // 256 MiB of zeros compresses to a few KB; each inflates past the 64 MiB per-request limit.
    const bomb = zlib.zstdCompressSync(Buffer.alloc(256 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const baseline = serverRssBytes();
    const first = await wave(bomb);
    const second = await wave(bomb);
    for (const { answers } of [first, second]) {
      const statuses = new Set(answers.map((a) => a.status));
      expect([...statuses].every((s) => s === 413 || s === 503)).toBe(true);
      // The budget (256 MiB) lets a few inflate to their 413; the rest are turned away at once.
      expect(statuses).toContain(503);
      for (const answer of answers.filter((a) => a.status === 503)) {
        expect(answer.retryAfter).toBe('1');
        // OTLP/protobuf answers carry a google.rpc.Status; its message is readable text.
        expect(answer.body).toContain('Cannot read the request body now');
      }
    }
    const count = (status: number) => first.answers.filter((a) => a.status === status).length;
    console.log(
      `100 zstd bombs, twice: ${count(413)} × 413, ${count(503)} × 503 in the first; RSS ${mib(baseline)} → peak ${mib(first.peak)}, then ${mib(second.peak)}`,
    );
    // Bounded (it reached 7 GB before), and not growing: the second wave reuses what the first took.
    expect(Math.max(first.peak, second.peak)).toBeLessThan(1.5 * 1024 ** 3);
    expect(second.peak).toBeLessThan(first.peak + 128 * 1024 ** 2);
    // Good requests still go through once the bombs are gone.
    const ok = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' },
      body: zlib.zstdCompressSync(Buffer.from(tracesRequestJson([unmeteredSpan(randomHex(16), 'hi')]))),
    });
    expect(ok.status).toBe(200);
  });
});

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
