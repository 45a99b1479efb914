/**
 * One traced LLM call: its CLIENT span, what the operation adapter records on it, and the
 * one-time ending (response, stream end, error or abandonment). Nothing here throws into the
 * application: every recording step is guarded, and errors are recorded, never replaced.
 */
import { type Attributes, type Span, SpanKind, type Tracer } from '@opentelemetry/api';
import { safely, warn } from '../diagnostics.ts';
import { endWithError } from '../span-result.ts';
import { type CapturedMessage, isObj, type Obj, toJson } from './parts.ts';
import type { Endpoint } from './provider.ts';

/** Collects a streamed answer chunk by chunk. */
export interface StreamRecorder {
  /** Observes one chunk; true when it carried generated content (the first such chunk sets TTFT). */
  add(chunk: unknown): boolean;
  /** Records what the stream produced (output, usage — estimated when the stream had none). */
  finish(): void;
}

/** How one API operation (chat, Responses, embeddings, Anthropic messages …) is recorded. */
export interface OperationAdapter {
  /** `gen_ai.operation.name`. */
  operation: 'chat' | 'embeddings' | 'text_completion';
  /** Request parameters as attributes (never content). */
  request(body: Obj, out: Attributes): void;
  /** Input content as attributes (`gen_ai.input.messages` …); called only when capturing. */
  content(body: Obj, out: Attributes): void;
  /** Records a complete response. */
  response(call: LlmCall, data: unknown): void;
  /** Starts recording a streamed response. */
  stream?(call: LlmCall): StreamRecorder;
}

/** What a wrapped client fixes for all its calls. */
export interface ClientSettings {
  endpoint: Endpoint;
  /** A tracer given in the options, else undefined (the Argus tracer is looked up per call). */
  tracer: Tracer | undefined;
  /** The `captureContent` option, else undefined (the SDK configuration decides per call). */
  captureContent: boolean | undefined;
}

/** Token usage as an adapter reads it; input already includes cached tokens. */
export interface Usage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** A started call. */
export class LlmCall {
  readonly span: Span;
  readonly body: Obj;
  readonly capture: boolean;
  readonly startMs = performance.now();
  /** Set once the SDK started parsing the body (a raw `asResponse()` then does not end the span). */
  parseStarted = false;
  #adapter: OperationAdapter;
  #ended = false;
  #observed = false;
  #chunks = 0;
  #ttftMs: number | undefined;

  constructor(span: Span, body: Obj, adapter: OperationAdapter, capture: boolean) {
    this.span = span;
    this.body = body;
    this.#adapter = adapter;
    this.capture = capture;
  }

