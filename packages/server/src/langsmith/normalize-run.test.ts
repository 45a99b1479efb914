import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isArgusError } from '../errors.ts';
import { DEFAULT_NORMALIZE_LIMITS, type NormalizeContext } from '../normalize/types.ts';
import { kindOfRunType, normalizeRun } from './normalize-run.ts';
import { checkRun, type LangsmithRun, lineageOf, spanIdOf } from './run.ts';
import { runStatus, runTimeNs } from './run-fields.ts';

const ctx: NormalizeContext = { projectId: 'default', limits: DEFAULT_NORMALIZE_LIMITS };
const ROOT = '01a1fcb2-ef4e-7000-8000-013879bf5cb1';
const CHILD = '01a1fcb2-ef4e-7000-8000-019d71c14a63';
const T0 = '20261121T060227534001Z';
const T1 = '20261121T060227537002Z';

/** A child llm run as the JS SDK's wrapOpenAI sends it (captured, shortened). */
const llmRun = (over: Partial<LangsmithRun> = {}): LangsmithRun => ({
  id: CHILD,
  name: 'ChatOpenAI',
  run_type: 'llm',
  start_time: '2026-11-21T06:02:27.537002Z',
  end_time: 1795240947648,
  session_name: 'support-bot',
  trace_id: ROOT,
  parent_run_id: ROOT,
  dotted_order: `${T0}${ROOT}.${T1}${CHILD}`,
  inputs: {
    model: 'gpt-4o-mini',
    temperature: 0.2,
    top_p: 0.9,
    messages: [
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'hello world' },
    ],
  },
  outputs: {
    id: 'chatcmpl-1',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop' }],
    usage_metadata: {
      input_tokens: 14,
      output_tokens: 3,
      total_tokens: 17,
      input_token_details: { cache_read: 4 },
      output_token_details: { reasoning: 1 },
    },
  },
  extra: {
    metadata: {
      ls_provider: 'openai',
      ls_model_name: 'gpt-4o-mini',
      ls_temperature: 0.2,
      ls_max_tokens: 64,
      ls_stop: ['END'],
      session_id: 'sess-1',
      user_id: 'u-1',
    },
    runtime: { sdk: 'langsmith-js', sdk_version: '0.10.5' },
  },
  tags: ['prod', 'prod', 'beta'],
  ...over,
});

describe('ids and lineage', () => {
  it.each([
    // The two 64-bit halves XOR-ed: runs that start in the same millisecond differ in the low half.
    { uuid: ROOT, spanId: (0x01a1fcb2ef4e7000n ^ 0x8000013879bf5cb1n).toString(16).padStart(16, '0') },
    { uuid: CHILD, spanId: (0x01a1fcb2ef4e7000n ^ 0x8000019d71c14a63n).toString(16).padStart(16, '0') },
  ])('span id of $uuid', ({ uuid, spanId }) => {
    expect(spanIdOf(uuid)).toBe(spanId);
  });

  it.each([
    {
      why: 'explicit trace and parent',
      run: { id: CHILD, trace_id: ROOT, parent_run_id: ROOT },
      parent: ROOT,
    },
    // Batch ingestion may carry only the dotted order: it alone rebuilds the tree.
    {
      why: 'dotted_order only',
      run: { id: CHILD, dotted_order: `${T0}${ROOT}.${T1}${CHILD}` },
      parent: ROOT,
    },
    { why: 'a root run', run: { id: ROOT }, parent: undefined },
  ])('$why', ({ run, parent }) => {
    const lineage = lineageOf(checkRun(run, 'post'));
    expect(lineage.traceId).toBe(ROOT.replaceAll('-', ''));
    expect(lineage.parentSpanId).toBe(parent === undefined ? '' : spanIdOf(parent));
  });

  it.each([
    { why: 'missing id', run: { name: 'x' }, message: "'id' is missing" },
    { why: 'non-UUID id', run: { id: 'run-1' }, message: "'id' is 'run-1', expected a UUID" },
    { why: 'non-UUID trace_id', run: { id: ROOT, trace_id: 42 }, message: "'trace_id' is '42'" },
    {
      why: 'garbled dotted_order',
      run: { id: ROOT, dotted_order: 'yesterday' },
      message: "segment 1 is 'yesterday'",
    },
    // The last segment must be the run itself, the first the trace root.
    {
      why: 'dotted_order of another run',
      run: { id: CHILD, dotted_order: `${T0}${ROOT}` },
      message: "expected the run's own id",
    },
    { why: 'not an object', run: 'run', message: 'expected a JSON object' },
  ])('rejects $why with INVALID_RUN', ({ run, message }) => {
    let error: unknown;
    try {
      checkRun(run, 'post');
    } catch (e) {
      error = e;
    }
    expect(isArgusError(error) && error.code).toBe('INVALID_RUN');
    expect((error as Error).message).toContain(message);
  });

  it('rejects a child run without any trace reference', () => {
    expect(() => lineageOf(checkRun({ id: CHILD, parent_run_id: ROOT }, 'post'))).toThrow(/trace_id/);
  });
});

