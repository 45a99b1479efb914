/**
 * Shared setup of the instrumentation tests: a real Argus server, the mock LLM, and a real
 * OpenTelemetry pipeline (BasicTracerProvider → SimpleSpanProcessor → OTLP/protobuf exporter)
 * registered globally for the test file.
 */

import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Span } from '@argus/shared';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import OpenAILatest from 'openai';
import OpenAIv4 from 'openai-v4';
import OpenAIv5 from 'openai-v5';
import OpenAIv6 from 'openai-v6';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { readTrace } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: several majors with different typings share one suite
export type Loose = any;

/** Every major of `openai` the instrumentation is tested with (package aliases in packages/sdk). */
export const OPENAI_VERSIONS: [name: string, OpenAI: Loose][] = [
  ['openai@4', OpenAIv4],
  ['openai@5', OpenAIv5],
  ['openai@6', OpenAIv6],
  ['openai@latest', OpenAILatest],
];

/** Everything one test file needs. */
export interface Harness {
  argus: TestServer;
  mock: MockLlm;
  provider: BasicTracerProvider;
  stop(): Promise<void>;
}

/** Starts Argus, the mock LLM and the global OTel pipeline exporting to Argus. */
export async function startHarness(): Promise<Harness> {
  const argus = await startTestServer();
  const mock = await startMockLlm({ chunkDelayMs: 1 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'instrument-test' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${argus.url}/v1/traces` }))],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    argus,
    mock,
    provider,
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      await mock.close();
      await argus.stop();
    },
  };
}

/** Runs `fn` under a root span named `test`; answers its result and the trace id. */
export async function inTrace<T>(fn: () => T): Promise<{ traceId: string; result: Awaited<T> }> {
  return trace.getTracer('instrument-test').startActiveSpan('test', async (root) => {
    try {
      return { traceId: root.spanContext().traceId, result: await fn() };
    } finally {
      root.end();
    }
  });
}

/** The spans of a trace other than the `test` root, once `count` of them arrived. */
export async function callSpans(argus: TestServer, traceId: string, count = 1): Promise<Span[]> {
  const reply = await readTrace(argus, traceId, count + 1);
  return reply.spans.filter((s) => s.name !== 'test');
}

/** The one call span of a trace (fails when there is not exactly one). */
export async function callSpan(argus: TestServer, traceId: string): Promise<Span> {
  const spans = await callSpans(argus, traceId);
  if (spans.length !== 1)
    throw new Error(`Expected one call span, found ${spans.map((s) => s.name).join(', ')}`);
  return spans[0]!;
}

/** Collects every item of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A fetch that sends requests for `fromOrigin` to the mock instead (provider detection tests). */
export function redirectFetch(fromOrigin: string, mock: MockLlm): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return fetch(url.replace(fromOrigin, mock.url), init);
  };
}
