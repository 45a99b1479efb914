/**
 * One OTLP span → one canonical {@link Span}. Each mapping step reads every dialect; the order
 * of the steps only decides which step consumes a shared attribute.
 */
import type { Span, SpanEvent, SpanKind } from '@argus/shared';
import { extractConfidence, LOGPROBS_ATTRIBUTE } from '../behaviour/confidence/index.ts';
import type { AttrMap, OtlpScope, OtlpSpan, OtlpSpanEvent } from '../otlp/types.ts';
import { AttrBag } from './attr-bag.ts';
import { applyConfidence } from './confidence.ts';
import { mapContent } from './content.ts';
import { mapContext, mapService, mapStatus } from './context-fields.ts';
import { detectConvention } from './detect.ts';
import { mapKind, mapOperation } from './kind.ts';
import { capField, fitContentFields, LimitTally, sanitizeAttributes } from './limits.ts';
import { mapModel, mapParams } from './model.ts';
import { isoFromUnixNano, MAX_UNIX_NANO, mapTtft, msBetween, tokensPerSecond } from './time.ts';
import { mapCost, mapUsage } from './tokens.ts';
import { mapRetrievalDocuments, mapToolCall } from './tools.ts';
import type { NormalizeContext, NormalizeLimits, Retention } from './types.ts';
import { checkId, checkParentId, checkRetained } from './validate.ts';

/** A span with the resource and scope it arrived under. */
export interface SpanInput {
  span: OtlpSpan;
  resource: AttrMap;
  scope: OtlpScope;
  /** The resource's reader and stored attributes, made once for all spans of a request's resource. */
  shared?: SharedResource;
}

/** What every span of one resource shares: built once per `ResourceSpans`, not per span. */
export interface SharedResource {
  /** A reader of the resource attributes (the mapping only reads them: nothing is consumed from it). */
  bag: AttrBag;
  /** The stored `resourceAttributes` (frozen: every span of the resource holds this object). */
  attributes: Readonly<Record<string, unknown>>;
  /** What the limits cut while sanitizing them, added to each span's own count. */
  truncated: number;
  droppedAttributes: number;
}

/** The shared part of the spans of one resource, under the request's limits. */
export function sharedResource(resource: AttrMap, limits: NormalizeLimits): SharedResource {
  const tally = new LimitTally(limits);
  const attributes = Object.freeze(sanitizeAttributes(resource, tally));
  return {
    bag: new AttrBag(resource),
    attributes,
    truncated: tally.truncated,
    droppedAttributes: tally.droppedAttributes,
  };
}

/** Kinds whose usage is their own; other spans that report usage repeat their children's. */
export const LEAF_KINDS: ReadonlySet<SpanKind> = new Set(['llm', 'embedding']);

/** Event times are informational: out-of-range ones are clamped rather than rejecting the span. */
function clampTime(ns: bigint): bigint {
  return ns < 0n ? 0n : ns > MAX_UNIX_NANO ? MAX_UNIX_NANO : ns;
}

function mapEvents(events: readonly OtlpSpanEvent[], tally: LimitTally): SpanEvent[] {
  const kept = events.slice(0, tally.limits.maxAttributes);
  tally.droppedAttributes += events.length - kept.length;
  return kept.map((e) => ({
    name: capField(e.name, tally),
    time: isoFromUnixNano(clampTime(e.timeUnixNano)),
    timeUnixNano: clampTime(e.timeUnixNano).toString(),
    attributes: sanitizeAttributes(e.attributes, tally),
  }));
}

/** Validated identity and times; `warnings` collects what was repaired. */
function identity(span: OtlpSpan, warnings: string[], retention: Retention | undefined) {
  const traceId = checkId('span', 'traceId', span.traceId, 32);
  const spanId = checkId('span', 'spanId', span.spanId, 16);
  const parentSpanId = checkParentId(span.parentSpanId.toLowerCase());
  const startNs = checkRetained('span', 'startTimeUnixNano', span.startTimeUnixNano, retention);
  let endNs = span.endTimeUnixNano;
  if (endNs < startNs || endNs > MAX_UNIX_NANO) {
    const why = endNs < startNs ? `is before startTimeUnixNano ${startNs}` : 'is after 2262-04-11';
    warnings.push(`endTimeUnixNano ${endNs} ${why}; end set to start`);
    endNs = startNs;
  }
  return { traceId, spanId, parentSpanId, startNs, endNs };
}

/** Caps every free-text scalar and list field of the span at the attribute value limit. */
export function capScalars(out: Span, tally: LimitTally): void {
  const fields = [
    'name',
    'serviceName',
    'serviceVersion',
    'environment',
    'scope',
    'statusMessage',
    'errorType',
    'provider',
    'operation',
    'requestModel',
    'responseModel',
    'responseId',
    'toolName',
    'toolCallId',
    'sessionId',
    'userId',
    'conversationId',
  ] as const;
  for (const f of fields) out[f] = capField(out[f], tally);
  out.tags = out.tags.map((t) => capField(t, tally));
  out.finishReasons = out.finishReasons.map((r) => capField(r, tally));
  if (out.params.stopSequences)
    out.params.stopSequences = out.params.stopSequences.map((s) => capField(s, tally));
  for (const [k, v] of Object.entries(out.metadata)) out.metadata[k] = capField(v, tally);
}

