/**
 * init(): an application that already has an OpenTelemetry provider keeps it — Argus attaches
 * instead of replacing it, adding its processors when the provider can take them, else using
 * the application's exporters (or argusSpanProcessor() when the app added it). Also sampling.
 */

import type { Context } from '@opentelemetry/api';
import { context, propagation, type TracerProvider, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import {
  argusSpanProcessor,
  flush,
  init,
  injectHeaders,
  observe,
  shutdown,
  withSession,
} from '../src/index.ts';
import { readTrace, spanNamed } from './support.ts';

let argus: TestServer;
beforeAll(async () => {
  argus = await startTestServer();
});
afterEach(async () => {
  await shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});
afterAll(async () => {
  await argus?.stop();
});

/** Forwards to a list that can grow, like SDK 1.x providers' addSpanProcessor(). */
class GrowingProcessor implements SpanProcessor {
  readonly list: SpanProcessor[] = [];
  onStart(span: Span, ctx: Context): void {
    for (const p of this.list) p.onStart(span, ctx);
  }
  onEnd(span: ReadableSpan): void {
    for (const p of this.list) p.onEnd(span);
  }
  async forceFlush(): Promise<void> {
    await Promise.all(this.list.map((p) => p.forceFlush()));
  }
  async shutdown(): Promise<void> {
    await Promise.all(this.list.map((p) => p.shutdown()));
  }
}

function globalDelegate(): TracerProvider {
  return (trace.getTracerProvider() as unknown as { getDelegate(): TracerProvider }).getDelegate();
}

describe('an application provider is attached to, never replaced', () => {
  it('registers its own provider when there is none', async () => {
    const handle = init({ endpoint: argus.url });
    expect(handle.mode).toBe('global');
    expect(globalDelegate()).toBeInstanceOf(BasicTracerProvider);
  });

  it('adds its processors to a provider that has addSpanProcessor()', async () => {
    const appExporter = new InMemorySpanExporter();
    const growing = new GrowingProcessor();
    growing.list.push(new SimpleSpanProcessor(appExporter));
    const appProvider = Object.assign(new BasicTracerProvider({ spanProcessors: [growing] }), {
      addSpanProcessor: (p: SpanProcessor) => growing.list.push(p),
    });
    trace.setGlobalTracerProvider(appProvider);
    const handle = init({ endpoint: argus.url });
    expect(handle.mode).toBe('attached');
    expect(globalDelegate()).toBe(appProvider);
    expect(growing.list).toHaveLength(3);
    const traceId = withSession('attached-session', () =>
      observe('attached-step', (span) => span.spanContext().traceId),
    );
    await flush();
    // Both the application's exporter and Argus got the span, with the context attributes.
    expect(appExporter.getFinishedSpans().map((s) => s.name)).toEqual(['attached-step']);
    expect(spanNamed(await readTrace(argus, traceId), 'attached-step').sessionId).toBe('attached-session');
  });

  it("uses the application's exporter when its provider cannot take processors", async () => {
    const appExporter = new InMemorySpanExporter();
    const appProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(appExporter)] });
    trace.setGlobalTracerProvider(appProvider);
    const messages: string[] = [];
    const handle = init({ endpoint: argus.url, diagnostics: (m) => messages.push(m) });
    expect(handle.mode).toBe('external');
    expect(globalDelegate()).toBe(appProvider);
    expect(messages.join('\n')).toContain('argusSpanProcessor()');
    withSession('external-session', () => observe('external-step', () => 'ok'));
    await flush();
    const [span] = appExporter.getFinishedSpans();
    expect(span?.name).toBe('external-step');
    // The context attributes still arrive (the tracer adds them, no processor needed).
    expect(span?.attributes['session.id']).toBe('external-session');
  });

  it('exports through argusSpanProcessor() placed in the application provider', async () => {
    const appProvider = new BasicTracerProvider({
      spanProcessors: [argusSpanProcessor({ endpoint: argus.url })],
    });
    trace.setGlobalTracerProvider(appProvider);
    const handle = init({ captureContent: false });
    expect(handle.mode).toBe('external');
    const traceId = withSession('processor-session', () =>
      observe('processor-step', (span) => span.spanContext().traceId, { input: 'secret' }),
    );
    // The application's own spans get the context attributes too (the processor adds them).
    const own = withSession('processor-session', () => trace.getTracer('app').startSpan('app-own'));
    own.end();
    await flush();
    const span = spanNamed(await readTrace(argus, traceId), 'processor-step');
    expect(span).toMatchObject({ sessionId: 'processor-session' });
    expect(span.input).toBeUndefined();
    const appOwn = spanNamed(await readTrace(argus, own.spanContext().traceId), 'app-own');
    expect(appOwn.sessionId).toBe('processor-session');
  });
});

describe('sampling', () => {
  it('sampleRate 0 records nothing but still propagates the (unsampled) context', async () => {
    init({ endpoint: argus.url, sampleRate: 0 });
    const seen = observe('unsampled', (span) => ({
      recording: span.isRecording(),
      headers: injectHeaders(),
    }));
    expect(seen.recording).toBe(false);
    expect(seen.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    // Children of a sampled remote parent are kept (ParentBased).
    const parent = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1, isRemote: true };
    const recording = context.with(trace.setSpanContext(context.active(), parent), () =>
      observe('child-of-sampled', (span) => span.isRecording()),
    );
    expect(recording).toBe(true);
    await flush();
    expect(spanNamed(await readTrace(argus, parent.traceId), 'child-of-sampled').parentSpanId).toBe(
      parent.spanId,
    );
  });
});
