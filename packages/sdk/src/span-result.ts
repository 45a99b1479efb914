/**
 * Ending a span from what the traced function produced: a value, an error, a promise, or a
 * (async) generator that is traced until it finishes. Errors are recorded with status ERROR,
 * an `exception` event and `error.type`; the caller re-throws them unchanged.
 */
import { type Context, context, type Span, SpanStatusCode } from '@opentelemetry/api';
import { safely } from './diagnostics.ts';

/** What to do with a successful result (record output, retrieval documents …). */
export type OnResult = (span: Span, value: unknown) => void;

/** The `error.type` of a thrown value: its class name, else `_OTHER` (OTel's fallback). */
export function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor?.name || error.name || 'Error';
  return '_OTHER';
}

/** Records `error` on `span` and ends it; never throws. */
export function endWithError(span: Span, error: unknown): void {
  safely(
    'record an error on a span',
    () => {
      const message = error instanceof Error ? error.message : String(error);
      span.recordException(error instanceof Error ? error : { message, name: errorType(error) });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      span.setAttribute('error.type', errorType(error));
    },
    undefined,
  );
  safely('end a span', () => span.end(), undefined);
}

/** Records the result through `onResult` and ends `span`; never throws. */
export function endWithValue(span: Span, value: unknown, onResult: OnResult): void {
  safely('record a span result', () => onResult(span, value), undefined);
  safely('end a span', () => span.end(), undefined);
}

function tagOf(value: unknown): string {
  return Object.prototype.toString.call(value);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Collects yielded items for the output: joined when all are strings, else a list. */
class Yielded {
  readonly items: unknown[] = [];
  #dropped = 0;
  add(item: unknown): void {
    if (this.items.length < 10_000) this.items.push(item);
    else this.#dropped++;
  }
  value(): unknown {
    const all = this.items.every((i) => typeof i === 'string');
    if (all && this.#dropped === 0) return (this.items as string[]).join('');
    return this.#dropped > 0 ? [...this.items, `[${this.#dropped} more items]`] : this.items;
  }
}

/**
 * A generator that runs `inner` inside `ctx` (so spans started in its body are children of
 * `span`) and ends `span` when it finishes, fails or is closed early.
 */
function traceGenerator<G extends Generator | AsyncGenerator>(
  span: Span,
  ctx: Context,
  inner: G,
  onResult: OnResult,
): G {
  const isAsync = tagOf(inner) === '[object AsyncGenerator]';
  const yielded = new Yielded();
  let ended = false;
  const settle = (result: IteratorResult<unknown>) => {
    if (!result.done) yielded.add(result.value);
    else if (!ended) {
      ended = true;
      endWithValue(span, yielded.items.length > 0 ? yielded.value() : result.value, onResult);
    }
    return result;
  };
  const fail = (error: unknown): never => {
    if (!ended) {
      ended = true;
      endWithError(span, error);
    }
    throw error;
  };
  const step = (op: () => unknown) => {
    let result: unknown;
    try {
      result = context.with(ctx, op);
    } catch (error) {
      return fail(error);
    }
    if (!isAsync) return settle(result as IteratorResult<unknown>);
    return (result as Promise<IteratorResult<unknown>>).then(settle, fail);
  };
  const gen = inner as unknown as {
    next(...a: unknown[]): unknown;
    return(v?: unknown): unknown;
    throw(e?: unknown): unknown;
  };
  const wrapper = {
    next: (...args: unknown[]) => step(() => gen.next(...args)),
    return: (value?: unknown) => step(() => gen.return(value)),
    throw: (error?: unknown) => step(() => gen.throw(error)),
    [Symbol.toStringTag]: isAsync ? 'AsyncGenerator' : 'Generator',
    [isAsync ? Symbol.asyncIterator : Symbol.iterator]() {
      return wrapper;
    },
  };
  return wrapper as unknown as G;
}

/**
 * Ends `span` according to `result`: at once for a plain value, when a promise settles
 * (the same promise object is returned, so extra methods on it keep working), or when a
 * generator finishes.
 */
export function finishWith<T>(span: Span, ctx: Context, result: T, onResult: OnResult): T {
  const tag = tagOf(result);
  if (tag === '[object AsyncGenerator]' || tag === '[object Generator]') {
    return safely(
      'trace a generator',
      () => traceGenerator(span, ctx, result as Generator, onResult) as T,
      result,
    );
  }
  if (isThenable(result)) {
    try {
      // A side chain observes the promise; its handlers never throw, so it never rejects unhandled.
      result.then(
        (value) => endWithValue(span, value, onResult),
        (error: unknown) => endWithError(span, error),
      );
    } catch (error) {
      endWithError(span, error);
    }
    return result;
  }
  endWithValue(span, result, onResult);
  return result;
}
