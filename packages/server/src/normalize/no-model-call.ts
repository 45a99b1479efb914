import type { Span } from '@argus/shared';

/** The span fields that describe a model call: provider, model, params, usage, cost and reply. */
export type ModelCallFields = Pick<
  Span,
  | 'provider'
  | 'operation'
  | 'requestModel'
  | 'responseModel'
  | 'params'
  | 'inputTokens'
  | 'outputTokens'
  | 'totalTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens'
  | 'tokensEstimated'
  | 'costUsd'
  | 'inputCostUsd'
  | 'outputCostUsd'
  | 'costSource'
  | 'finishReasons'
  | 'responseId'
>;

/** Those fields empty (no model, no tokens, no cost), fresh objects each call, for spans built by hand. */
export function noModelCall(): ModelCallFields {
  return {
    provider: '',
    operation: '',
    requestModel: '',
    responseModel: '',
    params: {},
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    tokensEstimated: false,
    costUsd: 0,
    inputCostUsd: 0,
    outputCostUsd: 0,
    costSource: 'none',
    finishReasons: [],
    responseId: '',
  };
}
