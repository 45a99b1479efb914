/**
 * `node bench/online.bench.ts [spans=10000] [judgeSpans=400] [ingestSeconds=15]`: online
 * evaluation (issue 16).
 *
 * Part 1, Argus and the mock LLM in this process (embedded chDB): the worker's throughput —
 *  - code evaluator (`contains`), backfill: `spans` LLM spans stored first, then a rule and a
 *    backfill over them, timed from the backfill request to `done` (read, evaluate, score, write);
 *  - code evaluator, live: a rule first, then the same number of spans posted over OTLP; timed
 *    from the first post until the last span is scored (ingest and worker share the cores);
 *  - llm_judge against the mock LLM (`mock-judge`, answers at once), backfill of `judgeSpans`
 *    spans: judge calls per second (each traced through the ingest path, 8 at a time).
 * Part 2, the server in its own process and the load generator in another (as ingest.bench.ts):
 * sustained ingest for `ingestSeconds` with the online worker off (`--online-interval-ms 0`),
 * with only the built-in output-health checks (the default), and with the checks plus a rule
 * scoring every LLM span with a code evaluator; spans/s and the server's CPU per 1,000 spans.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockLlm } from '../packages/mock-llm/src/index.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { createLogger } from '../packages/server/src/logger.ts';
import { type ArgusServer, startServer as startInProcess } from '../packages/server/src/server.ts';
import { cpuSeconds, machine, ROOT, startServer } from './support.ts';

const SPANS = Number(process.argv[2] ?? 10_000);
const JUDGE_SPANS = Number(process.argv[3] ?? 400);
const INGEST_SECONDS = Number(process.argv[4] ?? 15);
const BATCH = 500;

async function call<T>(base: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** `count` chat spans (OTLP/JSON) of one service, each its own trace, ~400 characters of content. */
function chatBatch(service: string, from: number, count: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      traceId: `${hex(i, 16)}${hex(Date.now() % 2 ** 32, 16)}`,
      spanId: hex(i + 1, 16),
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: String(now - 500_000_000n),
      endTimeUnixNano: String(now - 100_000_000n),
      status: { code: 1 },
      attributes: [
        attr('gen_ai.operation.name', 'chat'),
        attr('gen_ai.request.model', 'gpt-4o-mini'),
        attr(
          'gen_ai.input.messages',
          JSON.stringify([
            {
              role: 'user',
              parts: [
                {
                  type: 'text',
                  content: `Where is order ${i}? It was due on Monday and I have not heard anything since.`,
                },
              ],
            },
          ]),
        ),
        attr(
          'gen_ai.output.messages',
          JSON.stringify([
            {
              role: 'assistant',
              parts: [
                {
                  type: 'text',
                  content: `Your order ${i} shipped on Tuesday from the Rotterdam warehouse and arrives tomorrow; the tracking link is in your e-mail.`,
                },
              ],
            },
          ]),
        ),
      ],
    };
  });
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [attr('service.name', service)] }, scopeSpans: [{ spans }] }],
  });
}

async function post(base: string, service: string, total: number): Promise<void> {
  for (let i = 0; i < total; i += BATCH) {
    const response = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBatch(service, i, Math.min(BATCH, total - i)),
    });
    if (!response.ok) throw new Error(`POST /v1/traces → ${response.status}`);
  }
}

async function scoresOf(server: ArgusServer, ruleId: string): Promise<number> {
  const [row] = await server.store.driver.query<{ n: string }>(
    "SELECT count() AS n FROM scores WHERE project_id = 'default' AND metadata['ruleId'] = {ruleId:String}",
    { ruleId },
  );
  return Number(row?.n ?? 0);
}

