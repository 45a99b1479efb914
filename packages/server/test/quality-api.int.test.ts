/**
 * Offline evaluation through the real HTTP door (auth off on loopback, as a new user starts):
 * connections to the project's mock LLM, datasets with versions, imports and spans copied in,
 * and evaluators — a judge's dry run leaves a trace of kind `evaluator` with its llm call.
 */
import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Dataset, DatasetItem, Evaluator, LlmConnection } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, keyCaller } from './support/auth.ts';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let mock: MockLlm;
let api: Caller;
beforeAll(async () => {
  mock = await startMockLlm();
  argus = await startTestServer({ rateLimitApi: 0 });
  api = keyCaller(argus.url, 'unused');
});
afterAll(async () => {
  await argus?.stop();
  await mock?.close();
});

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

async function createConnection(body: Record<string, unknown>): Promise<LlmConnection> {
  return (await api.json<{ data: LlmConnection }>('POST', '/api/v1/llm-connections', body)).data;
}

/** A connection to the mock LLM named `name`, with `extra` fields (key, headers, models …). */
function mockConnection(name: string, extra: Record<string, unknown> = {}): Promise<LlmConnection> {
  return createConnection({ name, provider: 'openai-compatible', baseUrl: `${mock.url}/v1`, ...extra });
}

