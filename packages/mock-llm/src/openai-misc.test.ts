import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { mockEmbedding } from './openai-misc.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(() => mock.close());

describe('POST /v1/embeddings', () => {
  it('answers deterministic unit vectors with word usage', async () => {
    const { json } = await post(`${mock.url}/v1/embeddings`, {
      model: 'text-embedding-3-small',
      input: ['hello world', 'one two three'],
    });
    expect(json).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    expect(json.data).toHaveLength(2);
    const vector: number[] = json.data[0].embedding;
    expect(vector).toHaveLength(1536);
    expect(vector).toEqual(mockEmbedding('hello world', 1536));
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('honors dimensions and base64 encoding (same floats)', async () => {
    const { json } = await post(`${mock.url}/v1/embeddings`, {
      model: 'text-embedding-3-large',
      input: 'hello',
      dimensions: 8,
      encoding_format: 'base64',
    });
    const bytes = Buffer.from(json.data[0].embedding, 'base64');
    const floats = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(floats).toEqual(mockEmbedding('hello', 8));
  });

  it('counts token-array inputs by length', async () => {
    const { json } = await post(`${mock.url}/v1/embeddings`, {
      model: 'text-embedding-3-small',
      input: [[1, 2, 3]],
    });
    expect(json.usage.prompt_tokens).toBe(3);
  });
});

describe('GET /v1/models', () => {
  it('lists OpenAI models, or Anthropic models when anthropic-version is sent', async () => {
    type Models = { object?: string; has_more?: boolean; data: { id: string; type?: string }[] };
    const openai = (await (await fetch(`${mock.url}/v1/models`)).json()) as Models;
    expect(openai.object).toBe('list');
    expect(openai.data.map((m) => m.id)).toContain('gpt-4o-mini');
    const anthropic = (await (
      await fetch(`${mock.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } })
    ).json()) as Models;
    expect(anthropic.data[0]).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5-20250929' });
    expect(anthropic.has_more).toBe(false);
  });
});
