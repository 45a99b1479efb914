/**
 * The data set of the listing contract suite: a few hand-made traces that each filter picks
 * out, 137 bulk traces (with start-time ties) for pagination, one trace outside the default
 * window and one in another project.
 */
import type { Span } from '@argus/shared';
import type { Store } from '../store/index.ts';
import { spanToRow } from '../store/rows.ts';
import {
  hourStart,
  insertScores,
  makeContentLog,
  makeSpan,
  makeStepSpan,
  type SpanOverrides,
} from './test-helpers.ts';

/** Ids and times the contract cases assert on. */
export interface ListingFixture {
  base: number;
  weather: { traceId: string; rootId: string; llmId: string; toolId: string };
  failing: { traceId: string; llmId: string };
  logged: { traceId: string; spanId: string };
  old: { traceId: string; at: number };
  other: { traceId: string };
  /** A bulk trace (the newest) whose spans were inserted twice. */
  duplicated: { traceId: string };
  bulkIds: Set<string>;
  bulkSpanIds: Set<string>;
}

/** Bulk traces for the paging cases (not a multiple of the page size). */
export const BULK_TRACES = 137;

function child(parent: Span, overrides: SpanOverrides): Span {
  return makeSpan({
    traceId: parent.traceId,
    parentSpanId: parent.spanId,
    serviceName: parent.serviceName,
    environment: parent.environment,
    userId: parent.userId,
    sessionId: parent.sessionId,
    ...overrides,
  });
}

const text = (role: string, content: string) => [{ role, parts: [{ type: 'text', content }] }];

/** Inserts the fixture and returns what the cases need. */
export async function seedListingFixture(store: Store): Promise<ListingFixture> {
  const base = hourStart(3);
  const spans: Span[] = [];

  const weatherRoot = makeStepSpan({
    at: base + 3600_000,
    durationMs: 5000,
    name: 'weather-agent',
    serviceName: 'agent-svc',
    userId: 'alice',
    sessionId: 'sess-1',
    tags: ['beta'],
  });
  const weatherLlm = child(weatherRoot, {
    at: base + 3600_000 + 100,
    durationMs: 2000,
    requestModel: 'gpt-4o',
    responseModel: 'gpt-4o-2024-08-06',
    inputTokens: 100,
    outputTokens: 50,
    totalTokens: 150,
    costUsd: 0.01,
    tags: ['beta'],
    input: text('user', 'What is the weather in Reykjavik today?'),
    output: text('assistant', 'It is chilly and windy.'),
  });
  const weatherTool = makeStepSpan({
    traceId: weatherRoot.traceId,
    parentSpanId: weatherRoot.spanId,
    serviceName: 'agent-svc',
    userId: 'alice',
    sessionId: 'sess-1',
    at: base + 3600_000 + 2500,
    durationMs: 300,
    kind: 'tool',
    name: 'get_weather',
    toolName: 'get_weather',
  });
  spans.push(weatherRoot, weatherLlm, weatherTool);

  const failingRoot = makeStepSpan({
    at: base + 3660_000,
    kind: 'chain',
    name: 'rag-chain',
    serviceName: 'rag-svc',
    environment: 'staging',
    userId: 'bob',
    sessionId: 'sess-2',
  });
  const failingLlm = child(failingRoot, {
    at: base + 3660_000 + 50,
    provider: 'anthropic',
    requestModel: 'claude-3-5-sonnet',
    responseModel: 'claude-3-5-sonnet-20241022',
    status: 'error',
    statusMessage: 'overloaded',
    output: text('assistant', 'The xylophone is a percussion instrument; the user asked about its parts.'),
  });
  spans.push(failingRoot, failingLlm);

  const logged = makeSpan({
    at: base + 3720_000,
    name: 'chat llama3',
    provider: 'ollama',
    requestModel: 'llama3',
    responseModel: '',
    userId: 'carol',
    input: undefined,
    output: undefined,
  });
  spans.push(logged);

  const old = makeSpan({ at: Date.now() - 30 * 3600_000, serviceName: 'agent-svc', userId: 'alice' });
  const other = makeSpan({
    at: base + 3600_000,
    projectId: 'other',
    serviceName: 'agent-svc',
    userId: 'alice',
  });
  spans.push(old, other);

  const bulkIds = new Set<string>();
  const bulkSpanIds = new Set<string>();
  let duplicated: Span[] = [];
  for (let i = 0; i < BULK_TRACES; i++) {
    // Every three traces share a start time, so paging must break ties on the trace id.
    const at = base - 7200_000 + Math.floor(i / 3) * 10_000;
    const root = makeStepSpan({ at, name: `bulk-${i}`, serviceName: 'bulk-svc', durationMs: 200 });
    const llm = child(root, { at: at + 10, durationMs: 100 });
    spans.push(root, llm);
    // The newest bulk trace is stored twice: its copies land on the first page of each walk.
    if (i === BULK_TRACES - 1) duplicated = [root, llm];
    bulkIds.add(root.traceId);
    bulkSpanIds.add(root.spanId).add(llm.spanId);
  }

  await store.insertSpans(spans);

  // A retried batch that slipped past the writer's dedupe: the trace view must hide the copy.
  await store.writer.write('spans', duplicated.map(spanToRow));
  await store.insertLogs([
    makeContentLog({
      traceId: logged.traceId,
      spanId: logged.spanId,
      at: base + 3720_000 + 10,
      content: {
        input: [{ role: 'user', parts: [{ type: 'text', content: 'Tell me about the aurora borealis' }] }],
      },
    }),
    makeContentLog({
      traceId: logged.traceId,
      spanId: logged.spanId,
      at: base + 3720_000 + 900,
      content: {
        output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Quasars are brighter.' }] }],
        finishReasons: ['stop'],
      },
    }),
  ]);
  await insertScores(store, [
    { traceId: weatherRoot.traceId, name: 'helpfulness', value: 0.9, at: base + 3700_000, comment: 'good' },
    {
      traceId: weatherRoot.traceId,
      spanId: weatherLlm.spanId,
      name: 'toxicity',
      value: 0,
      at: base + 3710_000,
    },
  ]);
  return {
    base,
    weather: {
      traceId: weatherRoot.traceId,
      rootId: weatherRoot.spanId,
      llmId: weatherLlm.spanId,
      toolId: weatherTool.spanId,
    },
    failing: { traceId: failingRoot.traceId, llmId: failingLlm.spanId },
    logged: { traceId: logged.traceId, spanId: logged.spanId },
    old: { traceId: old.traceId, at: Date.now() - 30 * 3600_000 },
    other: { traceId: other.traceId },
    duplicated: { traceId: duplicated[0]!.traceId },
    bulkIds,
    bulkSpanIds,
  };
}
