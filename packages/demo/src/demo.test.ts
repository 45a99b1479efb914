/**
 * `argus demo` end to end: a few seconds of the demo against a real in-process server, checked
 * through the API (cross-service traces, retrieval, streaming, tool calls, failures, users,
 * sessions, scores); plus the flag parsing and the unreachable-server message.
 */

import type { Span } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { runDemoCommand } from './command.ts';
import { parseDemoArgs, parseDuration } from './options.ts';
import { type DemoSummary, runDemo } from './run.ts';

type TraceReply = {
  traceId: string;
  spans: Span[];
  scores: { name: string; value: number; source: string }[];
};
type TraceItem = { traceId: string; userId: string; sessionId: string; serviceName: string };

let argus: TestServer;
let summary: DemoSummary;
const lines: string[] = [];
let startedAt = 0;

beforeAll(async () => {
  argus = await startTestServer();
  startedAt = Date.now();
  summary = await runDemo({
    url: argus.url,
    durationMs: 4000,
    rate: 8,
    // Seed 9 opens with the rate-limited, two order-lookup and the unknown-order conversations.
    seed: 9,
    latencyMs: 5,
    chunkDelayMs: 2,
    progressEveryMs: 1000,
    print: (line) => lines.push(line),
  });
}, 60_000);
afterAll(async () => {
  await argus?.stop();
});

const getTrace = (id: string) => argus.get<TraceReply>(`/api/v1/traces/${id}`);

async function spansOf(query: string): Promise<Span[]> {
  const reply = await argus.get<{ data: Span[] }>(
    `/api/v1/spans?from=${startedAt - 1000}&limit=1000&${query}`,
  );
  return reply.data;
}

describe('argus demo', () => {
  it('sends multi-turn traffic and reports what Argus received', () => {
    expect(summary.requests).toBeGreaterThanOrEqual(20);
    expect(summary.answered).toBeGreaterThan(summary.failed);
    expect(summary.failed).toBeGreaterThanOrEqual(1);
    expect(summary.traces).toBeGreaterThanOrEqual(summary.requests);
    expect(summary.spans).toBeGreaterThan(summary.traces * 5);
    expect(lines.some((l) => /requests · \d+ answered/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('First trace'))).toBe(true);
  });

  it('keeps one trace across api-gateway and rag-service, server span under the client span', async () => {
    const trace = await getTrace(summary.answeredTraceIds[0]!);
    const services = new Set(trace.spans.map((s) => s.serviceName));
    expect(services).toEqual(new Set(['api-gateway', 'rag-service']));
    const ragServer = trace.spans.find((s) => s.serviceName === 'rag-service' && s.name === 'POST /answer')!;
    const client = trace.spans.find((s) => s.spanId === ragServer.parentSpanId)!;
    expect(client).toMatchObject({ serviceName: 'api-gateway', name: 'POST', kind: 'http' });
    const root = trace.spans.find((s) => s.parentSpanId === '')!;
    expect(root).toMatchObject({ serviceName: 'api-gateway', name: 'POST /chat' });
    expect(trace.spans.every((s) => s.traceId === trace.traceId)).toBe(true);
  });

  it('records retrieval documents, streamed LLM calls with TTFT, and tool calls', async () => {
    const retrievers = await spansOf('kind=retriever&service=rag-service');
    expect(retrievers.length).toBeGreaterThan(0);
    const retrieval = (await getTrace(retrievers[0]!.traceId)).spans.find((s) => s.kind === 'retriever')!;
    expect(retrieval.retrievalDocuments).toHaveLength(3);
    expect(retrieval.retrievalDocuments![0]).toMatchObject({
      id: expect.stringMatching(/^kb-/),
      score: expect.any(Number),
    });

    const llm = (await spansOf('kind=llm&service=rag-service')).filter((s) => s.status !== 'error');
    expect(llm.length).toBeGreaterThan(0);
    expect(llm.every((s) => s.params.stream === true && (s.ttftMs ?? 0) > 0)).toBe(true);

    const tools = await spansOf('kind=tool');
    expect(tools.some((s) => s.toolName === 'get_order_status' && s.status !== 'error')).toBe(true);
    const withTool = await getTrace(tools[0]!.traceId);
    const calls = withTool.spans.filter((s) => s.kind === 'llm');
    expect(calls.length).toBe(2);
    expect(JSON.stringify(calls.map((c) => c.output))).toContain('"name":"get_order_status"');
  });

  it('has error spans: rate-limited LLM calls and failing tool calls', async () => {
    const errors = await spansOf('status=error');
    const llm429 = errors.find((s) => s.kind === 'llm');
    expect(llm429?.statusMessage).toContain('429');
    expect(errors.some((s) => s.kind === 'tool' && /not found/.test(s.statusMessage))).toBe(true);
    const failed = await getTrace(summary.failedTraceIds[0]!);
    expect(failed.spans.find((s) => s.parentSpanId === '')?.status).toBe('error');
  });

  it('spreads traffic over several users and multi-turn sessions, with feedback scores', async () => {
    const list = await argus.get<{ data: TraceItem[] }>(
      `/api/v1/traces?service=api-gateway&from=${startedAt - 1000}&limit=1000`,
    );
    const users = new Set(list.data.map((t) => t.userId));
    const turns = new Map<string, number>();
    for (const t of list.data) turns.set(t.sessionId, (turns.get(t.sessionId) ?? 0) + 1);
    expect(users.size).toBeGreaterThanOrEqual(3);
    expect(turns.size).toBeGreaterThanOrEqual(4);
    expect([...turns.values()].some((n) => n >= 2)).toBe(true);
    expect(summary.feedback).toBeGreaterThan(0);
    let scored: TraceReply | undefined;
    for (const id of summary.answeredTraceIds) {
      const trace = await getTrace(id);
      if (trace.scores.length > 0) {
        scored = trace;
        break;
      }
    }
    expect(scored?.scores[0]).toMatchObject({ name: 'user-feedback', source: 'user' });
  });
});

