/**
 * Span kind (conventions.md table 3.2) and operation name. Explicit vendor kinds win, then the
 * OTel operation name, then library-specific hints, then fallbacks on what attributes exist.
 */
import type { SpanKind } from '@argus/shared';
import type { AttrBag } from './attr-bag.ts';
import { toText } from './values.ts';

const LANGFUSE_TYPES: Record<string, SpanKind> = {
  generation: 'llm',
  embedding: 'embedding',
  agent: 'agent',
  tool: 'tool',
  chain: 'chain',
  span: 'chain',
  retriever: 'retriever',
  guardrail: 'guardrail',
  evaluator: 'evaluator',
  event: 'other',
};

/** OpenInference and LangSmith kinds, lower-cased (OpenInference docs use both cases). */
const VENDOR_KINDS: Record<string, SpanKind> = {
  llm: 'llm',
  embedding: 'embedding',
  chain: 'chain',
  retriever: 'retriever',
  reranker: 'reranker',
  tool: 'tool',
  agent: 'agent',
  guardrail: 'guardrail',
  evaluator: 'evaluator',
  // A prompt/parser step formats text between model calls; chain is the closest canonical kind.
  prompt: 'chain',
  parser: 'chain',
};

/** `gen_ai.operation.name` values, standard and seen in the wild (OpenLIT, OpenLLMetry, Vercel). */
const OPERATIONS: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  completion: 'llm',
  generate: 'llm',
  llm_request: 'llm',
  // Image/audio generation are billed model calls; counting them as llm keeps their cost in totals.
  image: 'llm',
  audio: 'llm',
  translate: 'llm',
  embeddings: 'embedding',
  embedding: 'embedding',
  retrieval: 'retriever',
  vectordb: 'retriever',
  vector_db_retrieve: 'retriever',
  rerank: 'reranker',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  agent_step: 'agent',
  agent: 'agent',
  plan: 'agent',
  invoke_workflow: 'workflow',
  workflow: 'workflow',
  execute_task: 'chain',
  framework: 'chain',
};

const TRACELOOP_KINDS: Record<string, SpanKind> = {
  workflow: 'workflow',
  task: 'chain',
  agent: 'agent',
  tool: 'tool',
};
const REQUEST_TYPES: Record<string, SpanKind> = {
  chat: 'llm',
  completion: 'llm',
  embedding: 'embedding',
  rerank: 'reranker',
};

/** Attributes whose presence means "a model was called" (table 3.2 fallback). */
const MODEL_KEYS = [
  'gen_ai.request.model',
  'gen_ai.response.model',
  'llm.model_name',
  'llm.request.model_name',
  'ai.model.id',
  'langfuse.observation.model.name',
];

function lookup(table: Record<string, SpanKind>, value: unknown): SpanKind | undefined {
  const key = toText(value)?.toLowerCase();
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Vercel AI SDK legacy spans carry their kind in the operation id (`ai.streamText.doStream`). */
function vercelKind(operationId: string): SpanKind | undefined {
  if (!operationId.startsWith('ai.')) return undefined;
  if (operationId === 'ai.toolCall') return 'tool';
  if (/\.doEmbed$/.test(operationId)) return 'embedding';
  if (/\.do(Generate|Stream)$/.test(operationId)) return 'llm';
  if (/^ai\.(generate|stream)(Text|Object)$|^ai\.embed(Many)?$/.test(operationId)) return 'chain';
  return undefined;
}

/** The canonical kind of a span; reads attributes without consuming them (they stay raw). */
export function mapKind(attrs: AttrBag, spanName: string): SpanKind {
  return (
    lookup(LANGFUSE_TYPES, attrs.get('langfuse.observation.type')) ??
    lookup(VENDOR_KINDS, attrs.get('openinference.span.kind')) ??
    lookup(VENDOR_KINDS, attrs.get('langsmith.span.kind')) ??
    lookup(OPERATIONS, attrs.get('gen_ai.operation.name')) ??
    lookup(OPERATIONS, attrs.get('gen_ai.type')) ?? // OpenLIT May 2024, renamed to gen_ai.operation.name
    lookup(TRACELOOP_KINDS, attrs.get('traceloop.span.kind')) ??
    lookup(REQUEST_TYPES, attrs.get('llm.request.type')) ??
    vercelKind(toText(attrs.get('ai.operationId')) ?? spanName) ??
    fallbackKind(attrs)
  );
}

function fallbackKind(attrs: AttrBag): SpanKind {
  if (attrs.has('embedding.model_name')) return 'embedding';
  if (MODEL_KEYS.some((k) => attrs.has(k))) return 'llm';
  if (attrs.has('gen_ai.tool.name') || attrs.has('tool.name')) return 'tool';
  if (attrs.hasPrefix('http.') || attrs.has('url.full') || attrs.has('url.path')) return 'http';
  return 'other';
}

/** The operation: `gen_ai.operation.name` as sent, else its OTel equivalent for the kind. */
export function mapOperation(attrs: AttrBag, kind: SpanKind): string {
  const explicit = attrs.pick(['gen_ai.operation.name', 'gen_ai.type'], toText);
  if (explicit !== undefined) return explicit;
  const requestType = toText(attrs.get('llm.request.type'))?.toLowerCase();
  return defaultOperation(kind, requestType === 'completion');
}

/** The OTel operation name of a kind when the producer named none (`chat` for llm, `text_completion` for completions). */
export function defaultOperation(kind: SpanKind, isCompletion = false): string {
  if (kind === 'llm') return isCompletion ? 'text_completion' : 'chat';
  const derived: Partial<Record<SpanKind, string>> = {
    embedding: 'embeddings',
    retriever: 'retrieval',
    reranker: 'rerank',
    tool: 'execute_tool',
    agent: 'invoke_agent',
    workflow: 'invoke_workflow',
  };
  return derived[kind] ?? '';
}
