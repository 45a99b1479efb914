/**
 * Which convention produced a span, from its scope name and attribute keys. The answer is
 * stored on the span (`convention`) for debugging and back-fills; the mapping itself reads
 * every dialect regardless, because libraries mix them.
 */
import type { AttrBag } from './attr-bag.ts';

/** Conventions the normalizer recognizes. */
export type Convention =
  | 'otel_genai'
  | 'openinference'
  | 'openllmetry'
  | 'openlit'
  | 'vercel_ai'
  | 'langfuse'
  | 'langsmith'
  | 'otel';

/** Keys only OpenLLMetry (Traceloop) emits. */
const OPENLLMETRY_KEYS = [
  'llm.request.type',
  'llm.usage.total_tokens',
  'llm.is_streaming',
  'traceloop.span.kind',
];
/** Keys only legacy OpenLIT emitted (later moved to resource attributes). */
const OPENLIT_LEGACY_KEYS = ['gen_ai.application_name', 'gen_ai.endpoint', 'gen_ai.environment'];

/** Detects the convention; vendor-specific markers win over the shared OTel GenAI keys they also use. */
export function detectConvention(scopeName: string, attrs: AttrBag, resource: AttrBag): Convention {
  const scope = scopeName.toLowerCase();
  if (scope.startsWith('langfuse') || attrs.hasPrefix('langfuse.')) return 'langfuse';
  if (scope.includes('langsmith') || attrs.hasPrefix('langsmith.')) return 'langsmith';
  if (
    scope === 'ai' ||
    scope.startsWith('@ai-sdk/') ||
    attrs.has('ai.operationId') ||
    attrs.hasPrefix('ai.model.')
  ) {
    return 'vercel_ai';
  }
  if (scope.includes('openinference') || attrs.has('openinference.span.kind')) return 'openinference';
  if (
    scope.startsWith('@traceloop/') ||
    scope.startsWith('traceloop') ||
    attrs.hasPrefix('traceloop.') ||
    OPENLLMETRY_KEYS.some((k) => attrs.has(k)) ||
    attrs.hasPrefix('gen_ai.prompt.0.') ||
    attrs.hasPrefix('gen_ai.completion.0.')
  ) {
    return 'openllmetry';
  }
  if (
    scope.startsWith('openlit') ||
    scope.startsWith('@openlit/') ||
    attrs.get('telemetry.sdk.name') === 'openlit' ||
    resource.get('telemetry.sdk.name') === 'openlit' ||
    OPENLIT_LEGACY_KEYS.some((k) => attrs.has(k))
  ) {
    return 'openlit';
  }
  return attrs.hasPrefix('gen_ai.') ? 'otel_genai' : 'otel';
}