describe('times, kinds and status', () => {
  it.each([
    { value: '2026-11-21T06:02:27.534001Z', ns: 1795240947534001000n },
    // Python sends aware ISO strings; naive ones are UTC.
    { value: '2026-11-21T06:02:27.534001+00:00', ns: 1795240947534001000n },
    { value: '2026-11-21T06:02:27.534001', ns: 1795240947534001000n },
    { value: 1795240947534, ns: 1795240947534000000n }, // JS epoch milliseconds
    { value: 1795240947.5, ns: 1795240947500000000n }, // epoch seconds
    { value: 1795240947534001, ns: 1795240947534001000n }, // epoch microseconds
    { value: 'soon', ns: undefined },
  ])('time $value', ({ value, ns }) => {
    expect(runTimeNs(value)).toBe(ns);
  });

  it.each([
    ['llm', 'llm'],
    ['chain', 'chain'],
    ['tool', 'tool'],
    ['retriever', 'retriever'],
    ['embedding', 'embedding'],
    ['prompt', 'chain'],
    ['parser', 'chain'],
    ['LLM', 'llm'],
    ['mystery', 'other'],
  ])('run_type %s → %s', (runType, kind) => {
    expect(kindOfRunType(runType)).toBe(kind);
  });

  it.each([
    { error: "RateLimitError('Error code: 429')\n\nTraceback …", type: 'RateLimitError' },
    { error: 'Error: 500 The server had an error', type: 'Error' },
    { error: 'something broke', type: '' },
  ])('error $type', ({ error, type }) => {
    expect(runStatus(error)).toEqual({ status: 'error', statusMessage: error, errorType: type });
  });
});

describe('an llm run from wrapOpenAI', () => {
  const span = normalizeRun(llmRun(), ctx);

  it('maps identity, model, params, tokens and context', () => {
    expect(span).toMatchObject({
      traceId: ROOT.replaceAll('-', ''),
      spanId: spanIdOf(CHILD),
      parentSpanId: spanIdOf(ROOT),
      name: 'ChatOpenAI',
      kind: 'llm',
      operation: 'chat',
      serviceName: 'support-bot',
      scope: 'langsmith-js',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      params: { temperature: 0.2, topP: 0.9, maxTokens: 64, stopSequences: ['END'] },
      inputTokens: 14,
      outputTokens: 3,
      totalTokens: 17,
      cacheReadTokens: 4,
      reasoningTokens: 1,
      status: 'unset',
      finishReasons: ['stop'],
      responseId: 'chatcmpl-1',
      sessionId: 'sess-1',
      conversationId: 'sess-1',
      userId: 'u-1',
      tags: ['prod', 'beta'],
      convention: 'langsmith',
      startTimeUnixNano: '1795240947537002000',
      endTimeUnixNano: '1795240947648000000',
    });
    expect(span.durationMs).toBeCloseTo(110.998, 3);
    expect(span.metadata).toMatchObject({ ls_provider: 'openai', ls_stop: '["END"]', user_id: 'u-1' });
    expect(span.attributes['langsmith.run_id']).toBe(CHILD);
    expect(span.resourceAttributes).toEqual({ sdk: 'langsmith-js', sdk_version: '0.10.5' });
  });

  it('maps messages with the system prompt first and in its own field', () => {
    expect(span.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'hello world' }] },
    ]);
    expect(span.systemInstructions).toEqual([{ type: 'text', content: 'Be brief' }]);
    expect(span.output).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi!' }], finishReason: 'stop' },
    ]);
  });
});

