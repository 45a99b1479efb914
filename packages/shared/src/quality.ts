/**
 * Wire types of offline evaluation (docs/evaluation.md): LLM connections, datasets and their
 * items, evaluators and what they answer. The server, the console, the SDK and the CLI all use
 * these; the server's zod schemas (quality/schemas.ts) validate requests against them.
 */

/** The providers an LLM connection can call. */
export const LLM_PROVIDERS = ['openai', 'anthropic', 'openai-compatible', 'azure-openai'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** An LLM connection as the API shows it: the key and header values are never returned. */
export interface LlmConnection {
  id: string;
  projectId: string;
  name: string;
  provider: LlmProvider;
  /** Unset = the provider's public endpoint. */
  baseUrl?: string;
  /** Chat models it serves, matched exactly or by glob (`gpt-4o*`). */
  models: string[];
  /** The model embedding-based evaluators (and drift, explainability) use through it. */
  embeddingModel?: string;
  /** Azure OpenAI `api-version`. */
  apiVersion?: string;
  /** Names of the extra headers sent (values are secret). */
  headerNames: string[];
  /** Whether a key is stored. */
  hasApiKey: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The answer of `POST /api/v1/llm-connections/{id}/test`. */
export interface ConnectionTestResult {
  ok: boolean;
  /** What was called: `chat <model>`, `embedding <model>` or `models`. */
  call: string;
  latencyMs: number;
  /** The provider's error, secrets removed. */
  error?: { status?: number; message: string };
}

/** The body that creates a connection; the key and header values are write-only. */
export interface ConnectionCreate {
  name: string;
  provider: LlmProvider;
  /** Required for `openai-compatible` and `azure-openai`; else the provider's public endpoint. */
  baseUrl?: string;
  /** Sealed at rest, never returned. Empty or absent for servers without keys. */
  apiKey?: string;
  /** Extra headers (values sealed like the key). */
  headers?: Record<string, string>;
  models?: string[];
  embeddingModel?: string;
  apiVersion?: string;
}

/** The body that creates a dataset. */
export interface DatasetCreate {
  name: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

/** A dataset. `versionAt` is its latest change: pass it as `?version=` to read items as of then. */
export interface Dataset {
  id: string;
  projectId: string;
  name: string;
  description: string;
  metadata: Record<string, unknown>;
  /** Items in the current version. */
  itemCount: number;
  versionAt: string;
  createdAt: string;
  updatedAt: string;
}

/** One item of a dataset, as of a version. */
export interface DatasetItem {
  id: string;
  datasetId: string;
  input: unknown;
  expectedOutput?: unknown;
  metadata: Record<string, unknown>;
  sourceTraceId?: string;
  sourceSpanId?: string;
  /** When this content of the item was written (the version that introduced it). */
  validFrom: string;
}

/** An item as written: `id` unset makes a new one, the id of an existing item replaces it (a new version). */
export interface ItemWrite {
  id?: string;
  input: unknown;
  expectedOutput?: unknown;
  metadata?: Record<string, unknown>;
  sourceTraceId?: string;
  sourceSpanId?: string;
}

/** What an upsert of items did; `version` is the dataset version it made (unchanged when nothing changed). */
export interface ItemsWriteResult {
  created: number;
  updated: number;
  unchanged: number;
  version: string;
}

/** The file formats of dataset import and export. */
export const DATASET_FORMATS = ['jsonl', 'csv'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/**
 * Which columns (CSV) or dotted fields (JSONL) become which parts of an item; empty = the defaults.
 * `input` names one column (its value is the input) or several (the input is an object of them).
 */
export interface ColumnMapping {
  input?: string[];
  expected?: string;
  id?: string;
  metadata?: string[];
}

/** A row an import could not take, by 1-based row (line) number. */
export interface ImportRowError {
  row: number;
  message: string;
}

/** What an import did. */
export interface ImportResult extends ItemsWriteResult {
  /** Rows refused (all of them counted; at most 100 listed in `errors`); the others were imported. */
  refused: number;
  errors: ImportRowError[];
}

/** What `POST /api/v1/datasets/{id}/items/from-spans` did. */
export interface FromSpansResult extends ItemsWriteResult {
  /** Spans copied into items. */
  spans: number;
  /** Span ids asked for that were not found in the window. */
  missing?: string[];
}

/** The evaluator types. */
export const EVALUATOR_TYPES = [
  'exact_match',
  'contains',
  'regex',
  'json_valid',
  'json_schema',
  'levenshtein',
  'numeric',
  'embedding_similarity',
  'llm_judge',
  'perplexity',
] as const;
export type EvaluatorType = (typeof EVALUATOR_TYPES)[number];

/** The built-in judge templates. */
export const JUDGE_TEMPLATES = [
  'correctness',
  'faithfulness',
  'relevance',
  'toxicity',
  'helpfulness',
] as const;
export type JudgeTemplate = (typeof JUDGE_TEMPLATES)[number];

/** An evaluator: a type and its configuration (docs/evaluation.md lists each type's fields). */
export interface Evaluator {
  id: string;
  projectId: string;
  name: string;
  type: EvaluatorType;
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** What one evaluator run answers. Scores are 0–1 unless an llm_judge scale says otherwise. */
export interface EvaluationResult {
  score: number;
  label?: string;
  explanation?: string;
  /** The trace of an llm_judge or embedding call (kind `evaluator`), to open in the console. */
  traceId?: string;
}

/** The answer of `POST /api/v1/evaluators/{id}/test`. */
export interface EvaluatorTestResult extends EvaluationResult {
  latencyMs: number;
}
