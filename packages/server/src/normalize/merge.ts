/**
 * Joins GenAI content that arrived as log records (OTel 1.28–1.36 events, the ≥1.37 details
 * event) to its span. Logs may arrive before or after the span, so the store keeps them apart
 * and calls this when it assembles a trace.
 */
import type { Span } from '@argus/shared';
import { isEmptyContent, systemFromMessages, withFinishReasons, withSystemMessage } from './conversation.ts';
import { concatContents } from './event-content.ts';
import { fitContent, LimitTally } from './limits.ts';
import { DEFAULT_NORMALIZE_LIMITS, type NormalizeLimits, type SpanContent } from './types.ts';

/**
 * Fills the span's missing input/output/system instructions/tool definitions/finish reasons
 * from its log events. `contents` must be in time order (the store orders log rows by time);
 * messages of several events are concatenated in that order. Fields the span already has win.
 * Returns a new span; the argument is not changed.
 */
export function mergeSpanContent(
  span: Span,
  contents: readonly SpanContent[],
  limits: NormalizeLimits = DEFAULT_NORMALIZE_LIMITS,
): Span {
  if (contents.length === 0) return span;
  const logged = concatContents(contents);
  const tally = new LimitTally(limits);
  const out: Span = { ...span };
  if (isEmptyContent(out.input) && logged.input !== undefined) out.input = logged.input;
  if (isEmptyContent(out.output) && logged.output !== undefined) out.output = logged.output;
  if (isEmptyContent(out.toolDefinitions) && logged.toolDefinitions !== undefined) {
    out.toolDefinitions = logged.toolDefinitions;
  }
  if (isEmptyContent(out.systemInstructions)) {
    const instructions = logged.systemInstructions ?? systemFromMessages(out.input);
    if (instructions !== undefined) out.systemInstructions = instructions;
  }
  if (out.finishReasons.length === 0 && logged.finishReasons !== undefined)
    out.finishReasons = logged.finishReasons;
  out.input = fitContent(withSystemMessage(out.input, out.systemInstructions), tally);
  out.output = fitContent(withFinishReasons(out.output, out.finishReasons), tally);
  for (const key of ['input', 'output', 'systemInstructions', 'toolDefinitions'] as const) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}
