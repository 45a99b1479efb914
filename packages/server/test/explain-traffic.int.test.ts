/**
 * Explainability over traffic through the API: a concept learned from a few French vs English
 * answers (embedded by the mock LLM's content-based embedding model through a connection) scores
 * French outputs above English ones (series, span filter); the built-in featuriser does too on
 * average; feature importance over synthetic spans recovers a planted effect (latency driven by
 * max tokens). Real server, real chDB, OTLP/JSON over loopback.
 */

import { type MockLlm, startMockLlm } from '@argus/mock-llm';
import type { Concept, ConceptScores, ConceptSpanScore, ImportanceReport } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './support/alert-traffic.ts';
import { driftSpan, postDriftSpans } from './support/drift-traffic.ts';
import { plantedSpan } from './support/explain-traffic.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const FRENCH_EXAMPLES = [
  'Bonjour, je vous remercie pour votre message et je reviens vers vous rapidement.',
  'Votre commande est partie ce matin, vous la recevrez dans trois jours.',
  'Nous sommes désolés pour le retard, le colis est toujours en route.',
  "Vous pouvez retourner l'article dans les trente jours suivant la livraison.",
];
const ENGLISH_EXAMPLES = [
  'Thanks for your message, I will get back to you shortly.',
  'Your order shipped this morning and will arrive in three days.',
  'Sorry for the delay, the parcel is still on its way.',
  'You can return the item within thirty days of delivery.',
];
const FRENCH_TRAFFIC = [
  'Le remboursement sera effectué sur votre carte dans cinq jours ouvrés.',
  'Votre adresse de livraison a bien été modifiée, merci de votre patience.',
  'Les bottes taillent petit, nous vous conseillons de prendre une pointure au-dessus.',
  'La carte cadeau est envoyée par courriel et elle n’expire jamais.',
  'Nous avons ouvert une réclamation auprès du transporteur pour votre colis.',
];
const ENGLISH_TRAFFIC = [
  'The refund reaches your card within five business days.',
  'Your delivery address was changed, thank you for your patience.',
  'Boots run small, so we suggest ordering half a size up.',
  'The gift card is sent by email and never expires.',
  'We opened a claim with the carrier for your parcel.',
];

let argus: TestServer;
let mock: MockLlm;
let connectionId: string;

beforeAll(async () => {
  [argus, mock] = await Promise.all([startTestServer(), startMockLlm()]);
  const connection = await api<{ data: { id: string } }>(argus.url, 'POST', '/api/v1/llm-connections', {
    name: 'embedder',
    provider: 'openai-compatible',
    baseUrl: `${mock.url}/v1`,
    embeddingModel: 'text-embedding-mock-semantic',
  });
  connectionId = connection.body.data.id;
  const now = Date.now();
  const spans = [...FRENCH_TRAFFIC, ...ENGLISH_TRAFFIC].map((answer, i) =>
    driftSpan({ atMs: now - 50 * 60_000 + i * 60_000, question: `Customer question ${i}`, answer }),
  );
  await postDriftSpans(argus.url, 'support-bot', spans);
}, 60_000);

afterAll(async () => {
  await Promise.all([argus?.stop(), mock?.close()]);
});

const isFrench = (text: string) => FRENCH_TRAFFIC.includes(text);