// Issue 13, through the real doors: the SDK in both services, the mock LLM, ingest and the API.
describe('argus demo: honest costs and errors, answers that follow the question', () => {
  type TracePreview = { traceId: string; inputPreview: string; outputPreview: string; status: string };
  const previews = async () =>
    (
      await argus.get<{ data: TracePreview[] }>(
        `/api/v1/traces?service=api-gateway&from=${startedAt - 1000}&limit=1000`,
      )
    ).data;

  it('keeps the scripted rate limit out of what the user typed', async () => {
    const traces = await previews();
    expect(traces.some((t) => t.inputPreview.includes('[['))).toBe(false);
    const giftCards = traces.find((t) => t.inputPreview === 'Do you sell gift cards?');
    expect(giftCards?.status).toBe('error');
  });

  it('charges nothing for the rate-limited LLM call', async () => {
    const failed = (await spansOf('status=error&kind=llm')).filter((s) => s.statusMessage.includes('429'));
    expect(failed.length).toBeGreaterThan(0);
    for (const span of failed)
      expect(span).toMatchObject({ costUsd: 0, costSource: 'none', tokensEstimated: false, inputTokens: 0 });
  });

  it('answers each question on its topic', async () => {
    const answered = (await previews()).filter((t) => t.status === 'ok' && t.outputPreview !== '');
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.some((t) => t.outputPreview.includes('Once upon a time'))).toBe(false);
    // An order lookup is answered from the tool's result.
    const vega = answered.find((t) => t.inputPreview.includes('order Vega'));
    // Seed 9 opens with the Vega lookup (see beforeAll).
    expect(vega?.outputPreview).toContain('order id Vega, status shipped');
  });

  it('counts errors against the requested model, and failed turns per session and user', async () => {
    const models = await argus.get<{
      data: { requestModel: string; responseModel: string; errors: number }[];
    }>(`/api/v1/models?from=${startedAt - 1000}`);
    const mini = models.data.filter((m) => m.requestModel === 'gpt-4o-mini');
    expect(mini.map((m) => m.responseModel)).toEqual(['gpt-4o-mini-2024-07-18']);
    expect(mini[0]!.errors).toBeGreaterThan(0);
    type Totals = { traceCount: number; failedTraceCount: number; errorCount: number };
    const sessions = await argus.get<{ data: (Totals & { sessionId: string })[] }>(
      `/api/v1/sessions?from=${startedAt - 1000}&limit=1000`,
    );
    const failedTurns = (await previews()).filter((t) => t.status === 'error').length;
    expect(sessions.data.reduce((n, s) => n + s.failedTraceCount, 0)).toBe(failedTurns);
    // A failed turn has several error spans (LLM call, agent, services), counted once as a turn.
    expect(sessions.data.some((s) => s.errorCount > s.failedTraceCount)).toBe(true);
    const users = await argus.get<{ data: Totals[] }>(`/api/v1/users?from=${startedAt - 1000}&limit=1000`);
    for (const user of users.data) expect(user.failedTraceCount).toBeLessThanOrEqual(user.traceCount);
  });
});

describe('argus demo flags', () => {
  it('parses durations and validates flags', () => {
    expect(parseDuration('20s')).toBe(20_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDemoArgs(['--duration', '5s', '--rate', '2', '--seed', '9'])).toMatchObject({
      options: { url: 'http://127.0.0.1:4318', durationMs: 5000, rate: 2, seed: 9, start: false },
    });
    expect(() => parseDemoArgs(['--url', 'http://10.0.0.5:4318'])).toThrow(/loopback/);
    expect(() => parseDemoArgs(['--rate', '0'])).toThrow(/--rate/);
    expect(() => parseDemoArgs(['--duration', 'forever'])).toThrow(/--duration/);
  });

  it('says how to start Argus when it is not reachable', async () => {
    let errors = '';
    const code = await runDemoCommand(
      ['--url', 'http://127.0.0.1:9', '--duration', '1s'],
      {},
      () => {},
      (text) => {
        errors += text;
      },
    );
    expect(code).toBe(1);
    expect(errors).toContain('cannot reach Argus at http://127.0.0.1:9');
    expect(errors).toContain('npx argus start');
    expect(errors).toContain('npx argus demo --start');
  });
});
