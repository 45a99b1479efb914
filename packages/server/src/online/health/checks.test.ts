/**
 * The output-health checks: each bad kind is flagged with a reason, and a corpus of 224 normal
 * answers (fixtures/normal-answers.jsonl: English and 11 other languages, translations asked
 * for, hedged but helpful answers, JSON asked for and given, declared tool calls, tables, code,
 * one-word answers) measures the false-flag rate documented in docs/evaluation.md.
 */
import { readFileSync } from 'node:fs';
import type { OutputHealthFlag, Span } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { checkOutput } from './checks.ts';

/** A stored LLM span with a question and an answer (canonical message shape). */
function llmSpan(options: {
  question?: string;
  answer?: string | undefined;
  finishReason?: string;
  toolCalls?: { name: string; arguments?: unknown }[];
  tools?: unknown[];
  attributes?: Record<string, unknown>;
  maxTokens?: number;
  outputTokens?: number;
  status?: Span['status'];
}): Span {
  const parts = [
    ...(options.answer === undefined ? [] : [{ type: 'text', content: options.answer }]),
    ...(options.toolCalls ?? []).map((c, i) => ({
      type: 'tool_call',
      id: `call_${i}`,
      name: c.name,
      arguments: c.arguments,
    })),
  ];
  const finish = options.finishReason ?? 'stop';
  return {
    projectId: 'default',
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: '',
    name: 'chat gpt-4o-mini',
    kind: 'llm',
    serviceName: 'app',
    serviceVersion: '',
    environment: '',
    scope: '',
    startTime: '2026-12-06T00:00:00.000000000Z',
    endTime: '2026-12-06T00:00:01.000000000Z',
    startTimeUnixNano: '1796515200000000000',
    endTimeUnixNano: '1796515201000000000',
    durationMs: 1000,
    status: options.status ?? 'ok',
    statusMessage: '',
    errorType: '',
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    responseModel: 'gpt-4o-mini',
    params: options.maxTokens ? { maxTokens: options.maxTokens } : {},
    inputTokens: 20,
    outputTokens: options.outputTokens ?? 40,
    totalTokens: 60,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    tokensEstimated: false,
    costUsd: 0,
    inputCostUsd: 0,
    outputCostUsd: 0,
    costSource: 'none',
    finishReasons: options.finishReason === '' ? [] : [finish],
    responseId: '',
    input: [
      {
        role: 'user',
        parts: [{ type: 'text', content: options.question ?? 'What is the capital of France?' }],
      },
    ],
    output:
      options.answer === undefined && !options.toolCalls
        ? undefined
        : [{ role: 'assistant', parts, finishReason: finish }],
    ...(options.tools ? { toolDefinitions: options.tools } : {}),
    toolName: '',
    toolCallId: '',
    sessionId: '',
    userId: '',
    conversationId: '',
    tags: [],
    metadata: {},
    attributes: options.attributes ?? {},
    resourceAttributes: {},
    events: [],
    convention: 'otel',
  };
}

const TOOLS = [{ type: 'function', function: { name: 'get_weather', parameters: {} } }];