  /** Whether the span has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Takes the SDK's parsed result: a stream gets its iterator traced by `traceStream`, anything
   * else is recorded as the response and ends the span. Returns `data` unchanged.
   */
  onData<T>(data: T, traceStream: (stream: object, recorder: StreamRecorder) => void): T {
    // Helpers that parse twice (two awaits of derived promises) are recorded once.
    if (this.#ended || this.#observed) return data;
    this.#observed = true;
    const adapter = this.#adapter;
    if (this.body.stream === true && adapter.stream !== undefined && isAsyncIterable(data)) {
      const traced = safely(
        'trace a stream',
        () => {
          traceStream(data, adapter.stream!(this));
          return true;
        },
        false,
      );
      if (!traced) this.end();
      return data;
    }
    safely('record a response', () => adapter.response(this, data), undefined);
    this.end();
    return data;
  }

  /** Counts a streamed chunk and notes the time of the first one with content. */
  chunk(recorder: StreamRecorder, value: unknown): void {
    if (this.#ended) return;
    this.#chunks++;
    // Inline guard instead of `safely`: this runs once per chunk and must not allocate.
    let hasContent = false;
    try {
      hasContent = recorder.add(value);
    } catch (error) {
      warn('Cannot record a stream chunk', error);
    }
    if (hasContent && this.#ttftMs === undefined) this.#ttftMs = performance.now() - this.startMs;
  }

  /** Records a finished (or, with `abandoned`, closed early) stream and ends the span. */
  finishStream(recorder: StreamRecorder, abandoned: boolean): void {
    if (this.#ended) return;
    safely(
      'record a stream',
      () => {
        recorder.finish();
        const attrs: Attributes = { 'argus.stream.chunk_count': this.#chunks };
        if (this.#ttftMs !== undefined) attrs['gen_ai.response.time_to_first_chunk'] = this.#ttftMs / 1000;
        if (abandoned) attrs['argus.stream.abandoned'] = true;
        this.span.setAttributes(attrs);
      },
      undefined,
    );
    this.end();
  }

  /** Ends a call whose raw `Response` the application took instead of the parsed body. */
  endRaw(response: unknown): void {
    if (this.parseStarted || this.#ended) return;
    const status = isObj(response) ? response.status : undefined;
    if (typeof status === 'number')
      safely('record a status', () => this.span.setAttribute('http.response.status_code', status), undefined);
    this.end();
  }

  /** Records `error` (status ERROR, `error.type`, exception event) and ends the span. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    const status = isObj(error) ? error.status : undefined;
    if (typeof status === 'number')
      safely('record a status', () => this.span.setAttribute('http.response.status_code', status), undefined);
    endWithError(this.span, error);
  }

  /** Ends the span once. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    safely('end a span', () => this.span.end(), undefined);
  }

  /** Sets response id, model and finish reasons when known. */
  setResponse(id: unknown, model: unknown, finishReasons: readonly string[]): void {
    const attrs: Attributes = {};
    if (typeof id === 'string') attrs['gen_ai.response.id'] = id;
    if (typeof model === 'string') attrs['gen_ai.response.model'] = model;
    if (finishReasons.length > 0) attrs['gen_ai.response.finish_reasons'] = [...finishReasons];
    this.span.setAttributes(attrs);
  }

  /** Sets the usage attributes; `estimated` marks counts the SDK estimated itself. */
  setUsage(usage: Usage, estimated = false): void {
    const attrs: Attributes = {};
    if (usage.input !== undefined) attrs['gen_ai.usage.input_tokens'] = usage.input;
    if (usage.output !== undefined) attrs['gen_ai.usage.output_tokens'] = usage.output;
    if (usage.cacheRead !== undefined) attrs['gen_ai.usage.cache_read.input_tokens'] = usage.cacheRead;
    if (usage.cacheWrite !== undefined) attrs['gen_ai.usage.cache_creation.input_tokens'] = usage.cacheWrite;
    if (usage.reasoning !== undefined) attrs['gen_ai.usage.reasoning.output_tokens'] = usage.reasoning;
    if (estimated) attrs['argus.usage.estimated'] = true;
    this.span.setAttributes(attrs);
  }

  /** Sets `gen_ai.output.messages` when capturing content. */
  setOutput(messages: CapturedMessage[]): void {
    if (!this.capture || messages.length === 0) return;
    const text = toJson(messages);
    if (text !== undefined) this.span.setAttribute('gen_ai.output.messages', text);
  }
}

/** Whether a value can be iterated with `for await`. */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> & object {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/** Starts the span of a call: name `{operation} {model}`, CLIENT, sampling attributes first. */
export function startSpan(
  tracer: Tracer,
  adapter: OperationAdapter,
  settings: ClientSettings,
  body: Obj,
): Span {
  const model = typeof body.model === 'string' ? body.model : undefined;
  const { provider, address, port } = settings.endpoint;
  const attributes: Attributes = {
    'gen_ai.operation.name': adapter.operation,
    'gen_ai.provider.name': provider,
  };
  if (model !== undefined) attributes['gen_ai.request.model'] = model;
  if (address !== undefined) attributes['server.address'] = address;
  if (port !== undefined) attributes['server.port'] = port;
  const name = model === undefined ? adapter.operation : `${adapter.operation} ${model}`;
  return tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
}