describe('content shapes', () => {
  const lcMessage = (cls: string, content: string) => ({
    lc: 1,
    type: 'constructor',
    id: ['langchain_core', 'messages', cls],
    kwargs: { content },
  });
  it.each([
    {
      why: 'LangChain chat model: nested serialized messages and generations',
      inputs: { messages: [[lcMessage('SystemMessage', 'sys'), lcMessage('HumanMessage', 'hi')]] },
      outputs: {
        generations: [
          [{ text: 'yo', message: lcMessage('AIMessage', 'yo'), generation_info: { finish_reason: 'stop' } }],
        ],
        llm_output: {
          model_name: 'gpt-4o-2024-08-06',
          token_usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
        },
      },
      input: [
        { role: 'system', parts: [{ type: 'text', content: 'sys' }] },
        { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
      ],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'yo' }], finishReason: 'stop' }],
      tokens: [5, 2],
      responseModel: 'gpt-4o-2024-08-06',
    },
    {
      why: 'LangChain message dicts {type, content}',
      inputs: { messages: [{ type: 'human', content: 'question' }] },
      outputs: { generations: [[{ text: 'answer' }]] },
      input: [{ role: 'user', parts: [{ type: 'text', content: 'question' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'answer' }] }],
      tokens: [0, 0],
      responseModel: '',
    },
    {
      why: 'completion LLM prompts',
      inputs: { prompts: ['Once upon'] },
      outputs: {
        choices: [{ text: ' a time', finish_reason: 'length' }],
        usage: { prompt_tokens: 2, completion_tokens: 3 },
      },
      input: [{ role: 'user', parts: [{ type: 'text', content: 'Once upon' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: ' a time' }], finishReason: 'length' }],
      tokens: [2, 3],
      responseModel: '',
    },
  ])('$why', ({ inputs, outputs, input, output, tokens, responseModel }) => {
    const span = normalizeRun(llmRun({ inputs, outputs, extra: {} }), ctx);
    expect(span.input).toEqual(input);
    expect(span.output).toEqual(output);
    expect([span.inputTokens, span.outputTokens]).toEqual(tokens);
    expect(span.responseModel).toBe(responseModel);
  });

  it('keeps chain inputs and outputs as plain values', () => {
    const span = normalizeRun(
      llmRun({
        run_type: 'chain',
        name: 'pipeline',
        inputs: { input: 'hello' },
        outputs: { outputs: 'bye' },
      }),
      ctx,
    );
    expect(span.input).toEqual({ input: 'hello' });
    expect(span.output).toEqual({ outputs: 'bye' });
    expect(span.params).toEqual({});
  });

  it('flags usage on a chain as aggregate (it repeats its children)', () => {
    const outputs = { answer: 'x', usage_metadata: { input_tokens: 3, output_tokens: 1 } };
    const span = normalizeRun(llmRun({ run_type: 'chain', outputs }), ctx);
    expect(span.inputTokens).toBe(3);
    expect(span.attributes['argus.usage_scope']).toBe('aggregate');
  });

  it('maps retriever documents and tool names', () => {
    const retriever = normalizeRun(
      llmRun({
        run_type: 'retriever',
        outputs: { documents: [{ page_content: 'doc', metadata: { id: 'd1' } }] },
      }),
      ctx,
    );
    expect(retriever.retrievalDocuments).toEqual([{ content: 'doc', metadata: { id: 'd1' }, id: 'd1' }]);
    const tool = normalizeRun(llmRun({ run_type: 'tool', name: 'search', outputs: {} }), ctx);
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'search', operation: 'execute_tool' });
  });
});

