/**
 * One LangSmith run → one canonical {@link Span}, with the same limits, truncation and
 * `argus.*` annotations as the OTLP normalizer (its helpers, not a copy). Pure: the run API
 * merges a create with its updates first, then calls this once per finished run.
 */
import type { Span, SpanKind } from '@argus/shared';
import { extractConfidence, responseLogprobs } from '../behaviour/confidence/index.ts';
import { ArgusError } from '../errors.ts';
import { applyConfidence } from '../normalize/confidence.ts';
import { defaultOperation } from '../normalize/kind.ts';
import { fitContentFields, LimitTally, sanitizeAttributes } from '../normalize/limits.ts';
import { annotate, capScalars, LEAF_KINDS, setDefined } from '../normalize/span.ts';
import { isoFromUnixNano, msBetween, tokensPerSecond } from '../normalize/time.ts';
import type { NormalizeContext } from '../normalize/types.ts';
import { checkId, checkParentId, checkRetained } from '../normalize/validate.ts';
import { isRecord, record, toText } from '../normalize/values.ts';
import { type LangsmithRun, lineageOf, parseDottedOrder, spanIdOf } from './run.ts';
import { runContent, runEvents } from './run-content.ts';
import { metadataOf, runContext, runModel, runParams, runStatus, runTimeNs, runUsage } from './run-fields.ts';

/** `run_type` → canonical kind (conventions.md table 3.2, column LangSmith). */
const RUN_KINDS: Record<string, SpanKind> = {
  llm: 'llm',
  chain: 'chain',
  tool: 'tool',
  retriever: 'retriever',
  embedding: 'embedding',
  // A prompt template step formats text between model calls: chain, as in the OTel path (normalize/kind.ts).
  prompt: 'chain',
  parser: 'chain',
};

/** The canonical kind of a `run_type`; unknown types are `other`. */
export function kindOfRunType(runType: unknown): SpanKind {
  const key = toText(runType)?.toLowerCase();
  return key !== undefined && Object.hasOwn(RUN_KINDS, key) ? RUN_KINDS[key]! : 'other';
}

/** Options of {@link normalizeRun}. */
export interface NormalizeRunOptions {
  /**
   * The run never finished here (evicted from the pending map or flushed at shutdown): it is
   * written with status unset, end = start and `argus.incomplete = true`.
   */
  incomplete?: boolean;
}

/** Start time: `start_time`, else the time of the run's own `dotted_order` segment. */
function startOf(run: LangsmithRun): bigint | undefined {
  const fromField = runTimeNs(run.start_time);
  if (fromField !== undefined || typeof run.dotted_order !== 'string' || run.dotted_order === '')
    return fromField;
  const segments = parseDottedOrder(run.dotted_order, run.id);
  return runTimeNs(segments[segments.length - 1]!.time);
}

/** Raw run fields kept as attributes, so the mapping can be re-run. */
function rawAttributes(run: LangsmithRun, droppedTokenEvents: number): Record<string, unknown> {
  const extra = isRecord(run.extra) ? run.extra : {};
  const meta = metadataOf(run);
  const raw: Record<string, unknown> = record<unknown>();
  raw['langsmith.run_id'] = run.id;
  raw['langsmith.run_type'] = run.run_type;
  raw['langsmith.dotted_order'] = run.dotted_order;
  raw['langsmith.session_id'] = run.session_id;
  raw['langsmith.reference_example_id'] = run.reference_example_id;
  raw['langsmith.invocation_params'] = extra.invocation_params ?? meta.ls_invocation_params;
  if (isRecord(run.serialized) && Object.keys(run.serialized).length > 0)
    raw['langsmith.serialized'] = run.serialized;
  if (droppedTokenEvents > 0) raw['langsmith.new_token_events'] = droppedTokenEvents + 1;
  return raw;
}

/**
 * Normalizes one (merged) run. Throws `ArgusError` `INVALID_RUN` / `INVALID_SPAN` for runs that
 * cannot be stored (no usable ids or start time); repairs the rest like the OTLP path does.
 */
