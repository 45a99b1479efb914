/**
 * Issue 19, shadow traffic: a share of the gateway's calls for a model sent again, off the caller's
 * path, to a candidate model and recorded as a pair in two experiments (primary, candidate) on one
 * dataset. A real server and the mock LLM over 127.0.0.1, the official `openai` client for streams.
 * Share 1 records every call with both outputs and scores, comparable with the experiments API;
 * share 0 records none; a failing or hanging candidate leaves the caller's answer byte-identical
 * and is recorded as a failed candidate item; a full queue drops and counts.
 */
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type {
  DatasetItem,
  Experiment,
  ExperimentComparison,
  ExperimentItemResult,
  GatewayShadow,
  GatewayShadowStatus,
  Span,
  TraceDetail,
} from '@argus/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/cli.ts';
import { call, ok } from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let mock: MockLlm;
let client: OpenAI;
const ids: Record<string, string> = {};
/** Candidate calls time out after this (the hanging connection answers much later). */
const TIMEOUT_MS = 3_000;

async function created<T = { id: string }>(path: string, body: unknown): Promise<T> {
  return (await ok<{ data: T }>(argus.url, 'POST', path, body)).data;
}

async function putShadow(name: string, body: Record<string, unknown>): Promise<GatewayShadow> {
  return (await ok<{ data: GatewayShadow }>(argus.url, 'PUT', `/api/v1/gateway/shadows/${name}`, body)).data;
}

