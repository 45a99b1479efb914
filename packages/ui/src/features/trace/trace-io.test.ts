import { describe, expect, it } from 'vitest';
import type { Span } from '../../api-types.ts';
import { traceIO } from './trace-io.ts';

// Only the fields traceIO reads; the rest of a span does not matter here.
function span(
  id: string,
  kind: string,
  startMs: number,
  content: { input?: unknown; output?: unknown } = {},
) {
  return {
    spanId: id,
    kind,
    name: id,
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(startMs + 100).toISOString(),
    ...content,
  } as unknown as Span;
}

describe('traceIO', () => {
  it('takes the first model call input and the last model call output when the root recorded none', () => {
    const root = span('root', 'http', 0);
    const first = span('llm1', 'llm', 10, { input: 'question', output: 'tool call' });
    const last = span('llm2', 'llm', 50, { input: 'question + tool result', output: 'answer' });
    // Out of order on purpose: the API does not promise span order.
    const io = traceIO([last, root, first], root);
    expect(io.input?.span.spanId).toBe('llm1');
    expect(io.input?.value).toBe('question');
    expect(io.output?.span.spanId).toBe('llm2');
    expect(io.output?.value).toBe('answer');
  });

  it('names the span where the failure started, not the parents it propagated to', () => {
    const root = { ...span('root', 'http', 0), status: 'error' } as Span;
    const call = { ...span('call', 'llm', 30), status: 'error', parentSpanId: 'root' } as Span;
    const tool = { ...span('tool', 'tool', 10), status: 'error', parentSpanId: 'root' } as Span;
    expect(traceIO([root, call, tool], root).error?.spanId).toBe('tool');
    expect(traceIO([root, call], root).error?.spanId).toBe('call');
  });

  it("prefers the root's own input and output", () => {
    const root = span('root', 'chain', 0, { input: { q: 1 }, output: 'done' });
    const io = traceIO([root, span('llm', 'llm', 5, { input: 'x', output: 'y' })], root);
    expect(io.input?.span.spanId).toBe('root');
    expect(io.output?.value).toBe('done');
  });

  it('skips empty content ([] and {} count as nothing) and finds nothing in a trace without any', () => {
    const root = span('root', 'http', 0, { input: [], output: {} });
    expect(traceIO([root, span('tool', 'tool', 1, { input: 'x' })], root)).toEqual({
      input: undefined,
      output: undefined,
      error: undefined,
    });
  });
});