export function normalizeRun(
  run: LangsmithRun,
  ctx: NormalizeContext,
  options: NormalizeRunOptions = {},
): Span {
  const { traceId, parentSpanId } = lineageOf(run);
  const start = startOf(run);
  if (start === undefined) {
    throw new ArgusError(
      'INVALID_RUN',
      `Cannot accept run '${run.id}': 'start_time' is ${JSON.stringify(run.start_time) ?? 'missing'}, expected an ISO 8601 time or epoch milliseconds`,
    );
  }
  const startNs = checkRetained('run', 'start_time', start, ctx.retention);
  const warnings: string[] = [];
  let endNs = options.incomplete ? startNs : (runTimeNs(run.end_time) ?? startNs);
  if (endNs < startNs) {
    warnings.push(`end_time ${endNs} is before start_time ${startNs}; end set to start`);
    endNs = startNs;
  }
  const tally = new LimitTally(ctx.limits);
  const kind = kindOfRunType(run.run_type);
  const meta = metadataOf(run);
  const usage = runUsage(run, meta);
  const content = runContent(run, kind);
  const { events, ttftMs, droppedTokenEvents } = runEvents(run.events, startNs, tally);
  const durationMs = msBetween(startNs, endNs);
  const extra = isRecord(run.extra) ? run.extra : {};
  const runtime = isRecord(extra.runtime) ? extra.runtime : {};
  const status = options.incomplete
    ? { status: 'unset' as const, statusMessage: '', errorType: '' }
    : runStatus(run.error);
  const out: Span = {
    projectId: ctx.projectId,
    traceId: checkId('run', 'trace_id', traceId, 32),
    spanId: checkId('run', 'id', spanIdOf(run.id), 16),
    parentSpanId: checkParentId(parentSpanId),
    name: toText(run.name) ?? toText(run.run_type) ?? 'run',
    kind,
    serviceName: toText(run.session_name) ?? 'default',
    serviceVersion: toText(meta.revision_id) ?? '',
    environment: toText(meta.ls_environment ?? meta.environment) ?? 'default',
    scope: toText(runtime.sdk) ?? 'langsmith',
    startTime: isoFromUnixNano(startNs),
    endTime: isoFromUnixNano(endNs),
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: endNs.toString(),
    durationMs,
    ...status,
    ...runModel(run, meta),
    operation: defaultOperation(kind, toText(meta.ls_model_type) === 'llm'),
    params: kind === 'llm' || kind === 'embedding' ? runParams(run, meta, kind) : {},
    ...usage,
    tokensEstimated: false,
    finishReasons: content.finishReasons,
    responseId: content.responseId,
    toolName: kind === 'tool' ? (toText(run.name) ?? '') : '',
    toolCallId: kind === 'tool' && isRecord(run.inputs) ? (toText(run.inputs.tool_call_id) ?? '') : '',
    ...runContext(run, meta, ctx.limits.maxAttributes),
    attributes: {},
    resourceAttributes: {},
    events,
    convention: 'langsmith',
  };
  setDefined(out, {
    ttftMs,
    tokensPerSecond: tokensPerSecond(usage.outputTokens, durationMs, ttftMs),
    ...fitContentFields(content, tally),
  });
  capScalars(out, tally);
  // A recorded OpenAI-format response keeps its logprobs: confidence like an OTLP span's.
  const logprobs = kind === 'llm' ? responseLogprobs(run.outputs) : undefined;
  if (logprobs !== undefined)
    applyConfidence(
      out,
      extractConfidence({ events: [], extra: logprobs, extraName: 'the logprobs of outputs' }),
      warnings,
    );
  out.resourceAttributes = sanitizeAttributes(runtime, tally);
  out.attributes = sanitizeAttributes(rawAttributes(run, droppedTokenEvents), tally);
  if (options.incomplete) out.attributes['argus.incomplete'] = true;
  annotate(out, tally, warnings, LEAF_KINDS.has(kind));
  return out;
}
