/**
 * The traced method: starts the span, runs the SDK's own method inside it, and observes the
 * result without replacing it. The OpenAI and Anthropic SDKs return an `APIPromise` (a Promise
 * subclass with `withResponse()`, `asResponse()`, `_thenUnwrap()` …) that parses the body only
 * when asked; the same object is returned, with its parse step observed on the instance, so
 * every helper keeps working and nothing is parsed that the application did not ask for.
 * Streams are returned as the same object too; only their iterator is traced.
 */
import { context, trace } from '@opentelemetry/api';
import { getConfig } from '../config.ts';
import { safely } from '../diagnostics.ts';
import { getTracer } from '../tracer.ts';
import {
  type ClientSettings,
  LlmCall,
  type OperationAdapter,
  type StreamRecorder,
  startSpan,
} from './call.ts';
import { isObj, type Obj } from './parts.ts';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Starts the span; `call` is undefined when the span is not recorded (unsampled). Throws on tracer failures (callers guard). */
function startCall(adapter: OperationAdapter, settings: ClientSettings, body: Obj) {
  const span = startSpan(settings.tracer ?? getTracer(), adapter, settings, body);
  if (!span.isRecording()) return { span, call: undefined };
  const capture = settings.captureContent ?? getConfig().captureContent;
  const attributes = {};
  adapter.request(body, attributes);
  if (capture) adapter.content(body, attributes);
  span.setAttributes(attributes);
  return { span, call: new LlmCall(span, body, adapter, capture) };
}

/** Wraps `original` (a resource method such as `chat.completions.create`) to trace each call. */
export function traceMethod(
  adapter: OperationAdapter,
  settings: ClientSettings,
  original: AnyFunction,
): AnyFunction {
  return function traced(this: unknown, ...args: unknown[]): unknown {
    const body = isObj(args[0]) ? args[0] : {};
    const started = safely('start an LLM span', () => startCall(adapter, settings, body), undefined);
    if (started === undefined) return original.apply(this, args);
    const { span, call } = started;
    let result: unknown;
    try {
      // The span is active while the SDK sends the request: HTTP instrumentation nests under it.
      result = context.with(trace.setSpan(context.active(), span), original, this, ...args);
    } catch (error) {
      if (call === undefined) safely('end a span', () => span.end(), undefined);
      else call.fail(error);
      throw error;
    }
    if (call === undefined) {
      // Not sampled: nothing to record, and the result stays untouched.
      safely('end a span', () => span.end(), undefined);
      return result;
    }
    return safely('observe an LLM call', () => observe(result, call), result);
  };
}

function observe(result: unknown, call: LlmCall): unknown {
  if (isApiPromise(result)) {
    hookApiPromise(result, call);
    return result;
  }
  if (isThenable(result)) {
    // A plain promise (another client shape): observe it through a derived promise.
    return Promise.resolve(result).then(
      (value) => call.onData(value, traceStream(call)),
      (error: unknown) => {
        call.fail(error);
        throw error;
      },
    );
  }
  return call.onData(result, traceStream(call));
}

/** The instance members of the SDKs' `APIPromise` (v4 … v7, Anthropic 0.x … 1.x) that are observed. */
interface ApiPromiseLike {
  parseResponse: AnyFunction;
  responsePromise: PromiseLike<unknown>;
  parse?: AnyFunction;
  asResponse?: AnyFunction;
  _thenUnwrap?: AnyFunction;
}

function isApiPromise(value: unknown): value is ApiPromiseLike {
  if (!isThenable(value)) return false;
  const p = value as unknown as Partial<ApiPromiseLike>;
  return typeof p.parseResponse === 'function' && isThenable(p.responsePromise);
}

/** Shadows an instance method with `wrap(original)`. */
function shadow(target: object, key: string, wrap: (original: AnyFunction) => AnyFunction): void {
  const original = (target as Record<string, unknown>)[key];
  if (typeof original !== 'function') return;
  Object.defineProperty(target, key, {
    value: wrap(original as AnyFunction),
    writable: true,
    configurable: true,
  });
}

