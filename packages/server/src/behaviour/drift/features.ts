/**
 * The catalogue of drift features: each name's kind and the span column (a fixed SQL
 * expression) it reads. `score:<name>` reads a score's values from the `scores` table.
 */
import {
  DRIFT_CATEGORICAL_FEATURES,
  DRIFT_EMBEDDING_FEATURES,
  DRIFT_NUMERIC_FEATURES,
  DRIFT_TEXT_FEATURES,
  type DriftFeatureKind,
  type DriftFeatureName,
} from '@argus/shared';
import { ArgusError } from '../../errors.ts';

/** Features compared when a request names none. */
export const DEFAULT_FEATURES: readonly DriftFeatureName[] = [
  'input',
  'output',
  'inputTokens',
  'outputTokens',
  'latency',
  'cost',
  'model',
  'finishReason',
];

/** Span column expressions (fixed SQL, never user text). */
const COLUMNS: Record<string, string> = {
  input: 'input_preview',
  output: 'output_preview',
  inputEmbedding: 'input_preview',
  outputEmbedding: 'output_preview',
  inputTokens: 'toFloat64(input_tokens)',
  outputTokens: 'toFloat64(output_tokens)',
  latency: 'duration_ms',
  ttft: 'ttft_ms',
  cost: 'cost_usd',
  perplexity: 'perplexity',
  model: "if(response_model != '', response_model, request_model)",
  finishReason: "arrayStringConcat(arraySort(finish_reasons), ',')",
  toolName: 'tool_name',
  errorType: 'error_type',
  status: 'toString(status)',
};

/** The kind of a feature name. @throws ArgusError INVALID_PARAMETER for an unknown name. */
export function kindOf(feature: string): DriftFeatureKind {
  if ((DRIFT_TEXT_FEATURES as readonly string[]).includes(feature)) return 'text';
  if ((DRIFT_EMBEDDING_FEATURES as readonly string[]).includes(feature)) return 'embedding';
  if ((DRIFT_NUMERIC_FEATURES as readonly string[]).includes(feature)) return 'numeric';
  if ((DRIFT_CATEGORICAL_FEATURES as readonly string[]).includes(feature)) return 'categorical';
  if (/^score:.{1,200}$/s.test(feature)) return 'numeric';
  throw new ArgusError('INVALID_PARAMETER', `Invalid drift feature '${feature}': no such feature`);
}

/** The span column expression of a feature, or undefined for scores. */
export function columnOf(feature: string): string | undefined {
  return COLUMNS[feature];
}

/** The score name of a `score:<name>` feature. */
export function scoreNameOf(feature: string): string | undefined {
  return feature.startsWith('score:') ? feature.slice(6) : undefined;
}

/** True for features whose values are texts (text and embedding features). */
export function isTextual(feature: string): boolean {
  const kind = kindOf(feature);
  return kind === 'text' || kind === 'embedding';
}
