/**
 * `gen_ai.provider.name` and `server.address`/`server.port` from a client's base URL. OpenAI-
 * compatible clients point at many providers; the host tells which (an explicit `provider`
 * option wins, e.g. for vLLM, which has no recognizable host).
 */

/** Host (or path) patterns of OpenAI- and Anthropic-compatible providers, first match wins. */
const PROVIDER_PATTERNS: readonly [RegExp, string][] = [
  [/(^|\.)moonshot\.(cn|ai)$/, 'moonshot_ai'],
  [/(^|\.)deepseek\.com$/, 'deepseek'],
  [/(^|\.)groq\.com$/, 'groq'],
  [/(^|\.)together\.(xyz|ai)$/, 'together'],
  [/(^|\.)openrouter\.ai$/, 'openrouter'],
  [/(^|\.)openai\.azure\.com$|(^|\.)azure\.com$|azure/, 'azure.ai.openai'],
  [/(^|\.)mistral\.ai$/, 'mistral_ai'],
  [/(^|\.)x\.ai$/, 'x_ai'],
  [/(^|\.)perplexity\.ai$/, 'perplexity'],
  [/(^|\.)fireworks\.ai$/, 'fireworks'],
  [/generativelanguage\.googleapis\.com$/, 'gcp.gemini'],
  [/aiplatform\.googleapis\.com$/, 'gcp.vertex_ai'],
  [/bedrock-runtime\..*amazonaws\.com$/, 'aws.bedrock'],
];

/** Where a client sends its requests. */
export interface Endpoint {
  provider: string;
  address: string | undefined;
  port: number | undefined;
}

/**
 * The provider and server of a client whose SDK speaks `fallback`'s API: by host, by the
 * Ollama port 11434 or an `/ollama` path, by the client class (`AzureOpenAI`, `AnthropicBedrock`,
 * `AnthropicVertex`), else `fallback`. `override` (the `provider` option) wins.
 */
export function detectEndpoint(
  baseURL: unknown,
  fallback: string,
  className: string | undefined,
  override?: string,
): Endpoint {
  let url: URL | undefined;
  try {
    url = typeof baseURL === 'string' ? new URL(baseURL) : undefined;
  } catch {
    url = undefined;
  }
  const address = url?.hostname.replace(/^\[|\]$/g, '') || undefined;
  const port = url === undefined ? undefined : Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  return { provider: override ?? providerOf(url, fallback, className), address, port };
}

function providerOf(url: URL | undefined, fallback: string, className: string | undefined): string {
  if (className === 'AzureOpenAI') return 'azure.ai.openai';
  if (className === 'AnthropicBedrock') return 'aws.bedrock';
  if (className === 'AnthropicVertex') return 'gcp.vertex_ai';
  if (url === undefined) return fallback;
  if (url.port === '11434' || /\/ollama(\/|$)/.test(url.pathname)) return 'ollama';
  const host = url.hostname.toLowerCase();
  for (const [pattern, provider] of PROVIDER_PATTERNS) if (pattern.test(host)) return provider;
  return fallback;
}
