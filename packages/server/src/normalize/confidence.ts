/**
 * The confidence step of normalization: a span's logprobs (events, the `argus.logprobs`
 * attribute or a recorded response) → its confidence fields, and its logprob events' token lists
 * replaced by the bounded lists kept for the trace view (behaviour/confidence does the math).
 */
import type { Span, SpanEvent } from '@argus/shared';
import {
  type ExtractedConfidence,
  LOGPROBS_CONTENT,
  LOGPROBS_COUNT,
  LOGPROBS_DROPPED,
  LOGPROBS_EVENT,
  LOGPROBS_MEAN,
} from '../behaviour/confidence/index.ts';

/**
 * Sets the confidence fields of `out` and puts the kept token lists on its (already mapped)
 * events; a list from a source without an event becomes a new `gen_ai.choice.logprobs` event at
 * the span's end. Warnings go to `warnings`.
 */
export function applyConfidence(out: Span, found: ExtractedConfidence, warnings: string[]): void {
  warnings.push(...found.warnings);
  const c = found.confidence;
  if (c !== undefined) {
    out.perplexity = c.perplexity;
    out.logprobMean = c.logprobMean;
    if (c.logprobMin !== undefined) out.logprobMin = c.logprobMin;
    if (c.topEntropyMean !== undefined) out.topEntropyMean = c.topEntropyMean;
    if (c.lowProbShare !== undefined) out.lowProbShare = c.lowProbShare;
    out.logprobTokens = c.logprobTokens;
  }
  for (const [index, kept] of found.eventContent) {
    const event = out.events[index];
    if (event === undefined) continue;
    event.attributes[LOGPROBS_CONTENT] = kept.content;
    if (kept.dropped > 0) event.attributes[LOGPROBS_DROPPED] = kept.dropped;
  }
  const extra = found.extraContent;
  if (extra !== undefined) {
    const attributes: SpanEvent['attributes'] = {
      'gen_ai.choice.index': 0,
      [LOGPROBS_COUNT]: extra.content.length + extra.dropped,
      [LOGPROBS_CONTENT]: extra.content,
    };
    if (c !== undefined && found.eventContent.size === 0) attributes[LOGPROBS_MEAN] = c.logprobMean;
    if (extra.dropped > 0) attributes[LOGPROBS_DROPPED] = extra.dropped;
    out.events.push({
      name: LOGPROBS_EVENT,
      time: out.endTime,
      timeUnixNano: out.endTimeUnixNano,
      attributes,
    });
  }
}