describe('events, cost, errors and incomplete runs', () => {
  it('takes TTFT from the first new_token event and keeps only that one', () => {
    const events = [0, 1, 2].map((i) => ({ name: 'new_token', time: `2026-11-21T06:02:27.6${i}7002Z` }));
    const span = normalizeRun(
      llmRun({ events: [{ name: 'start', time: '2026-11-21T06:02:27.537002Z' }, ...events] }),
      ctx,
    );
    expect(span.ttftMs).toBeCloseTo(70, 6);
    expect(span.events.map((e) => e.name)).toEqual(['start', 'new_token']);
    expect(span.attributes['langsmith.new_token_events']).toBe(3);
  });

  it('uses reported cost', () => {
    const outputs = {
      usage_metadata: {
        input_tokens: 10,
        output_tokens: 5,
        total_cost: 0.25,
        input_cost: 0.1,
        output_cost: 0.15,
      },
    };
    expect(normalizeRun(llmRun({ outputs }), ctx)).toMatchObject({
      costUsd: 0.25,
      inputCostUsd: 0.1,
      outputCostUsd: 0.15,
      costSource: 'reported',
    });
  });

  it('marks errors', () => {
    const span = normalizeRun(llmRun({ outputs: undefined, error: 'APIError: 500 boom' }), ctx);
    expect(span).toMatchObject({
      status: 'error',
      statusMessage: 'APIError: 500 boom',
      errorType: 'APIError',
    });
  });

  it('writes an incomplete run with status unset, end = start and a flag', () => {
    const span = normalizeRun(llmRun({ end_time: undefined, error: 'x' }), ctx, { incomplete: true });
    expect(span).toMatchObject({ status: 'unset', durationMs: 0, endTime: span.startTime });
    expect(span.attributes['argus.incomplete']).toBe(true);
  });

  it('rejects a run without a start time', () => {
    expect(() => normalizeRun({ id: ROOT, name: 'x' }, ctx)).toThrow(/'start_time' is missing/);
  });

  it('truncates over-long content like the OTLP path', () => {
    const small: NormalizeContext = {
      projectId: 'p',
      limits: { ...DEFAULT_NORMALIZE_LIMITS, maxContentChars: 2000 },
    };
    const span = normalizeRun(
      llmRun({ inputs: { messages: [{ role: 'user', content: 'x'.repeat(10_000) }] } }),
      small,
    );
    expect(JSON.stringify(span.input).length).toBeLessThanOrEqual(2000);
    expect(span.attributes['argus.truncated']).toBeGreaterThan(0);
  });
});

describe('any input', () => {
  it('either maps to a span or is rejected with an ArgusError, never another error', () => {
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(undefined));
    const run = fc.record({
      id: fc.oneof(fc.uuid(), fc.string()),
      name: field,
      run_type: fc.oneof(
        fc.constantFrom('llm', 'chain', 'tool', 'retriever', 'embedding', 'prompt', 'parser'),
        field,
      ),
      start_time: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.integer(),
        field,
      ),
      end_time: fc.oneof(fc.integer({ min: 1e12, max: 2e12 }), field),
      inputs: field,
      outputs: field,
      extra: fc.oneof(fc.record({ metadata: fc.dictionary(fc.string(), fc.jsonValue()) }), field),
      events: fc.oneof(fc.array(fc.record({ name: field, time: field, kwargs: field })), field),
      error: field,
      tags: field,
      trace_id: fc.oneof(fc.uuid(), field),
      parent_run_id: fc.oneof(fc.uuid(), field),
      dotted_order: field,
    });
    fc.assert(
      fc.property(run, (value) => {
        try {
          const span = normalizeRun(checkRun(value, 'post'), ctx);
          expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
        } catch (error) {
          if (!isArgusError(error)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cuts nesting deeper than any SDK sends instead of recursing into it', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const span = normalizeRun(checkRun(llmRun({ inputs: { deep } }), 'post'), ctx);
    expect(JSON.stringify(span.input)).toContain('argus: truncated, depth');
  });
});
