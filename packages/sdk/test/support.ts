/**
 * Test helpers: read a trace back from a real Argus server and pick its spans by name.
 */

import type { Span, TraceDetail } from '@argus/shared';
import type { TestServer } from '../../server/test/support/server.ts';

/** The trace API's answer. */
export type TraceReply = TraceDetail;

/** Reads a trace, retrying briefly until it has at least `minSpans` spans. */
export async function readTrace(argus: TestServer, traceId: string, minSpans = 1): Promise<TraceReply> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const trace = await argus.get<TraceReply>(`/api/v1/traces/${traceId}`);
      if (trace.spans.length >= minSpans || Date.now() > deadline) return trace;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The one span named `name`. */
export function spanNamed(trace: TraceReply, name: string): Span {
  const found = trace.spans.filter((s) => s.name === name);
  if (found.length !== 1)
    throw new Error(
      `Expected one span '${name}', found ${found.length}: ${trace.spans.map((s) => s.name).join(', ')}`,
    );
  return found[0]!;
}
