/**
 * A whole OTLP traces request → canonical spans, with OTLP partial-success bookkeeping: one bad
 * span never rejects its neighbours.
 */
import type { Span } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import type { TracesRequest } from '../otlp/types.ts';
import { normalizeSpan, type SharedResource, sharedResource } from './span.ts';
import type { NormalizeContext } from './types.ts';
import { Rejections } from './validate.ts';

/** Spans kept, how many were rejected, and up to 10 distinct reasons for `partialSuccess.errorMessage`. */
export interface NormalizeTracesResult {
  spans: Span[];
  rejected: number;
  errors: string[];
}

/** Normalizes every span of a request; each failure is counted and explained, never thrown. */
export function normalizeTraces(req: TracesRequest, ctx: NormalizeContext): NormalizeTracesResult {
  const spans: Span[] = [];
  const rejections = new Rejections();
  for (const rs of req.resourceSpans) {
    let shared: SharedResource | undefined;
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        if (span.unreadable !== undefined) {
          rejections.add(new ArgusError('INVALID_SPAN', span.unreadable));
          continue;
        }
        try {
          shared ??= sharedResource(rs.resource.attributes, ctx.limits);
          spans.push(normalizeSpan({ span, resource: rs.resource.attributes, scope: ss.scope, shared }, ctx));
        } catch (error) {
          rejections.add(error);
        }
      }
    }
  }
  return { spans, rejected: rejections.count, errors: rejections.errors };
}
