/**
 * OTLP/gRPC: the real OpenTelemetry JS gRPC exporters (which speak through @grpc/grpc-js) send
 * traces, logs and metrics to Argus over loopback; malformed and oversized calls over raw
 * `node:http2` get the right gRPC status instead of a crash.
 */
import http2 from 'node:http2';
import { gzipSync } from 'node:zlib';
import type { Span } from '@argus/shared';
import { context, trace as otelTrace, SpanKind } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const TRACE_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const MAX_BODY = 64 * 1024;

let argus: TestServer;
let grpcUrl: string;
beforeAll(async () => {
  argus = await startTestServer({
    grpcPort: await freePort(),
    maxBodyBytes: MAX_BODY,
    maxDecompressedBytes: 1024 * 1024,
  });
  grpcUrl = argus.server.grpcUrl!;
});
afterAll(async () => {
  await argus?.stop();
});

const resource = () => resourceFromAttributes({ 'service.name': 'grpc-app' });

async function sendChat(compression: 'gzip' | 'none'): Promise<string> {
  const exporter = new OTLPTraceExporter({ url: grpcUrl, compression: compression as never });
  const provider = new BasicTracerProvider({
    resource: resource(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const span = provider.getTracer('argus-test').startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 4,
      // Compressible padding so gzip has something to do.
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: `hello ${'again '.repeat(200)}` }] },
      ]),
    },
  });
  span.end();
  await provider.forceFlush();
  await provider.shutdown();
  return span.spanContext().traceId;
}

describe.each(['none', 'gzip'] as const)(
  'traces from the OTel gRPC exporter (compression %s)',
  (compression) => {
    it('are stored as canonical spans', async () => {
      const traceId = await sendChat(compression);
      const { spans } = await argus.get<{ spans: Span[] }>(`/api/v1/traces/${traceId}`);
      expect(spans).toHaveLength(1);
      expect(spans[0]).toMatchObject({
        kind: 'llm',
        serviceName: 'grpc-app',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        inputTokens: 12,
        outputTokens: 4,
      });
      expect(JSON.stringify(spans[0]!.input)).toContain('hello again');
    });
  },
);

describe('logs and metrics from the OTel gRPC exporters', () => {
  it('are stored', async () => {
    const loggerProvider = new LoggerProvider({
      resource: resource(),
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: grpcUrl }) })],
    });
    const spanContext = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 };
    loggerProvider.getLogger('argus-test').emit({
      eventName: 'app.grpc.log',
      body: 'grpc says hello',
      context: otelTrace.setSpanContext(context.active(), spanContext),
    });
    await loggerProvider.forceFlush();
    await loggerProvider.shutdown();

    const exporter = new OTLPMetricExporter({ url: grpcUrl });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ resource: resource(), readers: [reader] });
    meterProvider.getMeter('argus-test').createCounter('grpc.test.requests').add(3, { route: '/x' });
    await meterProvider.shutdown();

    const logs = await argus.server.store.driver.query<{ body: string; service_name: string }>(
      "SELECT body, service_name FROM logs WHERE event_name = 'app.grpc.log'",
    );
    expect(logs).toEqual([{ body: 'grpc says hello', service_name: 'grpc-app' }]);
    const points = await argus.server.store.driver.query<{ value: number }>(
      "SELECT value FROM metric_points WHERE metric_name = 'grpc.test.requests'",
    );
    expect(points.map((p) => p.value)).toEqual([3]);
    expect(argus.server.counters.accepted.logs).toBeGreaterThanOrEqual(1);
  });
});

interface RawAnswer {
  status: number | undefined;
  grpcStatus: string | undefined;
  grpcMessage: string;
  body: Buffer;
}

/** One raw HTTP/2 call, so frames the real clients would never send can be tested. */
function rawCall(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(grpcUrl);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    const answer: RawAnswer = {
      status: undefined,
      grpcStatus: undefined,
      grpcMessage: '',
      body: Buffer.alloc(0),
    };
    const take = (h: http2.IncomingHttpHeaders) => {
      if (h[':status'] !== undefined) answer.status = Number(h[':status']);
      if (h['grpc-status'] !== undefined) answer.grpcStatus = String(h['grpc-status']);
      if (h['grpc-message'] !== undefined) answer.grpcMessage = decodeURIComponent(String(h['grpc-message']));
    };
    stream.on('response', take);
    stream.on('trailers', take);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', () => {}); // an RST after the answer is fine
    stream.on('close', () => {
      answer.body = Buffer.concat(chunks);
      session.close();
      resolve(answer);
    });
    stream.end(body);
  });
}

function frame(message: Buffer, compressed = false): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

describe('malformed and oversized gRPC calls', () => {
  it.each([
    // A protobuf that is not an ExportTraceServiceRequest (wire type 7 is invalid).
    { why: 'undecodable protobuf', body: frame(Buffer.from([0x0f, 0xff, 0xff])), code: '3' },
    // The prefix promises 100 bytes, the stream ends after 3.
    { why: 'truncated frame', body: Buffer.concat([frame(Buffer.alloc(100)).subarray(0, 8)]), code: '3' },
    { why: 'no message at all', body: Buffer.alloc(0), code: '3' },
    { why: 'compressed flag 7', body: Buffer.from([7, 0, 0, 0, 0]), code: '3' },
    // Flagged compressed, yet the call names no grpc-encoding.
    { why: 'compressed without encoding', body: frame(gzipSync(Buffer.alloc(0)), true), code: '3' },
    // The declared length is over the limit: refused from the 5-byte prefix alone.
    { why: 'declared length over the limit', body: Buffer.from([0, 0x7f, 0xff, 0xff, 0xff]), code: '8' },
    { why: 'message over the limit', body: frame(Buffer.alloc(MAX_BODY + 1)), code: '8' },
  ])('$why → grpc-status $code', async ({ body, code }) => {
    const answer = await rawCall(TRACE_METHOD, body);
    expect(answer.status).toBe(200);
    expect(answer.grpcStatus).toBe(code);
    expect(answer.grpcMessage).toMatch(/^Cannot /);
  });

  it('a gzip bomb stops at the decompressed limit with RESOURCE_EXHAUSTED', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const answer = await rawCall(TRACE_METHOD, frame(bomb, true), { 'grpc-encoding': 'gzip' });
    expect(answer.grpcStatus).toBe('8');
  });

  it('an empty request succeeds with an empty response message', async () => {
    const answer = await rawCall(TRACE_METHOD, frame(Buffer.alloc(0)));
    expect(answer.grpcStatus).toBe('0');
    expect([...answer.body]).toEqual([0, 0, 0, 0, 0]);
  });

  it('an unknown method is UNIMPLEMENTED and a non-gRPC request a plain 415', async () => {
    const unknown = await rawCall(
      '/opentelemetry.proto.collector.profiles.v1.ProfilesService/Export',
      frame(Buffer.alloc(0)),
    );
    expect(unknown.grpcStatus).toBe('12');
    const plain = await rawCall(TRACE_METHOD, Buffer.from('{}'), { 'content-type': 'application/json' });
    expect(plain.status).toBe(415);
  });

  it('the server still serves real exporters afterwards', async () => {
    const traceId = await sendChat('gzip');
    const { spans } = await argus.get<{ spans: Span[] }>(`/api/v1/traces/${traceId}`);
    expect(spans).toHaveLength(1);
  });
});
