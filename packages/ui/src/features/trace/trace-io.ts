/**
 * What a trace was asked and what it answered, for the view a trace opens on: the root span's
 * input and output where it recorded them, else the first model call's input and the last
 * model call's output.
 */
import type { Span } from '../../api-types.ts';
import { hasContent } from './span-content.ts';

/** One side of the trace's content and the span it came from. */
export interface TraceSide {
  value: unknown;
  span: Span;
}

/** The trace's input and output; either is undefined when no span recorded it. */
export interface TraceIO {
  input?: TraceSide;
  output?: TraceSide;
  /** Where the trace's failure started: the earliest failed span without a failed child. */
  error?: Span;
}

/** Finds the trace's input and output among its spans (`root` is the tree's first root). */
export function traceIO(spans: readonly Span[], root: Span | undefined): TraceIO {
  const calls = spans
    .filter((s) => s.kind === 'llm')
    .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  const withInput = calls.find((s) => hasContent(s.input));
  const withOutput = calls
    .filter((s) => hasContent(s.output))
    .sort((a, b) => Date.parse(a.endTime) - Date.parse(b.endTime))
    .at(-1);
  const input = root && hasContent(root.input) ? root : withInput;
  const output = root && hasContent(root.output) ? root : withOutput;
  // Errors propagate to the parents: name the failure where it started (a failed span with no
  // failed child), the earliest when there are several.
  const failed = spans.filter((s) => s.status === 'error');
  const error = failed
    .filter((s) => !failed.some((child) => child.parentSpanId === s.spanId))
    .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime))[0];
  return {
    input: input ? { value: input.input, span: input } : undefined,
    output: output ? { value: output.output, span: output } : undefined,
    error,
  };
}

/** True when the root span recorded input or output of its own. */
export function rootHasContent(root: Span | undefined): boolean {
  return Boolean(root && (hasContent(root.input) || hasContent(root.output)));
}
