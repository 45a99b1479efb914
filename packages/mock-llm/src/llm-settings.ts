/**
 * Which OpenAI-compatible provider an example app talks to, from the environment: `KIMI_BASE_URL` /
 * `KIMI_API_KEY` (Moonshot's Kimi), else `OPENAI_BASE_URL` / `OPENAI_API_KEY`, model `MODEL`.
 * With none set, a mock LLM is started in this process, so the app runs offline.
 */
import { type MockLlm, startMockLlm } from './server.ts';

/** Where the chat completions go. */
export interface LlmSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  /** The in-process mock, when no provider is configured. */
  mock?: MockLlm;
}

/** Resolves the provider settings, starting the mock LLM when none is configured. */
export async function llmSettings(env: NodeJS.ProcessEnv = process.env): Promise<LlmSettings> {
  const kimi = env.KIMI_BASE_URL;
  const baseURL = kimi ?? env.OPENAI_BASE_URL;
  if (baseURL) {
    const apiKey = (kimi ? env.KIMI_API_KEY : env.OPENAI_API_KEY) ?? '';
    return { baseURL, apiKey, model: env.MODEL ?? (kimi ? 'kimi-k2' : 'gpt-4o-mini') };
  }
  const mock = await startMockLlm({ latencyMs: 150, chunkDelayMs: 25 });
  return { baseURL: `${mock.url}/v1`, apiKey: 'mock', model: env.MODEL ?? 'gpt-4o-mini', mock };
}