/**
 * Normalizes one span. Throws `ArgusError('INVALID_SPAN')` for spans that cannot be stored
 * (bad ids or times) and repairs everything else: a negative duration clamps the end to the
 * start with an `argus.warning`, over-long values are truncated, NaN/Infinity dropped.
 */
export function normalizeSpan(input: SpanInput, ctx: NormalizeContext): Span {
  const { span, scope } = input;
  const warnings: string[] = [];
  const { traceId, spanId, parentSpanId, startNs, endNs } = identity(span, warnings, ctx.retention);
  const tally = new LimitTally(ctx.limits);
  const attrs = new AttrBag(span.attributes);
  const shared = input.shared ?? sharedResource(input.resource, ctx.limits);
  const resource = shared.bag;
  const convention = detectConvention(scope.name, attrs, resource);
  const kind = mapKind(attrs, span.name);
  const durationMs = msBetween(startNs, endNs);
  const usage = mapUsage(attrs);
  const ttftMs = mapTtft(attrs, span.events, startNs);
  const content = mapContent(attrs, span.events, kind);
  const out: Span = {
    projectId: ctx.projectId,
    traceId,
    spanId,
    parentSpanId,
    name: span.name,
    kind,
    ...mapService(attrs, resource),
    scope: scope.name,
    startTime: isoFromUnixNano(startNs),
    endTime: isoFromUnixNano(endNs),
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: endNs.toString(),
    durationMs,
    ...mapStatus(attrs, span.status, span.events),
    ...mapModel(attrs),
    operation: mapOperation(attrs, kind),
    params: mapParams(attrs, span.name),
    ...usage,
    // Set by @argus/sdk when a stream reported no usage and it estimated the counts.
    tokensEstimated: usageEstimated(attrs),
    ...mapCost(attrs, usage),
    finishReasons: content.finishReasons,
    responseId: content.responseId,
    ...mapToolCall(attrs, kind),
    ...mapContext(attrs, ctx.limits.maxAttributes),
    attributes: {},
    resourceAttributes: {},
    events: mapEvents(span.events, tally),
    convention,
  };
  // Optional fields are set only when present (never `undefined`, which JSON would drop anyway).
  setDefined(out, {
    ttftMs,
    tokensPerSecond: tokensPerSecond(usage.outputTokens, durationMs, ttftMs),
    ...fitContentFields({ ...content, retrievalDocuments: mapRetrievalDocuments(attrs) }, tally),
  });
  capScalars(out, tally);
  applyConfidence(out, extractConfidence({ events: span.events, extra: logprobsAttribute(attrs) }), warnings);
  out.resourceAttributes = shared.attributes as Record<string, unknown>;
  tally.truncated += shared.truncated;
  tally.droppedAttributes += shared.droppedAttributes;
  out.attributes = sanitizeAttributes(attrs.rest(), tally);
  annotate(out, tally, warnings, LEAF_KINDS.has(kind));
  return out;
}

/** Sets the optional fields that have a value (never `undefined`, which JSON would drop anyway). */
export function setDefined(out: Span, fields: Partial<Span>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
}

/** Adds the `argus.*` attributes that explain what normalization changed. */
export function annotate(out: Span, tally: LimitTally, warnings: string[], isLeaf: boolean): void {
  const usageReported = out.inputTokens + out.outputTokens + out.totalTokens > 0 || out.costUsd > 0;
  // The store sums usage of leaf llm/embedding spans only; the flag documents why for readers.
  if (!isLeaf && usageReported) out.attributes['argus.usage_scope'] = 'aggregate';
  if (warnings.length > 0) out.attributes['argus.warning'] = warnings.join('; ');
  if (tally.truncated > 0) out.attributes['argus.truncated'] = tally.truncated;
  if (tally.droppedAttributes > 0) out.attributes['argus.dropped_attributes'] = tally.droppedAttributes;
}

/** The `argus.logprobs` attribute (local models' convention), consumed: its tokens become an event. */
function logprobsAttribute(attrs: AttrBag): unknown {
  const value = attrs.get(LOGPROBS_ATTRIBUTE);
  if (value !== undefined) attrs.consume(LOGPROBS_ATTRIBUTE);
  return value ?? undefined;
}

/** The SDK's `argus.usage.estimated` marker (boolean or the string 'true'), consumed. */
function usageEstimated(attrs: AttrBag): boolean {
  const value = attrs.get('argus.usage.estimated');
  if (value === undefined) return false;
  attrs.consume('argus.usage.estimated');
  return value === true || value === 'true';
}
