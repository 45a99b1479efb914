/**
 * The canonical span: one normalized shape for every LLM call, agent step, tool call and
 * retrieval, whatever convention the instrumentation used. JSON names are camelCase; the
 * ClickHouse columns are their snake_case twins (see docs/architecture.md).
 */

/** What a span does, normalized across conventions. */
export type SpanKind =
  | 'llm'
  | 'embedding'
  | 'retriever'
  | 'reranker'
  | 'tool'
  | 'agent'
  | 'chain'
  | 'workflow'
  | 'guardrail'
  | 'evaluator'
  | 'http'
  | 'other';

/** Every value of {@link SpanKind}, in a stable order. */
export const SPAN_KINDS: readonly SpanKind[] = [
  'llm',
  'embedding',
  'retriever',
  'reranker',
  'tool',
  'agent',
  'chain',
  'workflow',
  'guardrail',
  'evaluator',
  'http',
  'other',
];

/** Span status, from the OTLP status code. */
export type SpanStatus = 'ok' | 'error' | 'unset';

/** Where `costUsd` came from: the instrumentation, the pricing catalog, or nowhere. */
export type CostSource = 'reported' | 'computed' | 'none';

/** One part of a normalized message (OTel GenAI ≥ 1.37 parts schema). */
export interface MessagePart {
  /** `text`, `reasoning`, `tool_call`, `tool_call_response`, `blob`, `uri`, `file` or any other string. */
  type: string;
  /** Text of a `text` or `reasoning` part, base64 of a `blob`. */
  content?: string;
  /** Tool call id on `tool_call` / `tool_call_response`. */
  id?: string;
  /** Tool name on `tool_call`. */
  name?: string;
  /** Tool call arguments (object when they parse as JSON). */
  arguments?: unknown;
  /** Tool result on `tool_call_response`. */
  response?: unknown;
  [key: string]: unknown;
}

/** One normalized chat message. */
export interface Message {
  /** `system`, `user`, `assistant`, `tool` or another role string. */
  role: string;
  parts: MessagePart[];
  name?: string;
  /** Set on output messages. */
  finishReason?: string;
}

/** Model request parameters. */
export interface ModelParams {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  seed?: number;
  stopSequences?: string[];
  stream?: boolean;
}

/** A document returned by a retriever or reranker. */
export interface RetrievalDocument {
  id?: string;
  content?: string;
  score?: number;
  metadata?: Record<string, unknown>;
}

/** A span event (exceptions, stream markers, logprobs …). */
export interface SpanEvent {
  name: string;
  /** ISO 8601 time. */
  time: string;
  timeUnixNano: string;
  attributes: Record<string, unknown>;
}

/** The canonical span as the API returns it. */
export interface Span {
  projectId: string;
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  kind: SpanKind;
  serviceName: string;
  serviceVersion: string;
  environment: string;
  /** Instrumentation scope name. */
  scope: string;
  /** ISO 8601 with up to nanosecond digits. */
  startTime: string;
  endTime: string;
  /** Unix nanoseconds as a decimal string (exact). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  status: SpanStatus;
  statusMessage: string;
  errorType: string;
  provider: string;
  operation: string;
  requestModel: string;
  responseModel: string;
  params: ModelParams;
  /** Input tokens, cached tokens included (OTel rule). */
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** True when token counts were estimated with a tokenizer because the span reported none. */
  tokensEstimated: boolean;
  costUsd: number;
  inputCostUsd: number;
  outputCostUsd: number;
  costSource: CostSource;
  /** Time to first token, milliseconds; absent when not streamed or unknown. */
  ttftMs?: number;
  tokensPerSecond?: number;
  /**
   * Confidence from token logprobs (docs/behaviour.md, "Confidence"); absent when the span
   * carried none. exp(−mean token logprob) over every output token of every choice; ≥ 1.
   */
  perplexity?: number;
  /** Mean and minimum natural-log token probability. */
  logprobMean?: number;
  logprobMin?: number;
  /** Mean entropy (nats) of the returned top alternatives per token, the rest of the mass as one outcome. */
  topEntropyMean?: number;
  /** Share of tokens with probability below 0.5, 0…1. */
  lowProbShare?: number;
  /** How many tokens the confidence figures cover (0 without logprobs). */
  logprobTokens?: number;
  finishReasons: string[];
  responseId: string;
  /** Normalized messages for LLM spans, a plain value for other spans. */
  input?: unknown;
  output?: unknown;
  systemInstructions?: unknown;
  toolDefinitions?: unknown;
  toolName: string;
  toolCallId: string;
  retrievalDocuments?: RetrievalDocument[];
  sessionId: string;
  userId: string;
  conversationId: string;
  tags: string[];
  metadata: Record<string, string>;
  /** Attributes not mapped to a field above, kept raw so mapping can be re-run. */
  attributes: Record<string, unknown>;
  resourceAttributes: Record<string, unknown>;
  events: SpanEvent[];
  /** The convention the normalizer detected (`otel_genai`, `openinference`, `openllmetry`, `openlit`, `vercel_ai`, `langfuse`, `langsmith`, `otel`). */
  convention: string;
}