describe('LLM connections', () => {
  it('stores the key sealed, never returns it, and tests the connection with one call', async () => {
    const connection = await mockConnection('mock', {
      apiKey: 'sk-test-very-secret-key',
      headers: { 'x-team': 'evals' },
      models: ['mock-*', 'gpt-4o-mini'],
      embeddingModel: 'text-embedding-3-small',
    });
    expect(connection).toMatchObject({
      hasApiKey: true,
      headerNames: ['x-team'],
      models: ['mock-*', 'gpt-4o-mini'],
    });
    const listed = await api.json<{ data: LlmConnection[] }>('GET', '/api/v1/llm-connections');
    expect(JSON.stringify(listed)).not.toContain('very-secret');
    const test = await api.json<{ data: { ok: boolean; call: string; latencyMs: number } }>(
      'POST',
      `/api/v1/llm-connections/${connection.id}/test`,
      {},
    );
    expect(test.data).toMatchObject({ ok: true, call: 'chat gpt-4o-mini' });
    expect(test.data.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('reports the provider error of a failing connection without its secrets', async () => {
    const failing = await mockConnection('failing', {
      apiKey: 'sk-another-secret',
      headers: { 'x-mock-fail': '401' },
      models: ['gpt-4o-mini'],
    });
    const response = await api.call('POST', `/api/v1/llm-connections/${failing.id}/test`, {});
    expect(response.status).toBe(502);
    const body = (await response.json()) as {
      data: { ok: boolean; error: { status: number; message: string } };
    };
    expect(body.data.ok).toBe(false);
    expect(body.data.error.status).toBe(401);
    expect(body.data.error.message).toContain('Incorrect API key provided');
    expect(JSON.stringify(body)).not.toContain('sk-another-secret');
  });

  it.each([
    // Why: an openai-compatible server has no default endpoint.
    [{ name: 'x', provider: 'openai-compatible' }, "'baseUrl'"],
    // Why: an unknown provider must be named in the error.
    [{ name: 'x', provider: 'cohere', baseUrl: 'http://127.0.0.1:1' }, "'provider'"],
    // Why: headers that would break the request framing are refused.
    [{ name: 'x', provider: 'openai', headers: { Host: 'evil' } }, "'headers'"],
    // Why: a line break in a header value would split the request (header injection).
    [{ name: 'x', provider: 'openai', headers: { 'x-a': 'v\r\nx-b: injected' } }, "'headers.x-a'"],
  ])('refuses %j naming the field', async (body, field) => {
    const response = await api.call('POST', '/api/v1/llm-connections', body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain(field);
  });

  it('keeps the stored key on a change without one and refuses a duplicate name', async () => {
    const c = await createConnection({ name: 'patchable', provider: 'openai', apiKey: 'sk-keep-me' });
    const patched = await api.json<{ data: LlmConnection }>('PATCH', `/api/v1/llm-connections/${c.id}`, {
      models: ['gpt-4.1'],
    });
    expect(patched.data).toMatchObject({ hasApiKey: true, models: ['gpt-4.1'] });
    const opened = await argus.server.quality.openConnection('default', c.id);
    expect(opened.apiKey).toBe('sk-keep-me');
    const duplicate = await api.call('POST', '/api/v1/llm-connections', {
      name: 'patchable',
      provider: 'openai',
    });
    expect(duplicate.status).toBe(409);
    expect((await api.call('DELETE', `/api/v1/llm-connections/${c.id}`)).status).toBe(204);
    expect((await api.call('GET', `/api/v1/llm-connections/${c.id}`)).status).toBe(404);
  });
});

async function createDataset(name: string): Promise<Dataset> {
  return (await api.json<{ data: Dataset }>('POST', '/api/v1/datasets', { name, description: 'test' })).data;
}
type ItemsPage = { data: DatasetItem[]; version: string; nextCursor: string | null };

describe('datasets', () => {
  it('upserts items by id as versions and reads any version back', async () => {
    const dataset = await createDataset('arithmetic');
    const first = await api.json<{ data: { created: number; version: string } }>(
      'POST',
      `/api/v1/datasets/${dataset.id}/items`,
      {
        items: [
          { id: 'q1', input: 'What is 12+7?', expectedOutput: '19' },
          { id: 'q2', input: 'What is 3+4?', expectedOutput: '8' },
        ],
      },
    );
    expect(first.data.created).toBe(2);
    const second = await api.json<{
      data: { created: number; updated: number; unchanged: number; version: string };
    }>('POST', `/api/v1/datasets/${dataset.id}/items`, {
      items: [
        { id: 'q1', input: 'What is 12+7?', expectedOutput: '19' },
        { id: 'q2', input: 'What is 3+4?', expectedOutput: '7' },
        { id: 'q3', input: 'What is 2*5?', expectedOutput: '10' },
      ],
    });
    expect(second.data).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    expect(second.data.version > first.data.version).toBe(true);
    const before = await api.json<ItemsPage>(
      'GET',
      `/api/v1/datasets/${dataset.id}/items?version=${encodeURIComponent(first.data.version)}`,
    );
    expect(before.data.map((i) => [i.id, i.expectedOutput])).toEqual([
      ['q1', '19'],
      ['q2', '8'],
    ]);
    const now = await api.json<ItemsPage>('GET', `/api/v1/datasets/${dataset.id}/items`);
    expect(now.data.map((i) => [i.id, i.expectedOutput])).toEqual([
      ['q1', '19'],
      ['q2', '7'],
      ['q3', '10'],
    ]);
    // An unchanged upsert makes no version.
    const same = await api.json<{ data: { unchanged: number; version: string } }>(
      'POST',
      `/api/v1/datasets/${dataset.id}/items`,
      {
        items: [{ id: 'q3', input: 'What is 2*5?', expectedOutput: '10' }],
      },
    );
    expect(same.data).toMatchObject({ unchanged: 1, version: second.data.version });
    // A removed item leaves the current version and stays in the earlier one.
    expect((await api.call('DELETE', `/api/v1/datasets/${dataset.id}/items/q1`)).status).toBe(200);
    const after = await api.json<ItemsPage>('GET', `/api/v1/datasets/${dataset.id}/items`);
    expect(after.data.map((i) => i.id)).toEqual(['q2', 'q3']);
    const pinned = await api.json<ItemsPage>(
      'GET',
      `/api/v1/datasets/${dataset.id}/items?version=${encodeURIComponent(second.data.version)}`,
    );
    expect(pinned.data.map((i) => i.id)).toEqual(['q1', 'q2', 'q3']);
    const versions = await api.json<{ data: { version: string; written: number; removed: number }[] }>(
      'GET',
      `/api/v1/datasets/${dataset.id}/versions`,
    );
    expect(versions.data.map((v) => [v.written, v.removed])).toEqual([
      [0, 1],
      [2, 0],
      [2, 0],
    ]);
    expect(versions.data[2]?.version).toBe(first.data.version);
    // Items and versions pages refuse one limit the same way.
    for (const path of ['items', 'versions']) {
      const response = await api.call('GET', `/api/v1/datasets/${dataset.id}/${path}?limit=0`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({
        code: 'INVALID_PARAMETER',
        message: "Invalid parameter 'limit': '0' is not an integer from 1 to 1000",
      });
    }
  });

  it('takes 10,000 items in one call and pages them with cursors that keep the version', async () => {
    const dataset = await createDataset('large');
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      id: `item-${String(i).padStart(5, '0')}`,
      input: { question: `What is ${i}+1?`, context: 'x'.repeat(200) },
      expectedOutput: String(i + 1),
      metadata: { n: i },
    }));
    const started = performance.now();
    const written = await api.json<{ data: { created: number } }>(
      'POST',
      `/api/v1/datasets/${dataset.id}/items`,
      { items },
    );
    const seconds = (performance.now() - started) / 1000;
    expect(written.data.created).toBe(10_000);
    console.info(`quality: 10,000 items upserted in one call in ${seconds.toFixed(2)} s`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let version: string | undefined;
    do {
      const page: ItemsPage = await api.json<ItemsPage>(
        'GET',
        `/api/v1/datasets/${dataset.id}/items?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      );
      version ??= page.version;
      expect(page.version).toBe(version);
      seen.push(...page.data.map((i) => i.id));
      // A write between pages does not show in later pages of the same read.
      if (seen.length === 1000)
        await api.json('POST', `/api/v1/datasets/${dataset.id}/items`, {
          items: [{ id: 'zzz-late', input: 'late' }],
        });
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(10_000);
    const info = await api.json<{ data: Dataset }>('GET', `/api/v1/datasets/${dataset.id}`);
    expect(info.data.itemCount).toBe(10_001);
  });

  it('imports CSV with a column mapping, lists rows it refused, and exports what it holds', async () => {
    const dataset = await createDataset('imported');
    const csv = 'q,a,topic\r\n"What is 1+1?",2,math\r\n"Say ""hi""",hi,chat\r\n,3,empty\r\n"broken",4\r\n';
    const response = await api.call(
      'POST',
      `/api/v1/datasets/${dataset.id}/items/import?input=q&expected=a&metadata=topic`,
      csv,
      {
        'content-type': 'text/csv',
      },
    );
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      data: { created: number; refused: number; errors: { row: number; message: string }[] };
    };
    expect(result.data.created).toBe(2);
    expect(result.data.refused).toBe(2);
    expect(result.data.errors).toEqual([
      { row: 4, message: "'q' is missing or empty" },
      { row: 5, message: '2 fields where the header has 3' },
    ]);
    const jsonl = await api.call(
      'POST',
      `/api/v1/datasets/${dataset.id}/items/import`,
      '{"id":"j1","input":{"q":"x"},"expected_output":"y"}\nnot json\n',
      {
        'content-type': 'application/x-ndjson',
      },
    );
    const jsonlResult = (await jsonl.json()) as { data: { created: number; errors: { row: number }[] } };
    expect(jsonlResult.data.created).toBe(1);
    expect(jsonlResult.data.errors.map((e) => e.row)).toEqual([2]);
    const exported = await api.call('GET', `/api/v1/datasets/${dataset.id}/items/export?format=jsonl`);
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.id === 'j1')).toMatchObject({ input: { q: 'x' }, expectedOutput: 'y' });
    expect(lines.find((l) => l.input === 'Say "hi"')).toMatchObject({
      expectedOutput: 'hi',
      metadata: { topic: 'chat' },
    });
    const csvOut = await (
      await api.call('GET', `/api/v1/datasets/${dataset.id}/items/export?format=csv`)
    ).text();
    expect(csvOut.split('\r\n')[0]).toBe('id,input,expected_output,metadata,source_trace_id,source_span_id');
    expect(csvOut).toContain('"Say ""hi"""');
  });

  it('copies spans into items by id and by the /spans filters', async () => {
    const dataset = await createDataset('from-traffic');
    const traceId = randomHex(16);
    const spanIds = [randomHex(8), randomHex(8)];
    const ingest = await fetch(`${argus.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: tracesRequestJson(
        spanIds.map((id) => chatSpanJson(traceId, id, { model: 'gpt-4o-mini', contentChars: 200 })),
        'shop',
      ),
    });
    expect(ingest.status).toBe(200);
    const missing = randomHex(8);
    const byId = await api.json<{ data: { created: number; spans: number; missing?: string[] } }>(
      'POST',
      `/api/v1/datasets/${dataset.id}/items/from-spans`,
      { spanIds: [spanIds[0], missing] },
    );
    expect(byId.data).toMatchObject({ created: 1, spans: 1, missing: [missing] });
    const byFilter = await api.json<{ data: { created: number; unchanged: number; spans: number } }>(
      'POST',
      `/api/v1/datasets/${dataset.id}/items/from-spans`,
      { filter: { service: 'shop', model: ['gpt-4o-mini'] } },
    );
    expect(byFilter.data).toMatchObject({ spans: 2, created: 1, unchanged: 1 });
    const items = await api.json<ItemsPage>('GET', `/api/v1/datasets/${dataset.id}/items`);
    const item = items.data.find((i) => i.id === spanIds[0])!;
    expect(item).toMatchObject({ sourceTraceId: traceId, sourceSpanId: spanIds[0] });
    expect(Array.isArray(item.input)).toBe(true);
    const badFilter = await api.call('POST', `/api/v1/datasets/${dataset.id}/items/from-spans`, {
      filter: { colour: 'red' },
    });
    expect(badFilter.status).toBe(400);
    expect((await errorOf(badFilter)).message).toContain("'colour'");
  });
});

describe('evaluators', () => {
  async function createEvaluator(body: Record<string, unknown>): Promise<Evaluator> {
    return (await api.json<{ data: Evaluator }>('POST', '/api/v1/evaluators', body)).data;
  }
  const dryRun = (id: string, sample: Record<string, unknown>) =>
    api.json<{ data: { score: number; label?: string; explanation?: string; traceId?: string } }>(
      'POST',
      `/api/v1/evaluators/${id}/test`,
      sample,
    );

  it.each([
    // Why: each code evaluator, with a sample that passes and one that fails.
    ['exact_match', { ignorePunctuation: true }, { output: ' 19. ', expected: '19' }, 1],
    ['exact_match', {}, { output: '20', expected: '19' }, 0],
    ['contains', { value: 'refund' }, { output: 'We issued a refund.' }, 1],
    ['regex', { pattern: '^\\d{1,5}$' }, { output: '19' }, 1],
    ['json_valid', {}, { output: '{"a": 1' }, 0],
    [
      'json_schema',
      { schema: { type: 'object', required: ['a'], properties: { a: { type: 'number' } } } },
      { output: '{"a": "x"}' },
      0,
    ],
    ['numeric', { tolerance: 0.5 }, { output: 'about 19.4', expected: '19' }, 1],
  ])('%s %j scores %j as %d', async (type, config, sample, score) => {
    const evaluator = await createEvaluator({ name: `${type}-${randomHex(3)}`, type, config });
    expect((await dryRun(evaluator.id, sample)).data.score).toBe(score);
  });

  it('gives levenshtein similarity between 0 and 1', async () => {
    const evaluator = await createEvaluator({ name: 'lev', type: 'levenshtein', config: {} });
    expect((await dryRun(evaluator.id, { output: 'kitten', expected: 'sitting' })).data.score).toBeCloseTo(
      1 - 3 / 7,
      6,
    );
  });

  it('refuses a catastrophic regex and a config of the wrong shape, naming the field', async () => {
    const slow = await api.call('POST', '/api/v1/evaluators', {
      name: 'slow',
      type: 'regex',
      config: { pattern: '^(a+)+$' },
    });
    expect(slow.status).toBe(400);
    expect((await errorOf(slow)).message).toMatch(/'config.pattern'.*backtracks catastrophically/);
    const shape = await api.call('POST', '/api/v1/evaluators', {
      name: 'bad',
      type: 'numeric',
      config: { tolerance: -1 },
    });
    expect(shape.status).toBe(400);
    expect((await errorOf(shape)).message).toContain("'config.tolerance'");
  });

  it('runs an llm_judge through the mock and traces the judge call in the project', async () => {
    const connection = await mockConnection('judge');
    const judge = await createEvaluator({
      name: 'correctness',
      type: 'llm_judge',
      config: { connectionId: connection.id, model: 'mock-judge', template: 'correctness' },
    });
    const right = await dryRun(judge.id, { input: 'What is 12+7?', output: 'It is 19.', expected: '19' });
    expect(right.data).toMatchObject({ score: 1, label: 'correct' });
    const wrong = await dryRun(judge.id, { input: 'What is 12+7?', output: 'It is 20.', expected: '19' });
    expect(wrong.data).toMatchObject({ score: 0, label: 'incorrect' });
    expect(right.data.traceId).toMatch(/^[0-9a-f]{32}$/);
    const trace = await waitForTrace(right.data.traceId!);
    const root = trace.spans.find((s) => s.kind === 'evaluator')!;
    const call = trace.spans.find((s) => s.kind === 'llm')!;
    expect(root.name).toBe('evaluator correctness');
    expect(call).toMatchObject({ parentSpanId: root.spanId, requestModel: 'mock-judge' });
    expect(call.inputTokens).toBeGreaterThan(0);
    expect(JSON.stringify(call.input)).toContain('It is 19.');
  });

  it('asks a judge again when its answer cannot be read, and says so when it never can', async () => {
    const connection = await mockConnection('judge-2');
    const flaky = await createEvaluator({
      name: 'flaky',
      type: 'llm_judge',
      config: { connectionId: connection.id, model: 'mock-judge-flaky', template: 'helpfulness' },
    });
    const result = await dryRun(flaky.id, { input: 'hi', output: 'hello' });
    expect(result.data).toMatchObject({ score: 1, label: '5' });
    const trace = await waitForTrace(result.data.traceId!);
    expect(trace.spans.filter((s) => s.kind === 'llm')).toHaveLength(2);
    const garbage = await createEvaluator({
      name: 'garbage',
      type: 'llm_judge',
      config: {
        connectionId: connection.id,
        model: 'mock-judge-garbage',
        template: 'relevance',
        maxAttempts: 2,
      },
    });
    const failed = await api.call('POST', `/api/v1/evaluators/${garbage.id}/test`, {
      input: 'hi',
      output: 'hello',
    });
    expect(failed.status).toBe(502);
    expect((await errorOf(failed)).message).toContain('after 2 attempts');
  });

  it('answers the judge as a tool call and scores embedding similarity through the connection', async () => {
    const connection = await mockConnection('embed', {
      embeddingModel: 'text-embedding-3-small',
    });
    const tool = await createEvaluator({
      name: 'tool-judge',
      type: 'llm_judge',
      config: { connectionId: connection.id, model: 'mock-judge', template: 'toxicity', answerWith: 'tool' },
    });
    expect((await dryRun(tool.id, { output: 'you are an idiot' })).data).toMatchObject({
      score: 0,
      label: 'toxic',
    });
    const embed = await createEvaluator({
      name: 'embed',
      type: 'embedding_similarity',
      config: { connectionId: connection.id },
    });
    expect((await dryRun(embed.id, { output: 'same text', expected: 'same text' })).data.score).toBeCloseTo(
      1,
      5,
    );
    const different = await dryRun(embed.id, { output: 'one text', expected: 'another text' });
    expect(different.data.score).toBeLessThan(0.5);
    expect(different.data.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a judge model its connection does not serve, and takes one its globs match', async () => {
    const connection = await mockConnection('globbed', {
      models: ['mock-judge*'],
    });
    const config = { connectionId: connection.id, template: 'relevance' };
    const refused = await api.call('POST', '/api/v1/evaluators', {
      name: 'wrong-model',
      type: 'llm_judge',
      config: { ...config, model: 'gpt-4o' },
    });
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toContain(
      "'config.model': connection 'globbed' does not serve 'gpt-4o'",
    );
    expect(
      (
        await createEvaluator({
          name: 'right-model',
          type: 'llm_judge',
          config: { ...config, model: 'mock-judge-flaky' },
        })
      ).type,
    ).toBe('llm_judge');
  });

  it("prices the judge's call like any other call (its cost is on the trace)", async () => {
    const put = await api.call('PUT', '/api/v1/pricing/overrides', {
      data: [{ model: 'mock-judge', inputPerMTok: 1000, outputPerMTok: 2000 }],
    });
    expect(put.status).toBe(200);
    const connection = await mockConnection('priced');
    const judge = await createEvaluator({
      name: 'priced-judge',
      type: 'llm_judge',
      config: { connectionId: connection.id, model: 'mock-judge', template: 'correctness' },
    });
    const result = await dryRun(judge.id, { input: 'What is 2+2?', output: '4', expected: '4' });
    const trace = await waitForTrace(result.data.traceId!);
    const call = trace.spans.find((s) => s.kind === 'llm')!;
    expect(call.costSource).toBe('computed');
    expect(call.costUsd).toBeCloseTo((call.inputTokens * 1000 + call.outputTokens * 2000) / 1e6, 9);
  });

  it('lists the built-in templates', async () => {
    const templates = await api.json<{ data: { name: string }[] }>('GET', '/api/v1/evaluators/templates');
    expect(templates.data.map((t) => t.name)).toEqual([
      'correctness',
      'faithfulness',
      'relevance',
      'toxicity',
      'helpfulness',
    ]);
  });
});

type TraceSpan = {
  kind: string;
  name: string;
  spanId: string;
  parentSpanId: string;
  requestModel: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costSource: string;
  input: unknown;
};
async function waitForTrace(traceId: string): Promise<{ spans: TraceSpan[] }> {
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${argus.url}/api/v1/traces/${traceId}`);
    if (response.ok) return (await response.json()) as { spans: TraceSpan[] };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} never appeared`);
}