async function until(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function backfillRate(
  server: ArgusServer,
  name: string,
  evaluatorId: string,
  service: string,
  spans: number,
) {
  const base = server.url;
  const rule = await call<{ data: { id: string } }>(base, 'POST', '/api/v1/evaluation-rules', {
    name,
    filter: { kind: 'llm', service },
    evaluators: [evaluatorId],
  });
  const started = performance.now();
  await call(base, 'POST', `/api/v1/evaluation-rules/${rule.data.id}/backfill`, {
    from: Date.now() - 3_600_000,
  });
  await until(async () => {
    const r = await call<{ data: { status?: { backfill?: { status: string } } } }>(
      base,
      'GET',
      `/api/v1/evaluation-rules/${rule.data.id}`,
    );
    return r.data.status?.backfill?.status === 'done';
  });
  const seconds = (performance.now() - started) / 1000;
  const scored = await scoresOf(server, rule.data.id);
  await call(base, 'PATCH', `/api/v1/evaluation-rules/${rule.data.id}`, { enabled: false });
  return { spans, scored, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(scored / seconds) };
}

async function partOne() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-online-bench-'));
  const config = loadConfig(
    { port: 0, grpcPort: 0, dataDir: dir, logLevel: 'error', onlineIntervalMs: 100, alertsIntervalMs: 0 },
    {},
  );
  const [server, mock] = await Promise.all([startInProcess(config, createLogger('error')), startMockLlm()]);
  try {
    const base = server.url;
    const contains = await call<{ data: { id: string } }>(base, 'POST', '/api/v1/evaluators', {
      name: 'mentions-tomorrow',
      type: 'contains',
      config: { value: 'tomorrow' },
    });
    await post(base, 'backfill-app', SPANS);
    const code = await backfillRate(server, 'code backfill', contains.data.id, 'backfill-app', SPANS);
    console.log(`code evaluator, backfill of ${SPANS} spans: ${JSON.stringify(code)}`);
    const live = await call<{ data: { id: string } }>(base, 'POST', '/api/v1/evaluation-rules', {
      name: 'code live',
      filter: { kind: 'llm', service: 'live-app' },
      evaluators: [contains.data.id],
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await post(base, 'live-app', SPANS);
    const ingested = (performance.now() - started) / 1000;
    await until(async () => (await scoresOf(server, live.data.id)) >= SPANS);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `code evaluator, live, ${SPANS} spans posted in ${ingested.toFixed(1)} s: all scored after ${seconds.toFixed(1)} s (${Math.round(SPANS / seconds)} spans/s end to end)`,
    );
    await call(base, 'PATCH', `/api/v1/evaluation-rules/${live.data.id}`, { enabled: false });
    const connection = await call<{ data: { id: string } }>(base, 'POST', '/api/v1/llm-connections', {
      name: 'mock',
      provider: 'openai-compatible',
      baseUrl: `${mock.url}/v1`,
      apiKey: 'sk-bench',
    });
    const judge = await call<{ data: { id: string } }>(base, 'POST', '/api/v1/evaluators', {
      name: 'judge',
      type: 'llm_judge',
      config: { connectionId: connection.data.id, model: 'mock-judge', template: 'helpfulness' },
    });
    await post(base, 'judged-app', JUDGE_SPANS);
    const before = mock.requests;
    const judged = await backfillRate(server, 'judge backfill', judge.data.id, 'judged-app', JUDGE_SPANS);
    console.log(
      `llm_judge (mock), backfill of ${JUDGE_SPANS} spans: ${JSON.stringify({ ...judged, judgeCalls: mock.requests - before })}`,
    );
    return { code, liveSpansPerSecond: Math.round(SPANS / ((performance.now() - started) / 1000)), judged };
  } finally {
    await server.close();
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(url: string): Promise<{ spans: number; spansPerSecond: number; ackP99Ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bench/load-generator.ts'), url, '8', String(INGEST_SECONDS), '0', '100'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!))
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

async function ingestWith(mode: 'off' | 'health' | 'rule') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-online-ingest-'));
  const server = await startServer(dir, ['--online-interval-ms', mode === 'off' ? '0' : '1000']);
  try {
    if (mode === 'rule') {
      const evaluator = await call<{ data: { id: string } }>(server.url, 'POST', '/api/v1/evaluators', {
        name: 'any-answer',
        type: 'regex',
        config: { pattern: '\\w' },
      });
      await call(server.url, 'POST', '/api/v1/evaluation-rules', {
        name: 'every llm span',
        filter: { kind: 'llm' },
        evaluators: [evaluator.data.id],
      });
    }
    const pid = server.child.pid!;
    const cpuBefore = cpuSeconds(pid);
    const result = await load(server.url);
    // Let the worker finish what the phase stored, so its CPU is counted.
    await new Promise((r) => setTimeout(r, 3000));
    const cpuMsPer1kSpans = Math.round(((cpuSeconds(pid) - cpuBefore) * 1e6) / Math.max(1, result.spans));
    return {
      mode,
      spansPerSecond: Math.round(result.spansPerSecond),
      ackP99Ms: result.ackP99Ms,
      cpuMsPer1kSpans,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `online evaluation bench, ${machine()}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await partOne();
for (const mode of ['off', 'health', 'rule', 'rule', 'health', 'off'] as const)
  console.log(`ingest, ${mode}: ${JSON.stringify(await ingestWith(mode))}`);
