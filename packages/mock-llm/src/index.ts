/**
 * `@argus/mock-llm`: an OpenAI- and Anthropic-compatible LLM server for tests, the demo and
 * benchmarks. Answers are deterministic functions of the request, so tests can compute them with
 * {@link mockAnswer} and {@link countTokens}.
 */

export { isMockMathWrong, mockMathAnswer } from './eval-models.ts';
export type { LlmSettings } from './llm-settings.ts';
export { llmSettings } from './llm-settings.ts';
export { mockEmbedding } from './openai-misc.ts';
export type { MockLlm, MockLlmOptions } from './server.ts';
export { startMockLlm } from './server.ts';
export { countTokens, datedModel, mockAnswer } from './text.ts';