describe('checkOutput flags each bad kind', () => {
  it.each<[string, Parameters<typeof llmSpan>[0], OutputHealthFlag]>([
    // The provider stopped at max_tokens: the answer is cut off.
    [
      'finish reason length',
      { answer: 'The history of Paris begins with the', finishReason: 'length' },
      'truncated',
    ],
    // Anthropic's spelling of the same.
    [
      'finish reason max_tokens',
      { answer: 'In summary, the three', finishReason: 'max_tokens' },
      'truncated',
    ],
    // No finish reason recorded, but the output used every token allowed.
    [
      'output tokens at max tokens',
      { answer: 'Well, it depends on', finishReason: '', maxTokens: 16, outputTokens: 16 },
      'truncated',
    ],
    ['empty text', { answer: '   ' }, 'empty'],
    // Content not captured, yet the model reported zero output tokens and a finish.
    ['no output and zero tokens', { answer: undefined, outputTokens: 0 }, 'empty'],
    ['apology and inability', { answer: "I'm sorry, but I can't help with that." }, 'refusal'],
    ['curly apostrophe', { answer: 'I can\u2019t assist with that request.' }, 'refusal'],
    ['as an AI', { answer: 'As an AI language model, I cannot provide that information.' }, 'refusal'],
    ['content filter', { answer: '', finishReason: 'content_filter' }, 'refusal'],
    [
      'Spanish refusal',
      { question: '¿Me ayudas con esto?', answer: 'Lo siento, pero no puedo ayudarte con eso.' },
      'refusal',
    ],
    ['a phrase looping', { answer: `Sure. ${'I will try again. '.repeat(8)}` }, 'repetition'],
    ['one word looping', { answer: `The answer is ${'very '.repeat(20)}long.` }, 'repetition'],
    [
      'question in English, answer in German',
      {
        question: 'How long should I boil an egg for a soft yolk?',
        answer:
          'Sie sollten das Ei etwa sechs Minuten kochen und dann kurz in kaltes Wasser legen, damit es nicht weiter gart.',
      },
      'language_mismatch',
    ],
    [
      'question in English, answer in Chinese',
      { question: 'What is the capital of China?', answer: '中国的首都是北京。北京是中国的政治和文化中心。' },
      'language_mismatch',
    ],
    [
      'JSON asked for (gen_ai.output.type), prose given',
      { answer: 'The name is Maria and she is 34.', attributes: { 'gen_ai.output.type': 'json' } },
      'invalid_json',
    ],
    [
      'JSON asked for (response_format), broken JSON',
      {
        answer: '{"name": "Maria", "age": 34',
        attributes: { 'gen_ai.openai.request.response_format': 'json_object' },
      },
      'invalid_json',
    ],
    [
      'a tool the request did not declare',
      {
        answer: undefined,
        toolCalls: [{ name: 'delete_account' }],
        tools: TOOLS,
        finishReason: 'tool_calls',
      },
      'undeclared_tool',
    ],
  ])('%s', (_why, options, flag) => {
    const result = checkOutput(llmSpan(options));
    expect(result.flags).toContain(flag);
    expect(result.reasons[flag]).toBeTruthy();
  });

  it('does not judge a failed call (its error is already on the span)', () => {
    expect(checkOutput(llmSpan({ answer: '', status: 'error' })).flags).toEqual([]);
  });

  it('cannot tell when content was not captured and tokens were counted', () => {
    expect(checkOutput(llmSpan({ answer: undefined, outputTokens: 120 })).flags).toEqual([]);
  });
});

interface CorpusEntry {
  id: string;
  question: string;
  answer: string;
  jsonRequested?: boolean;
  tools?: unknown[];
  toolCalls?: { name: string; arguments?: unknown }[];
  finishReason?: string;
}

const corpus: CorpusEntry[] = readFileSync(
  new URL('./fixtures/normal-answers.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusEntry);

describe('false flags on normal answers', () => {
  it('has at least 200 varied normal answers', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((e) => e.id.split('-')[0])).size).toBeGreaterThanOrEqual(8);
  });

  it('flags none of them (the false-flag rate documented in docs/evaluation.md)', () => {
    const flagged = corpus
      .map((entry) => {
        const span = llmSpan({
          question: entry.question,
          answer: entry.answer === '' && entry.toolCalls ? undefined : entry.answer,
          ...(entry.finishReason ? { finishReason: entry.finishReason } : {}),
          ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}),
          ...(entry.tools ? { tools: entry.tools } : {}),
          ...(entry.jsonRequested ? { attributes: { 'gen_ai.output.type': 'json' } } : {}),
        });
        return { id: entry.id, ...checkOutput(span) };
      })
      .filter((r) => r.flags.length > 0);
    expect(flagged.map((r) => `${r.id}: ${JSON.stringify(r.reasons)}`)).toEqual([]);
  });
});