/**
 * Observes the parsed body (`parseResponse`) and the failures (`parse()`, `asResponse()`) of
 * this promise and of every `_thenUnwrap()` derivative the SDK's helpers build on it (openai ≥ 7
 * derivatives parse through their own closure, not the root's `parseResponse`); the first parse
 * is recorded. Failures are observed on the promises the application awaits, never on the raw
 * request promise, so an unawaited failing call still reports an unhandled rejection exactly as
 * without Argus.
 */
function hookApiPromise(promise: ApiPromiseLike, call: LlmCall): void {
  shadow(
    promise,
    'parseResponse',
    (parseResponse) =>
      function parseObserved(this: unknown, ...args: unknown[]) {
        call.parseStarted = true;
        const out = parseResponse.apply(this, args);
        if (!isThenable(out)) return call.onData(out, traceStream(call));
        return Promise.resolve(out).then(
          (value) => call.onData(value, traceStream(call)),
          (error: unknown) => {
            call.fail(error);
            throw error;
          },
        );
      },
  );
  let isWatching = false;
  shadow(
    promise,
    'parse',
    (parse) =>
      function parseWatched(this: unknown, ...args: unknown[]) {
        const out = parse.apply(this, args);
        if (!isWatching && isThenable(out)) {
          isWatching = true;
          out.then(undefined, (error: unknown) => call.fail(error));
        }
        return out;
      },
  );
  shadow(
    promise,
    'asResponse',
    (asResponse) =>
      function asResponseWatched(this: unknown, ...args: unknown[]) {
        const out = asResponse.apply(this, args);
        if (isThenable(out))
          out.then(
            (response) => call.endRaw(response),
            (error: unknown) => call.fail(error),
          );
        return out;
      },
  );
  shadow(
    promise,
    '_thenUnwrap',
    (thenUnwrap) =>
      function thenUnwrapWatched(this: unknown, ...args: unknown[]) {
        const derived = thenUnwrap.apply(this, args);
        if (isApiPromise(derived))
          safely('observe a derived promise', () => hookApiPromise(derived, call), undefined);
        return derived;
      },
  );
}

/** Traces the stream object the SDK parsed: its iterator source is wrapped on the instance. */
function traceStream(call: LlmCall): (stream: object, recorder: StreamRecorder) => void {
  return (stream, recorder) => {
    // OpenAI and Anthropic streams read their source through `this.iterator()` (for await, tee(),
    // toReadableStream()); other async iterables through `[Symbol.asyncIterator]()`.
    const key =
      typeof (stream as { iterator?: unknown }).iterator === 'function' ? 'iterator' : Symbol.asyncIterator;
    const original = (stream as Record<PropertyKey, unknown>)[key] as AnyFunction;
    let isTraced = false;
    Object.defineProperty(stream, key, {
      value: function iteratorTraced(this: unknown, ...args: unknown[]) {
        const inner = original.apply(this, args) as AsyncIterator<unknown>;
        if (isTraced) return inner;
        isTraced = true;
        return traceIterator(inner, call, recorder);
      },
      writable: true,
      configurable: true,
    });
  };
}

function traceIterator(inner: AsyncIterator<unknown>, call: LlmCall, recorder: StreamRecorder) {
  const onResult = (result: IteratorResult<unknown>) => {
    if (result.done) call.finishStream(recorder, false);
    else call.chunk(recorder, result.value);
    return result;
  };
  const onError = (error: unknown) => {
    call.fail(error);
    throw error;
  };
  return {
    next: (...args: [] | [unknown]) => inner.next(...args).then(onResult, onError),
    return: (value?: unknown) => {
      call.finishStream(recorder, true);
      return inner.return === undefined
        ? Promise.resolve({ done: true as const, value })
        : inner.return(value);
    },
    throw: (error?: unknown) =>
      inner.throw === undefined ? Promise.reject(error) : inner.throw(error).then(onResult, onError),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
