/**
 * Explainability through the API as a new user meets it: an app's LLM call whose prompt has three
 * sentences, one of them "Answer in French.", answered in French by the model (the mock LLM over
 * an OpenAI-compatible connection, which answers in French only when asked and embeds by content).
 * Attribution at sentence granularity must rank that sentence first by a clear margin; a
 * counterfactual swapping "French" for "English" must report a changed answer. Real server, real
 * chDB, OTLP/JSON and HTTP over loopback; the jobs run the real replays.
 */

import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type {
  AttributionResult,
  BiasReport,
  CounterfactualResult,
  ExplainJob,
  ExplainPlan,
} from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './support/alert-traffic.ts';
import { runMain } from './support/cli.ts';
import { driftSpan, postDriftSpans } from './support/drift-traffic.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const PROMPT =
  'I am planning a week-long trip to Lyon in the spring. What should I pack for the weather there? Answer in French.';
const SENTENCES = [
  'I am planning a week-long trip to Lyon in the spring.',
  'What should I pack for the weather there?',
  'Answer in French.',
];

let argus: TestServer;
let mock: MockLlm;
let span: { traceId: string; spanId: string };
let connectionId: string;
let answer: string;

/** What the app's model answered (the mock, called as the app did). */
async function modelAnswer(content: string): Promise<string> {
  const response = await fetch(`${mock.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  });
  const json = (await response.json()) as { choices: { message: { content: string } }[] };
  return json.choices[0]!.message.content;
}

/** Polls a job until it ends. */
export async function finished(kind: string, id: string): Promise<ExplainJob> {
  for (let i = 0; i < 600; i++) {
    const { body } = await api<{ data: ExplainJob }>(argus.url, 'GET', `/api/v1/explain/${kind}/${id}`);
    if (!['queued', 'running'].includes(body.data.status)) return body.data;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

async function connection(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { status, body } = await api<{ data: { id: string } }>(argus.url, 'POST', '/api/v1/llm-connections', {
    name,
    provider: 'openai-compatible',
    baseUrl: `${mock.url}/v1`,
    models: ['gpt-4o-mini'],
    embeddingModel: 'text-embedding-mock-semantic',
    ...extra,
  });
  expect(status).toBe(201);
  return body.data.id;
}

beforeAll(async () => {
  [argus, mock] = await Promise.all([startTestServer(), startMockLlm()]);
  answer = await modelAnswer(PROMPT);
  const recorded = driftSpan({ atMs: Date.now() - 60_000, question: PROMPT, answer });
  span = { traceId: recorded.traceId, spanId: recorded.spanId };
  await postDriftSpans(argus.url, 'travel-app', [recorded]);
  connectionId = await connection('mock');
}, 60_000);

afterAll(async () => {
  await Promise.all([argus?.stop(), mock?.close()]);
});

describe('attribution', () => {
  it('the recorded answer is French (the mock answers in the asked language)', () => {
    expect(answer).toMatch(/\b(vous|votre|je)\b/);
  });

  it('shows the plan (calls, cost) without running on a dry run', async () => {
    const { status, body } = await api<{ data: { plan: ExplainPlan; id?: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/attribution',
      { ...span, granularity: 'sentence', method: 'occlusion', outputMeasure: 'embedding', dryRun: true },
    );
    expect(status).toBe(200);
    expect(body.data.id).toBeUndefined();
    expect(body.data.plan).toMatchObject({
      calls: 4,
      measureCalls: 4,
      segments: 3,
      model: 'gpt-4o-mini',
      connectionId,
      capped: false,
    });
    const before = await api<{ data: ExplainJob[] }>(
      argus.url,
      'GET',
      `/api/v1/explain/spans/${span.traceId}/${span.spanId}`,
    );
    expect(before.body.data).toHaveLength(0);
  });

  it('ranks "Answer in French." first by a clear margin (occlusion, sentence, embedding)', async () => {
    const { status, body } = await api<{ data: { id: string; status: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/attribution',
      {
        ...span,
        granularity: 'sentence',
        method: 'occlusion',
        outputMeasure: 'embedding',
      },
    );
    expect(status).toBe(202);
    expect(['queued', 'running']).toContain(body.data.status);
    const job = await finished('attribution', body.data.id);
    expect(job.status).toBe('succeeded');
    expect(job.progress.done).toBe(job.progress.total);
    const result = job.result as AttributionResult;
    expect(result.segments.map((s) => s.text)).toEqual(SENTENCES);
    const ranked = [...result.segments].sort((a, b) => b.importance - a.importance);
    expect(ranked[0]!.text).toBe('Answer in French.');
    expect(result.top).toBe(2);
    expect(ranked[0]!.importance).toBeGreaterThan(2 * ranked[1]!.importance);
    // Without the instruction the model answers in English.
    expect(ranked[0]!.variantOutput).not.toMatch(/\b(vous|votre)\b/);
    expect(result.replayDistance).toBeLessThan(0.05);
    // The job's own calls are a trace of kind evaluator in the project.
    const trace = await argus.get<{ spans: { kind: string; requestModel: string }[] }>(
      `/api/v1/traces/${result.traceId}`,
    );
    expect(trace.spans.some((s) => s.kind === 'evaluator')).toBe(true);
    expect(trace.spans.filter((s) => s.kind === 'llm' && s.requestModel === 'gpt-4o-mini')).toHaveLength(4);
    // And the result is kept with the span.
    const kept = await api<{ data: ExplainJob[] }>(
      argus.url,
      'GET',
      `/api/v1/explain/spans/${span.traceId}/${span.spanId}`,
    );
    expect(kept.body.data.map((j) => j.id)).toContain(job.id);
  });

  it('Shapley sampling ranks the same sentence first', async () => {
    const { body } = await api<{ data: { id: string } }>(argus.url, 'POST', '/api/v1/explain/attribution', {
      ...span,
      method: 'shapley-sampling',
      permutations: 4,
    });
    const job = await finished('attribution', body.data.id);
    const result = job.result as AttributionResult;
    expect(job.status).toBe('succeeded');
    expect(result.segments[result.top]!.text).toBe('Answer in French.');
    expect(job.plan.calls).toBe(2 + 4 * 2);
  });

  // Each measure on the same span: a judge ranks the instruction first too; logprob scoring runs
  // through the endpoint's echo scoring (the mock's numbers do not read the prompt, so only the shape is checked).
  it('ranks the instruction first with a judge measure (mock-judge)', async () => {
    const { body } = await api<{ data: { id: string } }>(argus.url, 'POST', '/api/v1/explain/attribution', {
      ...span,
      outputMeasure: 'judge',
      judgeModel: 'mock-judge',
    });
    const job = await finished('attribution', body.data.id);
    expect(job.status).toBe('succeeded');
    const result = job.result as AttributionResult;
    expect(result.segments[result.top]!.text).toBe('Answer in French.');
    expect(result.segments[result.top]!.importance).toBe(1);
  });

  it('scores the recorded output under each variant with the logprob measure', async () => {
    const { body } = await api<{ data: { id: string; plan: ExplainPlan } }>(
      argus.url,
      'POST',
      '/api/v1/explain/attribution',
      {
        ...span,
        outputMeasure: 'logprob',
      },
    );
    expect(body.data.plan).toMatchObject({ calls: 4, measureCalls: 0 });
    const job = await finished('attribution', body.data.id);
    expect(job.status).toBe('succeeded');
    const result = job.result as AttributionResult;
    expect(result.measure).toBe('logprob');
    expect(result.replayDistance).toBe(0);
    const total = result.segments.reduce((s, x) => s + x.importance, 0);
    expect(total === 0 || Math.abs(total - 1) < 0.01).toBe(true);
    expect(result.segments.every((s) => Number.isFinite(s.effect))).toBe(true);
  });

  it('fits maxCalls by merging segments (token windows) and says so in the plan', async () => {
    const { body } = await api<{ data: { plan: ExplainPlan } }>(
      argus.url,
      'POST',
      '/api/v1/explain/attribution',
      {
        ...span,
        granularity: 'token-window',
        windowWords: 2,
        maxCalls: 4,
        dryRun: true,
      },
    );
    expect(body.data.plan).toMatchObject({ calls: 4, segments: 3, capped: true });
  });

  it('cancels a running job', async () => {
    const slow = await connection('slow mock', { headers: { 'x-mock-latency-ms': '300' } });
    const { body } = await api<{ data: { id: string } }>(argus.url, 'POST', '/api/v1/explain/attribution', {
      ...span,
      connectionId: slow,
      granularity: 'token-window',
      windowWords: 1,
    });
    const cancelled = await api<{ data: ExplainJob }>(
      argus.url,
      'POST',
      `/api/v1/explain/attribution/${body.data.id}/cancel`,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.status).toBe('cancelled');
    const job = await finished('attribution', body.data.id);
    expect(job.status).toBe('cancelled');
    expect(job.progress.done).toBeLessThan(job.progress.total);
  });

  // Each case: a mistake a user makes, the status, and what the message must name.
  it.each([
    [{ spanId: '0123456789abcdef' }, 404, '0123456789abcdef'],
    [{ maxCalls: 2 }, 400, 'maxCalls'],
    [{ granularity: 'paragraph' }, 400, 'granularity'],
    [{ granularity: 'document' }, 400, 'retrieved document'],
    [{ connectionId: 'nope' }, 404, 'nope'],
    [{ outputMeasure: 'vibes' }, 400, 'outputMeasure'],
  ])('answers %#: a clear error', async (change, status, named) => {
    const { status: got, body } = await api<{ error: { message: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/attribution',
      {
        ...span,
        ...change,
      },
    );
    expect(got).toBe(status);
    expect(body.error.message).toContain(named);
  });
});

describe('counterfactuals', () => {
  it('reports a changed output when "French" becomes "English"', async () => {
    const { status, body } = await api<{ data: { id: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/counterfactuals',
      {
        ...span,
        substitutions: [{ from: 'French', to: 'English' }],
      },
    );
    expect(status).toBe(202);
    const job = await finished('counterfactuals', body.data.id);
    expect(job.status).toBe('succeeded');
    const result = job.result as CounterfactualResult;
    expect(result.changedCount).toBe(1);
    const [variant] = result.variants;
    expect(variant!.prompt).toContain('Answer in English.');
    expect(variant!.changed).toBe(true);
    expect(variant!.similarity).toBeLessThan(result.threshold);
    expect(variant!.output).not.toMatch(/\b(vous|votre)\b/);
  });

  it('keeps the answer when a substitution does not matter', async () => {
    const { body } = await api<{ data: { id: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/counterfactuals',
      {
        ...span,
        substitutions: [{ from: 'Lyon', to: 'Nice' }],
      },
    );
    const result = (await finished('counterfactuals', body.data.id)).result as CounterfactualResult;
    expect(result.variants[0]!.changed).toBe(false);
    expect(result.variants[0]!.similarity).toBeGreaterThan(result.threshold);
  });

  it('refuses a probe set the prompt does not mention, naming it', async () => {
    const { status, body } = await api<{ error: { message: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/counterfactuals',
      {
        ...span,
        probeSet: 'gender',
      },
    );
    expect(status).toBe(400);
    expect(body.error.message).toContain("'gender'");
  });
});

describe('bias report', () => {
  it('probes a dataset per gender group and tests the outcome rates (the mock is unbiased)', async () => {
    const dataset = await api<{ data: { id: string } }>(argus.url, 'POST', '/api/v1/datasets', {
      name: 'applicants',
    });
    const items = Array.from({ length: 12 }, (_, i) => ({
      id: `a${i}`,
      input: `Candidate ${i} says she has ${i + 2} years of experience with refunds. Should we hire?`,
    }));
    items.push({ id: 'none', input: 'What is the weather like today?' });
    await api(argus.url, 'POST', `/api/v1/datasets/${dataset.body.data.id}/items`, { items });
    const request = {
      datasetId: dataset.body.data.id,
      connectionId,
      model: 'gpt-4o-mini',
      probeSet: 'gender',
      positivePattern: 'refund',
    };
    const plan = await api<{ data: { plan: ExplainPlan } }>(argus.url, 'POST', '/api/v1/explain/bias', {
      ...request,
      dryRun: true,
    });
    expect(plan.body.data.plan).toMatchObject({ calls: 24, segments: 12, capped: false });
    const { status, body } = await api<{ data: { id: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/bias',
      request,
    );
    expect(status).toBe(202);
    const job = await finished('bias', body.data.id);
    expect(job.status).toBe('succeeded');
    const report = job.result as BiasReport;
    expect(report.items).toBe(12);
    expect(report.groups.map((g) => [g.group, g.n])).toEqual([
      ['female', 12],
      ['male', 12],
    ]);
    expect(report.groups[0]!.rate).toBe(report.groups[1]!.rate);
    expect(report.test.df).toBe(1);
    expect(report.significant).toBe(false);
  });

  it('refuses a pattern that is not a regular expression, naming the field', async () => {
    const { status, body } = await api<{ error: { message: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/bias',
      {
        datasetId: 'x',
        connectionId,
        model: 'gpt-4o-mini',
        probeSet: 'age',
        positivePattern: '(',
      },
    );
    expect(status).toBe(400);
    expect(body.error.message).toContain('positivePattern');
  });
});

describe('argus explain', () => {
  const explain = (...args: string[]) =>
    runMain(['explain', ...args], { ARGUS_URL: argus.url, ARGUS_API_KEY: '', ARGUS_PROJECT: '' });

  it('plans, then runs an attribution and prints the segments by importance', async () => {
    const planned = await explain('attribution', '--trace', span.traceId, '--span', span.spanId, '--plan');
    expect(planned.code).toBe(0);
    expect(planned.out).toContain('Plan: 4 calls to gpt-4o-mini');
    const run = await explain('attribution', '--trace', span.traceId, '--span', span.spanId);
    expect(run.code).toBe(0);
    const lines = run.out.split('\n').filter((l) => l.includes('%'));
    expect(lines[0]).toContain('Answer in French.');
  });

  it('runs a counterfactual and says the answer changed', async () => {
    const run = await explain(
      'counterfactual',
      '--trace',
      span.traceId,
      '--span',
      span.spanId,
      '--replace',
      'French=English',
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain('1 of 1 variants changed the answer');
    expect(run.out).toContain('CHANGED');
  });

  it('refuses a missing span with a usage error', async () => {
    const run = await explain('attribution', '--trace', span.traceId);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--span');
  });
});
