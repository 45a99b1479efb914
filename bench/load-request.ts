/**
 * The load generator's request (bench/load-generator.ts), built with the official OTel JS SDK and
 * serializer: an agent root and `perRequest - 1` chat children with ~1.5 KB of prompt + completion
 * each. Shared by the load generator, the per-stage ingest bench and the stored-rows golden
 * fixture, so all three measure the same bytes. `fixed` gives deterministic ids and times (the
 * golden fixture); otherwise ids are random and times are now, as the SDK makes them.
 */
import { context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  type IdGenerator,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { sdkLogprobsAttributes } from './logprobs-payload.ts';

const WORDS =
  'the customer asked about the refund policy for annual plans and whether the invoice could be split across two cost centers while the assistant checked the knowledge base retrieved three passages and answered with a concise summary citing the relevant clauses'.split(
    ' ',
  );
const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed) % WORDS.length]).join(' ');

/** Options of {@link loadRequest}. */
export interface LoadRequestOptions {
  /** Spans per request (one root, the rest chat spans); default 100. */
  perRequest?: number;
  /** Give every chat span the Argus SDK's `gen_ai.choice.logprobs` event. */
  logprobs?: boolean;
  /** Deterministic ids and times (2026-11-21T05:03:54Z onwards) instead of random ids and now. */
  fixed?: boolean;
}

/** The serialized request, and where each trace and span id sits in its bytes (to patch fresh ids in). */
export interface LoadRequest {
  bytes: Buffer;
  traceOffsets: number[];
  spanOffsets: Map<string, number[]>;
}

/** Sequential ids: trace `…0001`, spans `…0001`, `…0002`, … */
function fixedIds(): IdGenerator {
  let trace = 0;
  let span = 0;
  return {
    generateTraceId: () => (++trace).toString(16).padStart(32, '0'),
    generateSpanId: () => (++span).toString(16).padStart(16, '0'),
  };
}

const FIXED_START_MS = 1_795_237_434_123;

/** Builds the request. */
export function loadRequest(options: LoadRequestOptions = {}): LoadRequest {
  const perRequest = options.perRequest ?? 100;
  const fixed = options.fixed === true;
  const at = (i: number) => (fixed ? FIXED_START_MS + i * 7.25 : undefined);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'bench-chat',
      'deployment.environment.name': 'bench',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...(fixed ? { idGenerator: fixedIds() } : {}),
  });
  const tracer = provider.getTracer('bench');
  const root = tracer.startSpan('invoke_agent support', {
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'session.id': 's1', 'user.id': 'u1' },
    startTime: at(0),
  });
  const ctx = trace.setSpan(context.active(), root);
  for (let i = 1; i < perRequest; i++) {
    const span = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': i % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.request.temperature': 0.3,
          'gen_ai.usage.input_tokens': 300 + i,
          'gen_ai.usage.output_tokens': 120 + i,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'system', parts: [{ type: 'text', content: words(20, i) }] },
            { role: 'user', parts: [{ type: 'text', content: words(90, i + 1) }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [{ type: 'text', content: words(110, i + 2) }],
              finish_reason: 'stop',
            },
          ]),
          'session.id': 's1',
          'user.id': 'u1',
        },
        startTime: at(i),
      },
      ctx,
    );
    if (options.logprobs)
      span.addEvent('gen_ai.choice.logprobs', sdkLogprobsAttributes(words(110, i + 2)), at(i + 0.5));
    span.end(at(i + 0.9));
  }
  root.end(at(perRequest));
  const spans = exporter.getFinishedSpans();
  const bytes = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  const find = (needle: Buffer) => {
    const offsets: number[] = [];
    for (let i = bytes.indexOf(needle); i !== -1; i = bytes.indexOf(needle, i + 1)) offsets.push(i);
    return offsets;
  };
  const traceOffsets = find(Buffer.from(spans[0]!.spanContext().traceId, 'hex'));
  const spanOffsets = new Map<string, number[]>();
  for (const s of spans)
    spanOffsets.set(s.spanContext().spanId, find(Buffer.from(s.spanContext().spanId, 'hex')));
  return { bytes, traceOffsets, spanOffsets };
}
