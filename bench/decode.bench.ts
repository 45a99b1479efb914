/**
 * OTLP decode micro-benchmark: 512 realistic LLM spans (11 attributes, ~1.5 KB of prompt and
 * completion text each) serialized by the official OpenTelemetry JS serializers, decoded by our
 * protobuf and JSON decoders. The OpenTelemetry JS packages ship no request deserializer (and
 * protobufjs is not installed), so the reference is `JSON.parse` of the same JSON request, the
 * least work any JSON-based decoder must do.
 *
 * Run: `node bench/decode.bench.ts` (single thread; figures are per core).
 */
import { cpus } from 'node:os';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { DEFAULT_DECODE_LIMITS, decodeTraces } from '../packages/server/src/otlp/index.ts';

const SPAN_COUNT = 512;
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 5000);
const ROUNDS = 9;

const WORDS = (
  'the a fox token model prompt count learned once upon time river castle agent tool call ' +
  'stream latency cache result answer question context window system user assistant reason'
).split(' ');

// Deterministic text so runs are comparable.
function text(seed: number, bytes: number): string {
  let out = '';
  let x = seed * 2654435761;
  while (out.length < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += `${WORDS[x % WORDS.length]} `;
  }
  return out.slice(0, bytes);
}

function buildSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench-llm-app', 'deployment.environment': 'prod' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    spanLimits: { attributeValueLengthLimit: Number.POSITIVE_INFINITY },
  });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-openai', '0.21.0');
  for (let t = 0; t < SPAN_COUNT / 4; t++) {
    const root = tracer.startSpan('invoke_agent planner', { kind: SpanKind.INTERNAL });
    const ctx = trace.setSpan(context.active(), root);
    const spans = [root];
    for (let c = 0; c < 3; c++)
      spans.push(tracer.startSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT }, ctx));
    for (const [i, span] of spans.entries()) {
      const seed = t * 4 + i;
      span.setAttributes({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-08-06',
        'gen_ai.request.temperature': 0.3,
        'gen_ai.request.max_tokens': 1024,
        'gen_ai.usage.input_tokens': 200 + (seed % 50),
        'gen_ai.usage.output_tokens': 90 + (seed % 30),
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.input.messages': JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: text(seed, 200) }] },
          { role: 'user', parts: [{ type: 'text', content: text(seed + 1, 800) }] },
        ]),
        'gen_ai.output.messages': JSON.stringify([
          {
            role: 'assistant',
            parts: [{ type: 'text', content: text(seed + 2, 420) }],
            finish_reason: 'stop',
          },
        ]),
      });
      span.end();
    }
  }
  return exporter.getFinishedSpans();
}

// Several short rounds instead of one long one: on a shared machine the median resists bursts
// of other load, and the best round shows what the code can do.
function measure(name: string, bytes: number, run: () => unknown): void {
  for (let i = 0; i < 50; i++) run();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let iterations = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < RUN_MS / ROUNDS) {
      for (let i = 0; i < 5; i++) run();
      iterations += 5;
      elapsed = performance.now() - start;
    }
    rates.push((iterations * 1000) / elapsed);
  }
  rates.sort((a, b) => a - b);
  const format = (perSecond: number) =>
    `${Math.round(perSecond * SPAN_COUNT)
      .toLocaleString('en-US')
      .padStart(10)} spans/s ${((perSecond * bytes) / 1e6).toFixed(0).padStart(5)} MB/s`;
  console.log(`${name.padEnd(44)} median ${format(rates[ROUNDS >> 1]!)}   best ${format(rates.at(-1)!)}`);
}

const spans = buildSpans();
const protobuf = ProtobufTraceSerializer.serializeRequest(spans)!;
const json = JsonTraceSerializer.serializeRequest(spans)!;
const jsonText = new TextDecoder().decode(json);
const check = decodeTraces(protobuf, 'protobuf', DEFAULT_DECODE_LIMITS).resourceSpans[0]?.scopeSpans[0]
  ?.spans;
if (check?.length !== SPAN_COUNT) throw new Error(`expected ${SPAN_COUNT} spans, decoded ${check?.length}`);

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cpus`);
console.log(`${SPAN_COUNT} spans: protobuf ${protobuf.length} bytes, JSON ${json.length} bytes`);
measure('argus protobuf decode', protobuf.length, () =>
  decodeTraces(protobuf, 'protobuf', DEFAULT_DECODE_LIMITS),
);
measure('argus JSON decode (UTF-8 + parse + convert)', json.length, () =>
  decodeTraces(json, 'json', DEFAULT_DECODE_LIMITS),
);
measure('reference: JSON.parse of the same request', json.length, () => JSON.parse(jsonText));
measure('reference: UTF-8 decode + JSON.parse', json.length, () =>
  JSON.parse(new TextDecoder().decode(json)),
);
