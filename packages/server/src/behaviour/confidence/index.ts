/** Confidence from token logprobs: parsing, figures and bounded storage (docs/behaviour.md). */
export {
  type ConfidenceSources,
  type ExtractedConfidence,
  extractConfidence,
  LOGPROBS_ATTRIBUTE,
  LOGPROBS_CONTENT,
  LOGPROBS_COUNT,
  LOGPROBS_DROPPED,
  LOGPROBS_EVENT,
  LOGPROBS_MEAN,
  responseLogprobs,
} from './extract.ts';
export {
  MAX_KEPT_ALTERNATIVES,
  MAX_KEPT_JSON_CHARS,
  MAX_KEPT_TOKENS,
  type StoredTokenLogprob,
} from './keep.ts';
export { parseLogprobs, type TokenLogprob } from './parse.ts';
export { type Confidence, confidenceOf, LOW_PROBABILITY } from './stats.ts';
