/**
 * Instrumentation of OpenAI and Anthropic client instances: `wrapOpenAI(client)` /
 * `wrapAnthropic(client)` return the same client with its create methods traced (OTel GenAI
 * ≥ 1.37 CLIENT spans), `unwrapOpenAI` / `unwrapAnthropic` restore it exactly.
 */
export type { WrapAnthropicOptions, WrapOpenAIOptions, WrapOptions } from './wrap.ts';
export { unwrapAnthropic, unwrapOpenAI, wrapAnthropic, wrapOpenAI } from './wrap.ts';
