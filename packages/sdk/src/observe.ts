/**
 * `observe()`: runs a function of the application (a chain step, tool, retriever, agent …)
 * inside an active span, recording its input, output and errors with the attributes the Argus
 * normalizer maps (OTel GenAI `gen_ai.operation.name` where the spec has a value, OpenInference
 * `openinference.span.kind` otherwise; `input.value`/`output.value`, tool call arguments and
 * results, retrieval documents). Errors are re-thrown unchanged; instrumentation never throws.
 */
import { type Attributes, context, INVALID_SPAN_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { getConfig } from './config.ts';
import { safely } from './diagnostics.ts';
import { documentsAttribute, documentsOf } from './retrieval.ts';
import { captureText } from './serialize.ts';
import { endWithError, finishWith } from './span-result.ts';
import { getTracer } from './tracer.ts';

/** What an observed function does; decides the span's kind in Argus. */
export type ObserveKind =
  | 'chain'
  | 'tool'
  | 'retriever'
  | 'agent'
  | 'embedding'
  | 'workflow'
  | 'llm'
  | 'guardrail'
  | 'evaluator';

/** Options of {@link observe} and `observe.wrap`. */
export interface ObserveOptions {
  /** Default `chain`. */
  kind?: ObserveKind;
  /** Extra span attributes (they win over the ones Argus sets). */
  attributes?: Attributes;
  /** Record the arguments (or `input`) as the span input (default true; `captureContent` must be on). */
  captureInput?: boolean;
  /** Record the return value as the span output (default true; `captureContent` must be on). */
  captureOutput?: boolean;
  /** The input to record for `observe()` (`observe.wrap` records the call's arguments). */
  input?: unknown;
}

/** Kind attributes: the OTel GenAI operation where one exists, else the OpenInference kind. */
const KIND_ATTRIBUTES: Record<ObserveKind, Attributes> = {
  llm: { 'gen_ai.operation.name': 'chat' },
  embedding: { 'gen_ai.operation.name': 'embeddings' },
  retriever: { 'gen_ai.operation.name': 'retrieval' },
  tool: { 'gen_ai.operation.name': 'execute_tool' },
  agent: { 'gen_ai.operation.name': 'invoke_agent' },
  workflow: { 'gen_ai.operation.name': 'invoke_workflow' },
  chain: { 'openinference.span.kind': 'CHAIN' },
  guardrail: { 'openinference.span.kind': 'GUARDRAIL' },
  evaluator: { 'openinference.span.kind': 'EVALUATOR' },
};

/** Tool spans use the OTel tool-call attributes; the rest OpenInference `input`/`output`. */
function contentKeys(kind: ObserveKind) {
  return kind === 'tool'
    ? { input: 'gen_ai.tool.call.arguments', output: 'gen_ai.tool.call.result', mime: false }
    : { input: 'input.value', output: 'output.value', mime: true };
}

function setContent(span: Span, kind: ObserveKind, which: 'input' | 'output', value: unknown): void {
  const keys = contentKeys(kind);
  const captured = captureText(value, !keys.mime);
  span.setAttribute(keys[which], captured.text);
  if (keys.mime) span.setAttribute(`${which}.mime_type`, captured.mimeType);
}

function startAttributes(name: string, kind: ObserveKind, options: ObserveOptions): Attributes {
  const attributes: Attributes = { ...KIND_ATTRIBUTES[kind] };
  if (kind === 'tool') attributes['gen_ai.tool.name'] = name;
  if (kind === 'agent') attributes['gen_ai.agent.name'] = name;
  return { ...attributes, ...options.attributes };
}

function shouldCapture(flag: boolean | undefined): boolean {
  return flag !== false && getConfig().captureContent;
}

/** Records the output (or, for retrievers returning documents, the documents). */
function recordOutput(kind: ObserveKind, options: ObserveOptions) {
  return (span: Span, value: unknown) => {
    if (!span.isRecording()) return;
    const docs = kind === 'retriever' ? documentsOf(value) : undefined;
    if (docs !== undefined) {
      span.setAttribute(
        'gen_ai.retrieval.documents',
        documentsAttribute(docs, shouldCapture(options.captureOutput)),
      );
    } else if (value !== undefined && shouldCapture(options.captureOutput)) {
      setContent(span, kind, 'output', value);
    }
  };
}

const NOOP_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Runs `call` inside a new active span and ends the span from its result. */
function run<T>(
  name: string,
  options: ObserveOptions,
  input: { value: unknown } | undefined,
  call: (span: Span) => T,
): T {
  const kind = options.kind && Object.hasOwn(KIND_ATTRIBUTES, options.kind) ? options.kind : 'chain';
  const span = safely(
    'start a span',
    () => {
      const started = getTracer().startSpan(String(name), {
        attributes: startAttributes(name, kind, options),
      });
      const wanted = input !== undefined && input.value !== undefined && shouldCapture(options.captureInput);
      if (wanted && started.isRecording()) {
        safely('record a span input', () => setContent(started, kind, 'input', input?.value), undefined);
      }
      return started;
    },
    undefined,
  );
  if (span === undefined) return call(NOOP_SPAN);
  const ctx = safely('activate a span', () => trace.setSpan(context.active(), span), undefined);
  let result: T;
  try {
    result = ctx === undefined ? call(span) : context.with(ctx, call, undefined, span);
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
  return finishWith(span, ctx ?? context.active(), result, recordOutput(kind, options));
}

/** The call's arguments as one input value: the argument itself when there is one, else the list. */
function inputOf(args: readonly unknown[]): { value: unknown } | undefined {
  if (args.length === 0) return undefined;
  return { value: args.length === 1 ? args[0] : args };
}

/** `observe()` and its `wrap` helper. */
export interface Observe {
  /**
   * Runs `fn` (sync, async, or a generator function) inside an active span named `name` and
   * returns its result unchanged; `fn` receives the span. Errors are recorded and re-thrown.
   * @example const docs = await observe('search', () => index.query(q), { kind: 'retriever', input: q });
   */
  <T>(name: string, fn: (span: Span) => T, options?: ObserveOptions): T;
  /**
   * Returns `fn` wrapped so every call runs in its own span, recording the arguments as input;
   * same signature and `this`.
   * @example const search = observe.wrap('search', searchDocs, { kind: 'retriever' });
   */
  wrap<F extends (...args: never[]) => unknown>(name: string, fn: F, options?: ObserveOptions): F;
}

function observeFn<T>(name: string, fn: (span: Span) => T, options: ObserveOptions = {}): T {
  const input = options.input === undefined ? undefined : { value: options.input };
  return run(name, options ?? {}, input, fn);
}

function wrap<F extends (...args: never[]) => unknown>(name: string, fn: F, options: ObserveOptions = {}): F {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return run(name, options ?? {}, inputOf(args), () => fn.apply(this, args as Parameters<F>));
  };
  safely(
    'name a wrapped function',
    () => Object.defineProperty(wrapped, 'name', { value: fn.name }),
    undefined,
  );
  return wrapped as unknown as F;
}

/** Traces application steps; see {@link Observe}. */
export const observe: Observe = Object.assign(observeFn, { wrap });