beforeAll(async () => {
  mock = await startMockLlm({ chunkDelayMs: 1 });
  argus = await startTestServer();
  const base = { provider: 'openai-compatible', baseUrl: `${mock.url}/v1` };
  ids.main = (await created('/api/v1/llm-connections', { name: 'main', ...base, models: ['gpt-*'] })).id;
  // Candidates only (no models listed that a caller's call could be routed to).
  ids.broken = (
    await created('/api/v1/llm-connections', {
      name: 'broken',
      ...base,
      models: ['nothing-routes-here'],
      headers: { 'x-mock-fail': '500' },
    })
  ).id;
  ids.hanging = (
    await created('/api/v1/llm-connections', {
      name: 'hanging',
      ...base,
      models: ['nothing-routes-here'],
      headers: { 'x-mock-latency-ms': String(TIMEOUT_MS * 4) },
    })
  ).id;
  ids.similarity = (
    await created('/api/v1/evaluators', { name: 'similarity', type: 'levenshtein', config: {} })
  ).id;
  await ok(argus.url, 'PUT', '/api/v1/gateway/settings', { timeoutMs: TIMEOUT_MS });
  client = new OpenAI({ baseURL: `${argus.url}/gateway/v1`, apiKey: 'unused', maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await argus?.stop();
  await mock?.close();
});

async function experiment(id: string): Promise<Experiment> {
  return (await ok<{ data: Experiment }>(argus.url, 'GET', `/api/v1/experiments/${id}`)).data;
}

/** Waits until an experiment has `pairs` results. */
async function pairsOf(id: string, pairs: number): Promise<ExperimentItemResult[]> {
  for (let i = 0; i < 400; i++) {
    if ((await experiment(id)).progress.done >= pairs) {
      const page = await ok<{ data: ExperimentItemResult[] }>(
        argus.url,
        'GET',
        `/api/v1/experiments/${id}/items`,
      );
      return page.data;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`experiment ${id} has fewer than ${pairs} results`);
}

async function shadowStatus(name: string): Promise<GatewayShadowStatus> {
  const { data } = await ok<{ data: GatewayShadowStatus[] }>(argus.url, 'GET', '/api/v1/gateway/shadows');
  const found = data.find((s) => s.name === name);
  if (!found) throw new Error(`no shadow ${name}`);
  return found;
}

async function trace(traceId: string): Promise<TraceDetail> {
  for (let i = 0; i < 200; i++) {
    const answer = await call<TraceDetail>(argus.url, 'GET', `/api/v1/traces/${traceId}`);
    if (answer.status === 200) return answer.json;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no trace ${traceId}`);
}

/** A chat call through the gateway, raw: status, text and trace id. */
async function chat(model: string, content: string) {
  const response = await fetch(`${argus.url}/gateway/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  return {
    status: response.status,
    text: await response.text(),
    traceId: response.headers.get('x-argus-trace-id') ?? '',
  };
}

/** The same call straight to the mock. */
async function direct(model: string, content: string): Promise<string> {
  const response = await fetch(`${mock.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  return response.text();
}

/** A streamed chat call with the official client: the text and the trace id. */
async function streamed(model: string, content: string): Promise<{ text: string; traceId: string }> {
  const { data: stream, response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content }], stream: true })
    .withResponse();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return { text, traceId: response.headers.get('x-argus-trace-id') ?? '' };
}

describe('shadow traffic', () => {
  it('records every call at share 1 as a pair with both outputs and scores, comparable as experiments', async () => {
    const shadow = await putShadow('mini', {
      model: 'gpt-4o-mini',
      candidate: { model: 'gpt-4.1-mini' },
      share: 1,
      evaluators: [ids.similarity],
    });
    const calls = [
      await chat('gpt-4o-mini', 'What is the capital of France?'),
      await chat('gpt-4o-mini', 'Name a prime number.'),
    ];
    const stream = await streamed('gpt-4o-mini', 'Say hello.');
    for (const c of calls) expect(c.status).toBe(200);
    expect(stream.text.length).toBeGreaterThan(0);
    const primaryTraces = [...calls.map((c) => c.traceId), stream.traceId];

    const primary = await pairsOf(shadow.primaryExperimentId, 3);
    const candidate = await pairsOf(shadow.candidateExperimentId, 3);
    expect(primary.map((r) => r.traceId).sort()).toEqual([...primaryTraces].sort());
    for (const rows of [primary, candidate]) {
      expect(rows).toHaveLength(3);
      for (const r of rows) {
        expect(r.error).toBeUndefined();
        expect(typeof r.output).toBe('string');
        expect((r.output as string).length).toBeGreaterThan(0);
        expect(r.scores.similarity).toBeGreaterThanOrEqual(0);
        expect(r.scores.similarity).toBeLessThanOrEqual(1);
        expect(r.latencyMs).toBeGreaterThan(0);
        expect(r.costUsd).toBeGreaterThan(0);
      }
    }
    // The primary's answer is the item's expected output: its own similarity is 1.
    for (const r of primary) expect(r.scores.similarity).toBe(1);
    // The streamed call's pair holds the whole streamed text on the primary side.
    const streamedRow = primary.find((r) => r.traceId === stream.traceId)!;
    expect(streamedRow.output).toBe(stream.text);

    // The items are the live inputs, linked to the primary's trace.
    const items = await ok<{ data: DatasetItem[] }>(
      argus.url,
      'GET',
      `/api/v1/datasets/${shadow.datasetId}/items`,
    );
    expect(items.data.map((i) => i.sourceTraceId).sort()).toEqual([...primaryTraces].sort());
    expect(JSON.stringify(items.data.find((i) => i.sourceTraceId === calls[1]!.traceId)?.input)).toContain(
      'Name a prime number.',
    );

    // The candidate call is a trace of its own (non-streamed, the candidate's model), linked to the
    // primary; the primary's trace holds only the caller's call.
    const candidateRow = candidate.find((r) => r.itemId === streamedRow.itemId)!;
    const candidateTrace = await trace(candidateRow.traceId!);
    const span = candidateTrace.spans.find((s) => s.kind === 'llm') as Span;
    expect(span.serviceName).toBe('argus-gateway-shadow');
    expect(span.requestModel).toBe('gpt-4.1-mini');
    expect(span.params.stream).toBe(false);
    expect(span.attributes['argus.gateway.shadow.primary_trace_id']).toBe(stream.traceId);
    expect(span.tags).toContain('shadow');
    expect((await trace(stream.traceId)).spans.map((s) => s.serviceName)).toEqual(['argus-gateway']);

    const { data: compared } = await ok<{ data: ExperimentComparison }>(
      argus.url,
      'GET',
      `/api/v1/experiments/compare?baseline=${shadow.primaryExperimentId}&candidate=${shadow.candidateExperimentId}`,
    );
    expect(compared.pairedItems).toBe(3);
    expect(compared.evaluators.similarity?.n).toBe(3);
    expect(compared.latencyMs.n).toBe(3);
    expect((await experiment(shadow.candidateExperimentId)).target).toMatchObject({
      type: 'shadow',
      side: 'candidate',
      model: 'gpt-4.1-mini',
    });
    const status = await shadowStatus('mini');
    expect(status).toMatchObject({ sent: 3, failed: 0, dropped: 0, pairs: 3, state: 'running' });
    const metrics = await (await fetch(`${argus.url}/metrics`)).text();
    expect(metrics).toMatch(/argus_gateway_shadow_calls_total\{[^}]*shadow="mini",result="sent"\} 3/);
  });

  it('records no call at share 0', async () => {
    const shadow = await putShadow('zero', { model: 'gpt-4o', candidate: { model: 'gpt-4.1' }, share: 0 });
    for (let i = 0; i < 5; i++) expect((await chat('gpt-4o', `Question ${i}`)).status).toBe(200);
    // A call shadowed at share 1 afterwards is recorded; the share-0 calls before it were not.
    const before = (await experiment((await shadowStatus('mini')).candidateExperimentId)).progress.done;
    await chat('gpt-4o-mini', 'One more question');
    await pairsOf((await shadowStatus('mini')).candidateExperimentId, before + 1);
    expect((await experiment(shadow.primaryExperimentId)).progress.done).toBe(0);
    expect(await shadowStatus('zero')).toMatchObject({ sent: 0, dropped: 0, pairs: 0 });
  });

  it.each([
    ['fails', 'broken', 'the candidate answered 500'],
    ['hangs', 'hanging', `no answer within ${TIMEOUT_MS} ms`],
  ])(
    'leaves the answer byte-identical when the candidate %s and records it as failed',
    async (_, connection, error) => {
      const model = `gpt-primary-${connection}`;
      const question = 'What is the capital of France?';
      const before = await chat(model, question);
      const shadow = await putShadow(connection, {
        model,
        candidate: { connectionId: ids[connection], model: 'gpt-4.1-mini' },
        share: 1,
        evaluators: [ids.similarity],
      });
      const shadowed = await chat(model, question);
      const stream = await streamed(model, 'Say hello.');
      expect(shadowed.status).toBe(200);
      expect(shadowed.text).toBe(before.text);
      expect(shadowed.text).toBe(await direct(model, question));
      expect(stream.text.length).toBeGreaterThan(0);
      const candidate = await pairsOf(shadow.candidateExperimentId, 2);
      const primary = await pairsOf(shadow.primaryExperimentId, 2);
      for (const r of candidate) {
        expect(r.error).toContain(error);
        expect(r.output).toBeUndefined();
        expect(r.scores).toEqual({});
      }
      for (const r of primary) expect(r.scores.similarity).toBe(1);
      const summary = (await experiment(shadow.candidateExperimentId)).summary;
      expect(summary.errors).toBe(2);
      expect(await shadowStatus(connection)).toMatchObject({ sent: 2, failed: 2, pairs: 2 });
      const failedSpan = (await trace(candidate[0]!.traceId!)).spans[0]!;
      expect(failedSpan.status).toBe('error');
    },
  );

  it('drops and counts pairs once its queue is full', async () => {
    // One candidate call at a time, one waiting: the hanging candidate holds its slot for the
    // whole time limit while five calls come in.
    const shadow = await putShadow('bounded', {
      model: 'gpt-primary-bounded',
      candidate: { connectionId: ids.hanging, model: 'gpt-4.1-mini' },
      share: 1,
      concurrency: 1,
      queue: 1,
    });
    for (let i = 0; i < 5; i++) expect((await chat('gpt-primary-bounded', `Q${i}`)).status).toBe(200);
    await pairsOf(shadow.candidateExperimentId, 2);
    expect(await shadowStatus('bounded')).toMatchObject({ sent: 2, failed: 2, dropped: 3, pairs: 2 });
    const metrics = await (await fetch(`${argus.url}/metrics`)).text();
    expect(metrics).toMatch(/argus_gateway_shadow_calls_total\{[^}]*shadow="bounded",result="dropped"\} 3/);
  });

  it('refuses bad shadows clearly, changes the share in place, and completes the experiments on delete', async () => {
    const bad = await call(argus.url, 'PUT', '/api/v1/gateway/shadows/x', {
      model: 'gpt-4o',
      candidate: { model: 'gpt-4.1' },
      share: 1.5,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('share');
    const name = await call(argus.url, 'PUT', '/api/v1/gateway/shadows/bad%20name', {
      model: 'gpt-4o',
      candidate: { model: 'gpt-4.1' },
      share: 1,
    });
    expect(name.status).toBe(400);
    expect(name.json.error.message).toContain("Invalid shadow name 'bad name'");
    const evaluator = await call(argus.url, 'PUT', '/api/v1/gateway/shadows/x', {
      model: 'gpt-4o',
      candidate: { model: 'gpt-4.1' },
      share: 1,
      evaluators: ['no-such-evaluator'],
    });
    expect(evaluator.status).toBe(404);
    const changed = await call(argus.url, 'PUT', '/api/v1/gateway/shadows/zero', {
      model: 'gpt-4o',
      candidate: { model: 'gpt-4.1-nano' },
      share: 0,
    });
    expect(changed.status).toBe(409);
    expect(changed.json.error.message).toContain("Cannot change 'candidate' of shadow 'zero'");
    const share = await ok<{ data: GatewayShadow }>(argus.url, 'PUT', '/api/v1/gateway/shadows/zero', {
      model: 'gpt-4o',
      candidate: { model: 'gpt-4.1' },
      share: 0.5,
    });
    expect(share.data.share).toBe(0.5);
    const { primaryExperimentId } = share.data;
    expect((await call(argus.url, 'DELETE', '/api/v1/gateway/shadows/zero')).status).toBe(204);
    expect((await experiment(primaryExperimentId)).status).toBe('completed');
    expect((await call(argus.url, 'DELETE', '/api/v1/gateway/shadows/zero')).status).toBe(404);
  });

  it('shadows Anthropic messages to a candidate on an Anthropic connection', async () => {
    await created('/api/v1/llm-connections', {
      name: 'claude',
      provider: 'anthropic',
      baseUrl: mock.url,
      models: ['claude-*'],
    });
    const shadow = await putShadow('claude', {
      model: 'claude-sonnet-4-5',
      candidate: { model: 'claude-haiku-4-5' },
      share: 1,
      evaluators: [ids.similarity],
    });
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
    };
    for (const stream of [false, true]) {
      const response = await fetch(`${argus.url}/gateway/anthropic/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ ...body, stream }),
      });
      expect(response.status).toBe(200);
      await response.text();
    }
    const candidate = await pairsOf(shadow.candidateExperimentId, 2);
    for (const r of candidate) {
      expect(r.error).toBeUndefined();
      expect((r.output as string).length).toBeGreaterThan(0);
      expect(r.scores.similarity).toBeGreaterThanOrEqual(0);
    }
    const span = (await trace(candidate[0]!.traceId!)).spans[0]!;
    expect(span.requestModel).toBe('claude-haiku-4-5');
    expect(span.provider).toBe('anthropic');
  });

  it('completes both experiments at maxPairs, and stops when its experiment is cancelled', async () => {
    const capped = await putShadow('capped', {
      model: 'gpt-primary-capped',
      candidate: { model: 'gpt-4.1-mini' },
      share: 1,
      maxPairs: 2,
    });
    for (let i = 0; i < 4; i++) expect((await chat('gpt-primary-capped', `Capped ${i}`)).status).toBe(200);
    for (let i = 0; i < 400 && (await experiment(capped.candidateExperimentId)).status !== 'completed'; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await shadowStatus('capped')).toMatchObject({ pairs: 2, sent: 2, state: 'completed' });
    for (const id of [capped.primaryExperimentId, capped.candidateExperimentId]) {
      const e = await experiment(id);
      expect(e.status).toBe('completed');
      expect(e.progress).toEqual({ done: 2, total: 2 });
      expect(e.summary.latencyMs).toBeDefined();
    }
    const stopped = await putShadow('stopped', {
      model: 'gpt-primary-stopped',
      candidate: { model: 'gpt-4.1-mini' },
      share: 1,
    });
    await chat('gpt-primary-stopped', 'Before the cancel');
    await pairsOf(stopped.candidateExperimentId, 1);
    await ok(argus.url, 'POST', `/api/v1/experiments/${stopped.candidateExperimentId}/cancel`);
    // The shadow reads its experiments' status at most every 2 s: wait that out, then call again.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    for (let i = 0; i < 3; i++) await chat('gpt-primary-stopped', `After the cancel ${i}`);
    // A call shadowed elsewhere afterwards is recorded; the cancelled shadow's were not.
    const before = (await experiment(capped.primaryExperimentId)).progress.done;
    expect(before).toBe(2);
    const mini = await shadowStatus('mini');
    await chat('gpt-4o-mini', 'After the cancel, elsewhere');
    await pairsOf(mini.candidateExperimentId, mini.pairs + 1);
    expect(await shadowStatus('stopped')).toMatchObject({ sent: 1, pairs: 1, state: 'cancelled' });
  });

  it('sets, lists and deletes a shadow from the command line', async () => {
    const url = ['--url', argus.url];
    const set = await runMain([
      'gateway',
      'shadow',
      'set',
      'cli',
      '--model',
      'gpt-4o-cli',
      '--candidate',
      `${ids.main}:gpt-4.1-mini`,
      '--share',
      '0.25',
      '--max-pairs',
      '10',
      ...url,
    ]);
    expect(set.code).toBe(0);
    expect(set.out).toContain('Shadow cli: 25 % of gpt-4o-cli → gpt-4.1-mini');
    const list = await runMain(['gateway', 'shadow', 'list', '--json', ...url]);
    const listed = (JSON.parse(list.out) as GatewayShadowStatus[]).find((s) => s.name === 'cli');
    expect(listed).toMatchObject({
      candidate: { connectionId: ids.main, model: 'gpt-4.1-mini' },
      share: 0.25,
      maxPairs: 10,
      state: 'running',
    });
    const bad = await runMain([
      'gateway',
      'shadow',
      'set',
      'x',
      '--model',
      'm',
      '--candidate',
      ':m',
      '--share',
      '1',
      ...url,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Invalid --candidate ':m'");
    const missing = await runMain(['gateway', 'shadow', 'set', 'x', '--model', 'm', ...url]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('shadow set needs --model, --candidate and --share');
    const deleted = await runMain(['gateway', 'shadow', 'delete', 'cli', ...url]);
    expect(deleted.out).toContain('Deleted shadow cli');
  });
});