describe('concepts', () => {
  let concept: Concept;

  it('learns "french" from four French vs four English answers and reports held-out accuracy', async () => {
    const { status, body } = await api<{ data: Concept }>(argus.url, 'POST', '/api/v1/concepts', {
      name: 'french',
      positives: FRENCH_EXAMPLES,
      negatives: ENGLISH_EXAMPLES,
      field: 'output',
      connectionId,
    });
    expect(status).toBe(201);
    concept = body.data;
    expect(concept).toMatchObject({
      name: 'french',
      positives: 4,
      negatives: 4,
      randomNegatives: false,
      embedding: 'text-embedding-mock-semantic',
    });
    expect(concept.heldOutCount).toBe(2);
    expect(concept.accuracy).toBe(1);
    expect(body.data).not.toHaveProperty('model');
  });

  it('scores French outputs above English ones, over time and per span', async () => {
    const { body } = await api<{ data: ConceptScores }>(
      argus.url,
      'GET',
      `/api/v1/concepts/${concept.id}/scores?bucket=hour&threshold=0.6`,
    );
    const spans = body.data.spans;
    expect(spans).toHaveLength(10);
    const french = spans.filter((s) => isFrench(s.text)).map((s) => s.score);
    const english = spans.filter((s) => !isFrench(s.text)).map((s) => s.score);
    expect(Math.min(...french)).toBeGreaterThan(Math.max(...english));
    expect(Math.min(...french)).toBeGreaterThan(0.6);
    const total = body.data.points.reduce((s, p) => s + p.count, 0);
    expect(total).toBe(10);
    const share = body.data.points.reduce((s, p) => s + p.share * p.count, 0) / total;
    // Each bucket's share is given to 4 decimals; spans that straddle an hour make two buckets (3/7 → 0.4286).
    expect(share).toBeCloseTo(0.5, 3);
  });

  it('filters spans with concept:french > 0.6', async () => {
    const filter = encodeURIComponent('concept:french > 0.6');
    const { status, body } = await api<{ data: ConceptSpanScore[] }>(
      argus.url,
      'GET',
      `/api/v1/explain/concept-spans?filter=${filter}`,
    );
    expect(status).toBe(200);
    expect(body.data.map((s) => s.text).sort()).toEqual([...FRENCH_TRAFFIC].sort());
  });

  it('with the built-in featuriser, French outputs score higher on average', async () => {
    const created = await api<{ data: Concept }>(argus.url, 'POST', '/api/v1/concepts', {
      name: 'french-featuriser',
      positives: FRENCH_EXAMPLES,
      negatives: ENGLISH_EXAMPLES,
    });
    expect(created.body.data.embedding).toBe('featuriser');
    const { body } = await api<{ data: ConceptScores }>(
      argus.url,
      'GET',
      '/api/v1/concepts/french-featuriser/scores',
    );
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const french = body.data.spans.filter((s) => isFrench(s.text)).map((s) => s.score);
    const english = body.data.spans.filter((s) => !isFrench(s.text)).map((s) => s.score);
    expect(mean(french)).toBeGreaterThan(mean(english) + 0.2);
  });

  it("records a concept's share as metric points that charts and alert rules read", async () => {
    const created = await api<{ data: Concept }>(argus.url, 'POST', '/api/v1/concepts', {
      name: 'french-recorded',
      positives: FRENCH_EXAMPLES,
      negatives: ENGLISH_EXAMPLES,
      connectionId,
      record: true,
      threshold: 0.6,
    });
    expect(created.body.data).toMatchObject({ record: true, threshold: 0.6 });
    const now = Date.now();
    await postDriftSpans(argus.url, 'support-bot', [
      driftSpan({ atMs: now - 60_000, question: 'Où est mon colis ?', answer: FRENCH_TRAFFIC[0]! }),
      driftSpan({ atMs: now - 50_000, question: 'Status?', answer: ENGLISH_TRAFFIC[0]! }),
      driftSpan({ atMs: now - 40_000, question: 'Status again?', answer: ENGLISH_TRAFFIC[3]! }),
    ]);
    const recorded = await api<{ data: { count: number; share: number } }>(
      argus.url,
      'POST',
      '/api/v1/concepts/french-recorded/record',
    );
    expect(recorded.status).toBe(200);
    expect(recorded.body.data.count).toBe(3);
    expect(recorded.body.data.share).toBeCloseTo(1 / 3, 3);
    const points = await argus.get<{ series: { points: { value: number }[] }[] }>(
      `/api/v1/metrics/points?name=argus.concept.share&attr.concept=french-recorded&aggregation=last&from=${now - 600_000}&to=${now + 60_000}`,
    );
    expect(points.series[0]!.points.at(-1)!.value).toBeCloseTo(1 / 3, 3);
  });

  it('draws random negatives from traffic when none are given', async () => {
    const { status, body } = await api<{ data: Concept }>(argus.url, 'POST', '/api/v1/concepts', {
      name: 'french-vs-traffic',
      positives: FRENCH_EXAMPLES,
    });
    expect(status).toBe(201);
    expect(body.data.randomNegatives).toBe(true);
    expect(body.data.negatives).toBe(13);
  });

  // Each case: a mistake a user makes, the status, and what the message must name.
  it.each([
    [
      'POST',
      '/api/v1/concepts',
      { name: 'one', positives: ['only one'], negatives: ENGLISH_EXAMPLES },
      400,
      'positives',
    ],
    [
      'POST',
      '/api/v1/concepts',
      { name: 'french', positives: FRENCH_EXAMPLES, negatives: ENGLISH_EXAMPLES },
      409,
      'french',
    ],
    ['POST', '/api/v1/concepts', { name: 'bad name!', positives: FRENCH_EXAMPLES }, 400, 'name'],
    ['GET', '/api/v1/concepts/nope/scores', undefined, 404, 'nope'],
    [
      'GET',
      `/api/v1/explain/concept-spans?filter=${encodeURIComponent('french > 2')}`,
      undefined,
      400,
      'filter',
    ],
  ])('%s %s answers %d', async (method, path, body, status, named) => {
    const answer = await api<{ error: { message: string } }>(argus.url, method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.body.error.message).toContain(named);
  });
});

describe('feature importance', () => {
  it('recovers the planted effect: latency is driven by max tokens, upwards', async () => {
    const start = Date.now() - 30 * 60_000;
    await postDriftSpans(
      argus.url,
      'planted',
      Array.from({ length: 300 }, (_, i) => plantedSpan(i, start + i * 1000)),
    );
    const { status, body } = await api<{ data: ImportanceReport }>(
      argus.url,
      'POST',
      '/api/v1/explain/importance',
      {
        target: 'latency',
        filter: { service: 'planted' },
      },
    );
    expect(status).toBe(200);
    const report = body.data;
    expect(report.spans).toBe(300);
    expect(report.r2).toBeGreaterThan(0.9);
    const [top, ...rest] = report.features;
    expect(top).toMatchObject({ feature: 'maxTokens', direction: 'up', significant: true });
    for (const f of rest) expect(f.importance).toBeLessThan(top!.importance / 20);
  });

  it('refuses a window with too few spans, saying how many it found', async () => {
    const { status, body } = await api<{ error: { message: string } }>(
      argus.url,
      'POST',
      '/api/v1/explain/importance',
      {
        target: 'cost',
        filter: { service: 'nobody' },
      },
    );
    expect(status).toBe(400);
    expect(body.error.message).toContain('holds 0 spans');
  });
});
