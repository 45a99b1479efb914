import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from './client.test-util.ts';
import { askedLanguage } from './language.ts';
import { semanticEmbedding } from './semantic-embedding.ts';
import { type MockLlm, startMockLlm } from './server.ts';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(() => mock.close());

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const chat = async (content: string, system?: string) => {
  const messages = [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content }];
  const { json } = await post(`${mock.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages });
  return json.choices[0].message.content as string;
};

describe('answers in the asked language', () => {
  // Each case: a way users ask for French (or do not), anywhere in the prompt.
  it.each([
    ['I am planning a trip. What should I pack? Answer in French.', 'fr'],
    ['Please reply to the customer in French, briefly.', 'fr'],
    ['Réponds en français, s’il te plaît.', 'fr'],
    ['What should I pack for a trip to France?', 'en'],
    ['French fries or chips?', 'en'],
  ])('%s → %s', (text, language) => {
    expect(askedLanguage(text)).toBe(language);
  });

  it('answers in French when the user or the system prompt asks, else in English', async () => {
    const asked = 'I am planning a trip to Lyon. What should I pack? Answer in French.';
    expect(await chat(asked)).toMatch(/\b(je|vous|votre|réponse)\b/);
    expect(await chat('I am planning a trip to Lyon. What should I pack?')).not.toMatch(/\b(je|vous)\b/);
    expect(await chat('What should I pack?', 'Always answer in French.')).toMatch(/\b(je|vous|votre)\b/);
  });
});

describe('semantic embeddings', () => {
  it('places texts that share words close and English far from French', async () => {
    const { json } = await post(`${mock.url}/v1/embeddings`, {
      model: 'text-embedding-mock-semantic',
      input: [
        'Standard shipping takes 3 to 5 business days.',
        'Standard shipping takes 3 to 6 business days.',
        'Bien sûr ! Voici ma réponse en français.',
      ],
      dimensions: 256,
    });
    const [a, b, c] = json.data.map((d: { embedding: number[] }) => d.embedding);
    expect(a).toEqual(semanticEmbedding('Standard shipping takes 3 to 5 business days.', 256));
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(cosine(a, b)).toBeGreaterThan(0.7);
    expect(Math.abs(cosine(a, c))).toBeLessThan(0.35);
  });
});
