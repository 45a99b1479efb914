/**
 * Online evaluation through the doors, as a new user meets it: an evaluator and a rule made
 * over the API, LLM spans sent over OTLP, `online` scores read back through the score list and
 * the trace; deterministic sampling shared by two rules; a restart in the middle of a backlog
 * that evaluates nothing twice and skips nothing; run records; backfill; dry run; and the
 * built-in output-health checks flagging bad answers with no configuration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EvaluationRule, EvaluationRuleRun, RuleDryRun, Score } from '@argus/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type ArgusServer, startServer } from '../src/server.ts';
import { api, postSpans, waitFor } from './support/alert-traffic.ts';
import { randomHex } from './support/otlp-json.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-online-'));
let server: ArgusServer | undefined;

function start(): Promise<ArgusServer> {
  const config = loadConfig(
    {
      port: 0,
      grpcPort: 0,
      dataDir,
      logLevel: 'error',
      writerFlushIntervalMs: 5,
      onlineIntervalMs: 200,
      alertsIntervalMs: 300,
    },
    {},
  );
  return startServer(config, createLogger(config.logLevel));
}

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const attr = (key: string, value: string | number) =>
  typeof value === 'number'
    ? { key, value: { intValue: String(value) } }
    : { key, value: { stringValue: value } };

/** An OTel GenAI chat span (OTLP/JSON) with a question and an answer. */
function chat(options: {
  answer: string;
  question?: string;
  finish?: string;
  traceId?: string;
  extra?: ReturnType<typeof attr>[];
  /** How long before now the call started (default 100 ms). */
  ageMs?: number;
}) {
  const startNs = BigInt(Date.now() - (options.ageMs ?? 100)) * 1_000_000n;
  return {
    traceId: options.traceId ?? randomHex(16),
    spanId: randomHex(8),
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + 80_000_000n).toString(),
    attributes: [
      attr('gen_ai.operation.name', 'chat'),
      attr('gen_ai.provider.name', 'openai'),
      attr('gen_ai.request.model', 'gpt-4o-mini'),
      attr('gen_ai.usage.input_tokens', 20),
      attr('gen_ai.usage.output_tokens', 30),
      attr('gen_ai.response.finish_reasons', JSON.stringify([options.finish ?? 'stop'])),
      attr(
        'gen_ai.input.messages',
        JSON.stringify([
          {
            role: 'user',
            parts: [{ type: 'text', content: options.question ?? 'What is the capital of France?' }],
          },
        ]),
      ),
      attr(
        'gen_ai.output.messages',
        JSON.stringify([
          {
            role: 'assistant',
            parts: [{ type: 'text', content: options.answer }],
            finishReason: options.finish ?? 'stop',
          },
        ]),
      ),
      ...(options.extra ?? []),
    ],
    status: { code: 1 },
  };
}

/** A tool span (not an LLM call): rules filtered on kind=llm never score it. */
function toolSpan() {
  const startNs = BigInt(Date.now() - 100) * 1_000_000n;
  return {
    traceId: randomHex(16),
    spanId: randomHex(8),
    name: 'execute_tool lookup',
    kind: 1,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + 1_000_000n).toString(),
    attributes: [attr('gen_ai.operation.name', 'execute_tool'), attr('gen_ai.tool.name', 'lookup')],
    status: { code: 1 },
  };
}

