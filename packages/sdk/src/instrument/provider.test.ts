import { describe, expect, it } from 'vitest';
import { detectEndpoint } from './provider.ts';

describe('detectEndpoint', () => {
  it.each([
    // OpenAI itself, and the mock/any unknown host: the SDK's own API family.
    ['https://api.openai.com/v1', 'openai', undefined, 'openai'],
    ['http://127.0.0.1:8787/v1', 'openai', undefined, 'openai'],
    // Kimi is served from both the .cn and the .ai domain.
    ['https://api.moonshot.cn/v1', 'openai', undefined, 'moonshot_ai'],
    ['https://api.moonshot.ai/v1', 'openai', undefined, 'moonshot_ai'],
    ['https://api.deepseek.com', 'openai', undefined, 'deepseek'],
    ['https://api.groq.com/openai/v1', 'openai', undefined, 'groq'],
    ['https://api.together.xyz/v1', 'openai', undefined, 'together'],
    ['https://openrouter.ai/api/v1', 'openai', undefined, 'openrouter'],
    ['https://my-res.openai.azure.com/openai', 'openai', undefined, 'azure.ai.openai'],
    // Ollama by its default port, or behind a proxy by its path.
    ['http://localhost:11434/v1', 'openai', undefined, 'ollama'],
    ['https://gpu-box.internal/ollama/v1', 'openai', undefined, 'ollama'],
    // The client class wins over an unknown host.
    ['https://proxy.internal/v1', 'openai', 'AzureOpenAI', 'azure.ai.openai'],
    ['https://api.anthropic.com', 'anthropic', undefined, 'anthropic'],
    ['https://api.moonshot.ai/anthropic', 'anthropic', undefined, 'moonshot_ai'],
    ['https://bedrock-runtime.us-east-1.amazonaws.com', 'anthropic', 'AnthropicBedrock', 'aws.bedrock'],
    // A base URL that is not a URL falls back instead of throwing.
    ['not a url', 'openai', undefined, 'openai'],
  ])('%s (%s, %s) → %s', (baseURL, fallback, className, provider) => {
    expect(detectEndpoint(baseURL, fallback, className).provider).toBe(provider);
  });

  it('answers server address and port, defaulting the port by scheme', () => {
    expect(detectEndpoint('https://api.openai.com/v1', 'openai', undefined)).toEqual({
      provider: 'openai',
      address: 'api.openai.com',
      port: 443,
    });
    expect(detectEndpoint('http://[::1]:8080/v1', 'openai', undefined)).toMatchObject({
      address: '::1',
      port: 8080,
    });
  });

  it('lets the provider option override detection (vLLM has no recognizable host)', () => {
    expect(detectEndpoint('http://10.0.0.5:8000/v1', 'openai', undefined, 'vllm').provider).toBe('vllm');
  });
});
