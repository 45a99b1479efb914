/**
 * The tracer every Argus span is started with (`observe`, propagation, the OpenAI/Anthropic
 * instrumentation). After `init()` it is the tracer of the provider Argus set up or attached
 * to; otherwise the global tracer, wrapped so that spans still get the session/user/metadata/
 * tags attributes that Argus' context span processor would have added.
 */
import { type Context, context, type Span, type SpanOptions, type Tracer, trace } from '@opentelemetry/api';
import { SDK_NAME, SDK_VERSION } from './config.ts';
import { contextAttributes } from './context.ts';
import { safely } from './diagnostics.ts';

/** A tracer that adds the Argus context attributes to the spans it starts (explicit attributes win). */
export class ContextTracer implements Tracer {
  readonly #inner: Tracer;

  /** Wraps `inner`. */
  constructor(inner: Tracer) {
    this.#inner = inner;
  }

  /** Starts a span with the context attributes of `ctx` added. */
  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const fromContext = safely('read the Argus context', () => contextAttributes(ctx), {});
    const attributes = { ...fromContext, ...options.attributes };
    return this.#inner.startSpan(name, { ...options, attributes }, ctx);
  }

  /** Starts a span, makes it active for `fn`, and returns `fn`'s result (the span is not ended). */
  startActiveSpan: Tracer['startActiveSpan'] = (name: string, ...rest: unknown[]) => {
    const fn = rest.pop() as (span: Span) => unknown;
    const options = (rest[0] ?? {}) as SpanOptions;
    const ctx = (rest[1] ?? context.active()) as Context;
    const span = this.startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), fn, undefined, span);
  };
}

let bound: Tracer | undefined;

/** Sets the tracer `init()` created (or clears it on shutdown). */
export function setTracer(tracer: Tracer | undefined): void {
  bound = tracer;
}

/** The tracer for Argus spans; see the module comment. */
export function getTracer(): Tracer {
  // The global tracer is looked up on every call: a cached one would outlive `trace.disable()`.
  return bound ?? new ContextTracer(trace.getTracer(SDK_NAME, SDK_VERSION));
}