async function ok<T>(method: string, route: string, body?: unknown): Promise<T> {
  const answer = await api<T>(server!.url, method, route, body);
  if (answer.status >= 300)
    throw new Error(`${method} ${route} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function scoresOf(query: string): Promise<Score[]> {
  return (await ok<{ data: Score[] }>('GET', `/api/v1/scores?limit=10000&${query}`)).data;
}

let containsId = '';
let firstRuleId = '';

interface AlertState {
  ruleId: string;
  state: string;
  value?: number;
}

/** Creates a threshold alert rule and waits for it to fire; answers its state. */
async function firingAlert(
  name: string,
  source: unknown,
  comparison: string,
  threshold: number,
): Promise<AlertState> {
  const rule = await ok<{ data: { id: string } }>('POST', '/api/v1/alerts/rules', {
    name,
    type: 'threshold',
    source,
    window: '1h',
    comparison,
    threshold,
  });
  return waitFor(`alert '${name}' firing`, async () => {
    const states = (await ok<{ data: AlertState[] }>('GET', '/api/v1/alerts/states')).data;
    const state = states.find((s) => s.ruleId === rule.data.id);
    return state?.state === 'firing' ? state : undefined;
  });
}

describe('online evaluation rules', () => {
  it('scores new LLM spans sent over OTLP with a contains evaluator, and never a tool span', async () => {
    server = await start();
    const evaluator = await ok<{ data: { id: string } }>('POST', '/api/v1/evaluators', {
      name: 'mentions-paris',
      type: 'contains',
      config: { value: 'Paris', ignoreCase: true },
    });
    containsId = evaluator.data.id;
    const rule = await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'paris',
      filter: { kind: 'llm' },
      samplingRate: 1,
      evaluators: [containsId],
    });
    expect(rule.data).toMatchObject({ enabled: true, target: 'span', samplingRate: 1, delaySeconds: 0 });
    firstRuleId = rule.data.id;
    const good = chat({ answer: 'The capital of France is Paris.' });
    const bad = chat({ answer: 'It is Lyon.' });
    const tool = toolSpan();
    await postSpans(server.url, 'chat-app', [good, bad, tool]);
    const scores = await waitFor('two online scores', async () => {
      const found = await scoresOf(`source=online&ruleId=${rule.data.id}`);
      return found.length >= 2 ? found : undefined;
    });
    const bySpan = new Map(scores.map((s) => [s.spanId, s]));
    expect(bySpan.get(good.spanId)).toMatchObject({
      name: 'mentions-paris',
      value: 1,
      source: 'online',
      traceId: good.traceId,
    });
    expect(bySpan.get(bad.spanId)).toMatchObject({ value: 0, source: 'online' });
    expect(bySpan.has(tool.spanId)).toBe(false);
    // The score is on the trace too.
    const trace = await ok<{ scores: Score[] }>('GET', `/api/v1/traces/${good.traceId}`);
    expect(trace.scores.find((s) => s.source === 'online' && s.name === 'mentions-paris')).toMatchObject({
      value: 1,
    });
    const status = await ok<{ data: EvaluationRule }>('GET', `/api/v1/evaluation-rules/${rule.data.id}`);
    expect(status.data.status?.today.evaluated).toBeGreaterThanOrEqual(2);
    // Throughput, failures, lag and spend per rule on /metrics.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `argus_online_evaluations_total\\{argus_project="default",rule="${rule.data.id}",outcome="scored"\\} [2-9]`,
      ),
    );
    expect(metrics).toContain(`argus_online_lag_seconds{argus_project="default",rule="${rule.data.id}"}`);
    expect(metrics).toContain('# TYPE argus_online_spend_usd_total counter');
    await ok('PATCH', `/api/v1/evaluation-rules/${rule.data.id}`, { enabled: false });
  });

  it('samples by trace id: 40–60 % of 400 traces at 0.5, and the same traces on a second rule', async () => {
    const ids = await Promise.all(
      ['half-a', 'half-b'].map(
        async (name) =>
          (
            await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
              name,
              filter: { kind: 'llm', service: 'sampled-app' },
              samplingRate: 0.5,
              evaluators: [containsId],
            })
          ).data.id,
      ),
    );
    const spans = Array.from({ length: 400 }, (_, i) => chat({ answer: i % 2 ? 'Paris' : 'Rome' }));
    await postSpans(server!.url, 'sampled-app', spans);
    const traceSets = await waitFor(
      'both rules caught up',
      async () => {
        const rules = await Promise.all(
          ids.map((id) => ok<{ data: EvaluationRule }>('GET', `/api/v1/evaluation-rules/${id}`)),
        );
        if (!rules.every((r) => (r.data.status?.lagSeconds ?? 99) < 5)) return undefined;
        const sets = await Promise.all(
          ids.map(async (id) => new Set((await scoresOf(`ruleId=${id}`)).map((s) => s.traceId))),
        );
        return sets[0]!.size > 0 && sets[0]!.size === sets[1]!.size ? sets : undefined;
      },
      30_000,
    );
    const [a, b] = traceSets;
    expect(a!.size).toBeGreaterThanOrEqual(160);
    expect(a!.size).toBeLessThanOrEqual(240);
    expect([...a!].every((traceId) => b!.has(traceId))).toBe(true);
    for (const id of ids) await ok('DELETE', `/api/v1/evaluation-rules/${id}`);
  });

  it('across a restart in the middle of a backlog, evaluates every span exactly once', async () => {
    const rule = await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'restart',
      filter: { kind: 'llm', service: 'restart-app' },
      evaluators: [containsId],
    });
    const first = Array.from({ length: 1500 }, () => chat({ answer: 'Paris' }));
    await postSpans(server!.url, 'restart-app', first);
    // Stop once the worker is part-way through the backlog (it writes 200 spans at a time).
    await waitFor(
      'the first scores',
      async () => ((await scoresOf(`ruleId=${rule.data.id}`)).length > 0 ? true : undefined),
      30_000,
    );
    await server!.close();
    server = await start();
    const second = Array.from({ length: 100 }, () => chat({ answer: 'Paris' }));
    await postSpans(server.url, 'restart-app', second);
    const all = [...first, ...second];
    const scores = await waitFor(
      'every span scored',
      async () => {
        const found = await scoresOf(`ruleId=${rule.data.id}`);
        return found.length >= all.length ? found : undefined;
      },
      60_000,
    );
    const perSpan = new Map<string, number>();
    for (const s of scores) perSpan.set(s.spanId, (perSpan.get(s.spanId) ?? 0) + 1);
    expect(scores.length).toBe(all.length);
    expect(all.every((span) => perSpan.get(span.spanId) === 1)).toBe(true);
    await ok('DELETE', `/api/v1/evaluation-rules/${rule.data.id}`);
  });

  it('records a failure with its reason, runs a backfill and dry-runs a rule', async () => {
    const regex = await ok<{ data: { id: string } }>('POST', '/api/v1/evaluators', {
      name: 'numeric',
      type: 'numeric',
      config: {},
    });
    const rule = await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'fails',
      filter: { kind: 'llm', service: 'failing-app' },
      evaluators: [regex.data.id],
    });
    const span = chat({ answer: 'not a number' });
    await postSpans(server!.url, 'failing-app', [span]);
    const runs = await waitFor('a failure run', async () => {
      const found = (
        await ok<{ data: EvaluationRuleRun[] }>('GET', `/api/v1/evaluation-rules/${rule.data.id}/runs`)
      ).data;
      return found.length > 0 ? found : undefined;
    });
    expect(runs[0]).toMatchObject({ kind: 'failure', spanId: span.spanId, evaluatorId: regex.data.id });
    expect(runs[0]!.reason).toMatch(/^Evaluator 'numeric' failed: /);
    // A rule made now has not seen the earlier spans; a backfill applies it to them.
    const late = await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'late',
      filter: { kind: 'llm', service: 'chat-app' },
      evaluators: [containsId],
    });
    const backfill = await api(server!.url, 'POST', `/api/v1/evaluation-rules/${late.data.id}/backfill`, {
      from: new Date(Date.now() - 3600_000).toISOString(),
    });
    expect(backfill.status).toBe(202);
    const backfilled = await waitFor('backfilled scores', async () => {
      const found = await scoresOf(`ruleId=${late.data.id}`);
      return found.length >= 2 ? found : undefined;
    });
    expect(backfilled.map((s) => s.value).sort()).toEqual([0, 1]);
    const dry = await ok<{ data: RuleDryRun }>('POST', '/api/v1/evaluation-rules/validate', {
      filter: { kind: 'llm', service: 'chat-app' },
      evaluators: [containsId],
      limit: 5,
    });
    expect(dry.data.matched).toBe(2);
    expect(dry.data.results.map((r) => r.score).sort()).toEqual([0, 1]);
  });

  it('scores a whole trace once with target trace, and skips over maxPerMinute with a recorded reason', async () => {
    const traceRule = await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'whole trace',
      filter: { kind: 'llm', service: 'trace-app' },
      target: 'trace',
      evaluators: [containsId],
    });
    // A root chain span with the final answer, and an LLM call under it (the span the filter matches).
    const traceId = randomHex(16);
    const rootId = randomHex(8);
    const startNs = BigInt(Date.now() - 200) * 1_000_000n;
    const root = {
      traceId,
      spanId: rootId,
      name: 'answer question',
      kind: 1,
      startTimeUnixNano: startNs.toString(),
      endTimeUnixNano: (startNs + 150_000_000n).toString(),
      attributes: [attr('openinference.span.kind', 'CHAIN'), attr('output.value', 'It is Paris.')],
      status: { code: 1 },
    };
    const child = { ...chat({ answer: 'Paris', traceId }), parentSpanId: rootId };
    await postSpans(server!.url, 'trace-app', [root, child]);
    const traceScores = await waitFor('a trace score', async () => {
      const found = await scoresOf(`ruleId=${traceRule.data.id}`);
      return found.length > 0 ? found : undefined;
    });
    expect(traceScores).toEqual([
      expect.objectContaining({ traceId, spanId: '', value: 1, source: 'online' }),
    ]);
    const limited = await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'limited',
      filter: { kind: 'llm', service: 'busy-app' },
      maxPerMinute: 2,
      evaluators: [containsId],
    });
    await postSpans(
      server!.url,
      'busy-app',
      Array.from({ length: 5 }, () => chat({ answer: 'Paris' })),
    );
    const runs = await waitFor('a skip record', async () => {
      const found = (
        await ok<{ data: EvaluationRuleRun[] }>(
          'GET',
          `/api/v1/evaluation-rules/${limited.data.id}/runs?kind=skipped`,
        )
      ).data;
      return found.length > 0 ? found : undefined;
    });
    expect(runs[0]!.reason).toBe('3 skipped: over maxPerMinute 2');
    expect(await scoresOf(`ruleId=${limited.data.id}`)).toHaveLength(2);
    const status = (await ok<{ data: EvaluationRule }>('GET', `/api/v1/evaluation-rules/${limited.data.id}`))
      .data.status;
    expect(status?.today).toMatchObject({ evaluated: 2, skipped: 3 });
    for (const id of [traceRule.data.id, limited.data.id])
      await ok('DELETE', `/api/v1/evaluation-rules/${id}`);
  });

  it('routes low-scoring spans into an annotation queue and a dataset (actions with a condition)', async () => {
    const config = await ok<{ data: { id: string } }>('POST', '/api/v1/score-configs', {
      name: 'ok',
      dataType: 'boolean',
    });
    const queue = await ok<{ data: { id: string } }>('POST', '/api/v1/annotation-queues', {
      name: 'low scores',
      scoreConfigIds: [config.data.id],
    });
    const dataset = await ok<{ data: { id: string } }>('POST', '/api/v1/datasets', { name: 'hard cases' });
    const rule = await ok<{ data: EvaluationRule }>('POST', '/api/v1/evaluation-rules', {
      name: 'route',
      filter: { kind: 'llm', service: 'routed-app' },
      evaluators: [containsId],
      actions: { addToQueueId: queue.data.id, addToDatasetId: dataset.data.id, when: { scoreBelow: 0.5 } },
    });
    const low = chat({ answer: 'Somewhere in Europe.' });
    const high = chat({ answer: 'Paris.' });
    await postSpans(server!.url, 'routed-app', [low, high]);
    const items = await waitFor('a queued span', async () => {
      const found = (
        await ok<{ data: { objectId: string; objectType: string }[] }>(
          'GET',
          `/api/v1/annotation-queues/${queue.data.id}/items`,
        )
      ).data;
      return found.length > 0 ? found : undefined;
    });
    expect(items).toEqual([expect.objectContaining({ objectType: 'span', objectId: low.spanId })]);
    const datasetItems = (
      await ok<{ data: { id: string }[] }>('GET', `/api/v1/datasets/${dataset.data.id}/items`)
    ).data;
    expect(datasetItems.map((i) => i.id)).toEqual([low.spanId]);
    const unknownQueue = await api<{ error: { code: string } }>(
      server!.url,
      'PATCH',
      `/api/v1/evaluation-rules/${rule.data.id}`,
      {
        actions: { addToQueueId: 'no-such-queue' },
      },
    );
    expect(unknownQueue.status).toBe(404);
    await ok('DELETE', `/api/v1/evaluation-rules/${rule.data.id}`);
  });

  it('answers clear errors for a bad filter, an unknown evaluator and a bad backfill window', async () => {
    const badFilter = await api<{ error: { code: string; message: string } }>(
      server!.url,
      'POST',
      '/api/v1/evaluation-rules',
      {
        name: 'x',
        filter: { kind: 'llama' },
        evaluators: [containsId],
      },
    );
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.message).toMatch(/^Invalid rule field 'filter': Invalid parameter 'kind'/);
    const missing = await api<{ error: { code: string } }>(server!.url, 'POST', '/api/v1/evaluation-rules', {
      name: 'y',
      evaluators: ['nope'],
    });
    expect(missing.status).toBe(404);
    const rate = await api<{ error: { message: string } }>(server!.url, 'POST', '/api/v1/evaluation-rules', {
      name: 'z',
      samplingRate: 2,
      evaluators: [containsId],
    });
    expect(rate.status).toBe(400);
    expect(rate.body.error.message).toContain('samplingRate');
  });
});

describe('output health', () => {
  it('flags truncated, empty, refusing, looping and other-language answers with no configuration', async () => {
    const cases = {
      truncated: chat({ answer: 'The history of Paris begins with', finish: 'length' }),
      empty: chat({ answer: '' }),
      refusal: chat({ answer: "I'm sorry, but I can't help with that request." }),
      repetition: chat({ answer: `Paris is nice. ${'and then it goes on and on '.repeat(12)}` }),
      language_mismatch: chat({
        question: 'What is the best way to learn how to cook pasta at home?',
        answer:
          'La meilleure façon est de faire bouillir de l’eau salée et de cuire les pâtes pendant dix minutes, puis de les égoutter.',
      }),
    };
    // JSON asked for (the attribute comes through the worker's narrowed attribute read), prose given.
    const notJson = chat({ answer: 'Maria is 34.', extra: [attr('gen_ai.output.type', 'json')] });
    const healthy = chat({ answer: 'The capital of France is Paris, on the Seine.' });
    await postSpans(server!.url, 'health-app', [...Object.values(cases), notJson, healthy]);
    const flagged = await waitFor('five output-health scores', async () => {
      const found = await scoresOf('name=output_health');
      const spanIds = new Set(Object.values(cases).map((s) => s.spanId));
      const mine = found.filter((s) => spanIds.has(s.spanId));
      return mine.length >= 5 && found.some((x) => x.spanId === notJson.spanId) ? found : undefined;
    });
    for (const [flag, span] of Object.entries(cases)) {
      const score = flagged.find((s) => s.spanId === span.spanId);
      expect(score?.metadata.flags?.split(','), flag).toContain(flag);
    }
    expect(flagged.some((s) => s.spanId === healthy.spanId)).toBe(false);
    const metrics = await (await fetch(`${server!.url}/metrics`)).text();
    expect(metrics).toMatch(
      /argus_output_health_flags_total\{argus_project="default",flag="refusal"\} [1-9]/,
    );
    expect(metrics).toMatch(/argus_output_health_checked_total\{argus_project="default"\} [1-9]/);
    // The explorer filter: spans flagged with a given flag.
    const refusals = await ok<{ data: { spanId: string }[] }>(
      'GET',
      '/api/v1/spans?service=health-app&outputFlag=refusal',
    );
    expect(refusals.data.map((x) => x.spanId)).toEqual([cases.refusal.spanId]);
    const badFlag = await api<{ error: { message: string } }>(
      server!.url,
      'GET',
      '/api/v1/spans?outputFlag=rude',
    );
    expect(badFlag.status).toBe(400);
    expect(badFlag.body.error.message).toContain("Invalid parameter 'outputFlag'");
    expect(flagged.find((x) => x.spanId === notJson.spanId)?.metadata.flags).toBe('invalid_json');
  });

  it('checks spans stored up to 2 h after they started, not an import of older ones', async () => {
    const refusal = "I'm sorry, but I can't help with that request.";
    const late = chat({ answer: refusal, ageMs: 3600_000 });
    const old = chat({ answer: refusal, ageMs: 3 * 3600_000 });
    // The old one first: the worker reads in insert order, so once the late one is checked the old one was passed.
    await postSpans(server!.url, 'health-import', [old]);
    await postSpans(server!.url, 'health-import', [late]);
    await waitFor('the late span checked', async () =>
      (await scoresOf('name=output_health')).some((s) => s.spanId === late.spanId) ? true : undefined,
    );
    expect((await scoresOf('name=output_health')).some((s) => s.spanId === old.spanId)).toBe(false);
    // The output error rate by model: 6 flagged of 7 checked.
    const series = await ok<{ series: { group: { model?: string } }[]; totals: Record<string, number> }>(
      'GET',
      '/api/v1/metrics/series?service=health-app&metrics=requests,outputErrors,outputErrorRate&groupBy=model',
    );
    expect(series.totals).toMatchObject({ requests: 7, outputErrors: 6 });
    expect(series.totals.outputErrorRate).toBeCloseTo(6 / 7, 6);
    expect(series.series.map((x) => x.group.model)).toEqual(['gpt-4o-mini']);
    // Rules over the same data fire: the mean of one rule's online scores, and the output error rate.
    const score = await firingAlert(
      'online score low',
      { kind: 'score', name: 'mentions-paris', source: 'online', ruleId: firstRuleId, aggregation: 'avg' },
      '<',
      0.8,
    );
    expect(score.value).toBeCloseTo(0.5, 6);
    const errors = await firingAlert(
      'output errors',
      { kind: 'series', metric: 'outputErrorRate', filters: { service: 'health-app' } },
      '>',
      0.5,
    );
    expect(errors.value).toBeCloseTo(6 / 7, 6);
    const off = await ok<{ data: { enabled: boolean } }>('PUT', '/api/v1/output-health/settings', {
      enabled: false,
    });
    expect(off.data.enabled).toBe(false);
  });
});
