/**
 * Human review through the real HTTP door (auth off on loopback): score configs and the 400s of
 * scores that do not match them (the scores API, which SDK feedback uses), annotation queues
 * (two reviewers never get the same item, progress overall and per reviewer, corrected output
 * into a dataset), and a judge's agreement with people on a small example worked by hand.
 */
import type {
  AnnotationQueue,
  Dataset,
  DatasetItem,
  Evaluator,
  JudgeAgreement,
  LowScoredTrace,
  QueueItem,
  ReviewScore,
  ScoreConfig,
  ScoreSeriesResult,
} from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSpanJson, randomHex, tracesRequestJson } from './support/otlp-json.ts';
import { call, ok } from './support/quality.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let argus: TestServer;
let base = '';
const traceIds = Array.from({ length: 7 }, () => randomHex(16));

beforeAll(async () => {
  argus = await startTestServer({ rateLimitApi: 0 });
  base = argus.url;
  const spans = traceIds.map((traceId) => chatSpanJson(traceId, randomHex(8), { contentChars: 200 }));
  const response = await fetch(`${base}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: tracesRequestJson(spans, 'review-app'),
  });
  expect(response.status).toBe(200);
  // The writer acknowledges once stored; the traces are readable now.
  await argus.get(`/api/v1/traces/${traceIds[0]}`);
});
afterAll(async () => {
  await argus?.stop();
});

const createConfig = async (body: Record<string, unknown>) =>
  (await ok<{ data: ScoreConfig }>(base, 'POST', '/api/v1/score-configs', body)).data;

describe('score configs', () => {
  it.each([
    // Bounds on a categorical config make no sense.
    [{ name: 'x1', dataType: 'categorical', min: 0, categories: [{ label: 'a', value: 0 }] }, "'min'"],
    // A categorical config needs categories.
    [{ name: 'x2', dataType: 'categorical' }, "'categories'"],
    // Bounds in the wrong order.
    [{ name: 'x3', dataType: 'numeric', min: 5, max: 1 }, "'min'"],
    // Two categories with one label.
    [
      {
        name: 'x4',
        dataType: 'categorical',
        categories: [
          { label: 'a', value: 0 },
          { label: 'a', value: 1 },
        ],
      },
      'distinct',
    ],
    // An unknown data type is refused by the schema.
    [{ name: 'x5', dataType: 'stars' }, 'dataType'],
  ])('refuses %j with a 400 naming the field', async (body, words) => {
    const answer = await call(base, 'POST', '/api/v1/score-configs', body);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('INVALID_PARAMETER');
    expect(answer.json.error.message).toContain(words);
  });

  it('validates scores sent to the scores API (the SDK feedback path) against the config of their name', async () => {
    await createConfig({ name: 'helpfulness', dataType: 'numeric', min: 1, max: 5, description: '1–5' });
    await createConfig({
      name: 'tone',
      dataType: 'categorical',
      categories: [
        { label: 'rude', value: 0 },
        { label: 'neutral', value: 1 },
        { label: 'kind', value: 2 },
      ],
    });
    const traceId = traceIds[6]!;
    const post = (name: string, value: unknown) =>
      call(base, 'POST', '/api/v1/scores', { traceId, name, value });
    const tooHigh = await post('helpfulness', 7);
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.json.error.message).toBe(
      "Invalid score 'helpfulness': 7 is above the maximum 5 (score config 'helpfulness' is numeric)",
    );
    const unknownLabel = await post('tone', 'angry');
    expect(unknownLabel.status).toBe(400);
    expect(unknownLabel.json.error.message).toContain("'rude' (0), 'neutral' (1), 'kind' (2)");
    expect((await post('helpfulness', 'great')).status).toBe(400);
    expect((await post('helpfulness', 4)).status).toBe(201);
    // A label is stored with its category's number, and a number with its label.
    expect((await post('tone', 'kind')).status).toBe(201);
    expect((await post('tone', 0)).status).toBe(201);
    // A name without a config is stored as sent.
    expect((await post('free-text', 'anything')).status).toBe(201);
    const trace = await argus.get<{ scores: { name: string; value: number; stringValue: string }[] }>(
      `/api/v1/traces/${traceId}`,
    );
    const tones = trace.scores.filter((s) => s.name === 'tone').map((s) => [s.value, s.stringValue]);
    expect(tones.sort()).toEqual([
      [0, 'rude'],
      [2, 'kind'],
    ]);
  });

  it('archives a config (hidden from the default list) and refuses a second config of one name', async () => {
    const config = await createConfig({ name: 'archived-one', dataType: 'boolean' });
    expect(config.categories).toEqual([
      { label: 'false', value: 0 },
      { label: 'true', value: 1 },
    ]);
    await ok(base, 'PATCH', `/api/v1/score-configs/${config.id}`, { isArchived: true });
    const listed = await ok<{ data: ScoreConfig[] }>(base, 'GET', '/api/v1/score-configs');
    expect(listed.data.map((c) => c.name)).not.toContain('archived-one');
    const all = await ok<{ data: ScoreConfig[] }>(base, 'GET', '/api/v1/score-configs?includeArchived=true');
    expect(all.data.map((c) => c.name)).toContain('archived-one');
    expect(
      (await call(base, 'POST', '/api/v1/score-configs', { name: 'archived-one', dataType: 'numeric' }))
        .status,
    ).toBe(409);
  });
});

describe('annotation queues', () => {
  let queue: AnnotationQueue;
  let correct: ScoreConfig;

  beforeAll(async () => {
    correct = await createConfig({ name: 'correct', dataType: 'boolean' });
    queue = (
      await ok<{ data: AnnotationQueue }>(base, 'POST', '/api/v1/annotation-queues', {
        name: 'triage',
        scoreConfigIds: [correct.id],
      })
    ).data;
    const added = await ok<{ data: { added: number; existing: number } }>(
      base,
      'POST',
      `/api/v1/annotation-queues/${queue.id}/items`,
      { items: traceIds.slice(0, 3).map((objectId) => ({ objectType: 'trace', objectId })) },
    );
    expect(added.data).toEqual({ added: 3, existing: 0 });
  });

  const next = async (reviewer: string) =>
    (
      await ok<{ data: QueueItem | null }>(base, 'POST', `/api/v1/annotation-queues/${queue.id}/next`, {
        reviewer,
      })
    ).data;

  it('hands two reviewers different items, and completing one gives progress 1/3', async () => {
    const first = await next('alice');
    const second = await next('bob');
    expect(first?.objectId).toBe(traceIds[0]);
    expect(second?.objectId).toBe(traceIds[1]);
    // Asking again hands back the item one already holds.
    expect((await next('alice'))?.id).toBe(first?.id);
    const done = await ok<{ data: { item: QueueItem; scores: ReviewScore[] } }>(
      base,
      'POST',
      `/api/v1/annotation-queues/${queue.id}/items/${first!.id}/complete`,
      { reviewer: 'alice', scores: { correct: true }, comment: 'fine' },
    );
    expect(done.data.item.status).toBe('completed');
    expect(done.data.scores).toEqual([{ name: 'correct', value: 1, stringValue: 'true' }]);
    const read = await ok<{ data: AnnotationQueue }>(base, 'GET', `/api/v1/annotation-queues/${queue.id}`);
    expect(read.data.progress).toEqual({
      total: 3,
      completed: 1,
      byAssignee: { alice: { completed: 1, inProgress: 0 }, bob: { completed: 0, inProgress: 1 } },
    });
    // The review is a score of source human on the trace, by its reviewer.
    const trace = await argus.get<{
      scores: { name: string; source: string; author: string; value: number }[];
    }>(`/api/v1/traces/${traceIds[0]}`);
    expect(trace.scores).toContainEqual(
      expect.objectContaining({ name: 'correct', source: 'human', author: 'alice', value: 1 }),
    );
    // Alice goes on with the third item: bob still holds the second.
    expect((await next('alice'))?.objectId).toBe(traceIds[2]);
  });

  it('refuses scores that are not the queue’s or do not fit their config, and completing a slot others hold', async () => {
    const bobs = await next('bob');
    const path = `/api/v1/annotation-queues/${queue.id}/items/${bobs!.id}/complete`;
    const unknown = await call(base, 'POST', path, { reviewer: 'bob', scores: { tone: 'kind' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain("not a score config of this queue ('correct')");
    const wrong = await call(base, 'POST', path, { reviewer: 'bob', scores: { correct: 'maybe' } });
    expect(wrong.status).toBe(400);
    const empty = await call(base, 'POST', path, { reviewer: 'bob', scores: {} });
    expect(empty.status).toBe(400);
    // Carol never took bob's item, and the queue asks one review per item.
    const taken = await call(base, 'POST', path, { reviewer: 'carol', scores: { correct: false } });
    expect(taken.status).toBe(409);
  });

  it('pushes a corrected output into a dataset as the expected answer', async () => {
    const dataset = (await ok<{ data: Dataset }>(base, 'POST', '/api/v1/datasets', { name: 'corrections' }))
      .data;
    const bobs = await next('bob');
    await ok(base, 'POST', `/api/v1/annotation-queues/${queue.id}/items/${bobs!.id}/complete`, {
      reviewer: 'bob',
      scores: { correct: false },
      correctedOutput: 'The right answer',
      datasetId: dataset.id,
    });
    const items = await ok<{ data: DatasetItem[] }>(base, 'GET', `/api/v1/datasets/${dataset.id}/items`);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({
      id: bobs!.objectId,
      expectedOutput: 'The right answer',
      sourceTraceId: bobs!.objectId,
    });
    expect(items.data[0]!.input).toBeTruthy();
  });

  it('answers null when nothing is left for a reviewer, and 404 for an unknown queue', async () => {
    // Alice still holds the third item; once she completes it, the queue is done for everyone.
    const third = await next('alice');
    await ok(base, 'POST', `/api/v1/annotation-queues/${queue.id}/items/${third!.id}/complete`, {
      reviewer: 'alice',
      scores: { correct: 'true' },
    });
    expect(await next('alice')).toBeNull();
    expect(await next('dave')).toBeNull();
    const read = await ok<{ data: AnnotationQueue }>(base, 'GET', `/api/v1/annotation-queues/${queue.id}`);
    expect(read.data.progress.completed).toBe(3);
    expect((await call(base, 'POST', '/api/v1/annotation-queues/nope/next', {})).status).toBe(404);
  });

  it('keeps queue items to its assignees', async () => {
    const closed = (
      await ok<{ data: AnnotationQueue }>(base, 'POST', '/api/v1/annotation-queues', {
        name: 'closed',
        scoreConfigIds: [correct.id],
        assignees: ['alice'],
      })
    ).data;
    const answer = await call(base, 'POST', `/api/v1/annotation-queues/${closed.id}/next`, {
      reviewer: 'mallory',
    });
    expect(answer.status).toBe(403);
  });
});

describe('judge agreement', () => {
  it('matches the hand-computed confusion matrix, κ and per-label figures, with people against each other', async () => {
    const judge = (
      await ok<{ data: Evaluator }>(base, 'POST', '/api/v1/evaluators', {
        name: 'judge-correct',
        type: 'contains',
        config: { value: 'yes' },
      })
    ).data;
    const config = await createConfig({ name: 'verified', dataType: 'boolean' });
    const queue = (
      await ok<{ data: AnnotationQueue }>(base, 'POST', '/api/v1/annotation-queues', {
        name: 'double',
        scoreConfigIds: [config.id],
        reviewsPerItem: 2,
      })
    ).data;
    const objects = traceIds.slice(0, 6);
    await ok(base, 'POST', `/api/v1/annotation-queues/${queue.id}/items`, {
      items: objects.map((objectId) => ({ objectType: 'trace', objectId })),
    });
    // People (alice) vs judge: T/T, T/T, T/F, F/F, F/T, F/F → matrix [[2,1],[1,2]] (rows people:
    // false, true). pₒ = 4/6, pₑ = 0.5 → κ = 1/3. Bob agrees with alice except on item 6.
    const alice = [true, true, true, false, false, false];
    const bob = [true, true, true, false, false, true];
    const judged = [1, 1, 0, 0, 1, 0];
    for (const [i, traceId] of objects.entries())
      await ok(base, 'POST', '/api/v1/scores', {
        traceId,
        name: 'judge-correct',
        value: judged[i],
        source: 'eval',
      });
    for (const [reviewer, answers] of [
      ['alice', alice],
      ['bob', bob],
    ] as const)
      for (const answer of answers) {
        const item = (
          await ok<{ data: QueueItem }>(base, 'POST', `/api/v1/annotation-queues/${queue.id}/next`, {
            reviewer,
          })
        ).data;
        const index = objects.indexOf(item.objectId);
        await ok(base, 'POST', `/api/v1/annotation-queues/${queue.id}/items/${item.id}/complete`, {
          reviewer,
          scores: { verified: (reviewer === 'alice' ? alice : bob)[index]! },
        });
        expect(answer === true || answer === false).toBe(true);
      }
    const report = (
      await ok<{ data: JudgeAgreement }>(
        base,
        'GET',
        `/api/v1/evaluators/${judge.id}/agreement?against=verified`,
      )
    ).data;
    expect(report).toMatchObject({ dataType: 'boolean', pairs: 6 });
    expect(report.categorical?.labels).toEqual(['false', 'true']);
    expect(report.categorical?.confusionMatrix).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(report.categorical?.accuracy).toBeCloseTo(4 / 6, 10);
    expect(report.categorical?.kappa.value).toBeCloseTo(1 / 3, 10);
    const yes = report.categorical?.perLabel.find((l) => l.label === 'true');
    expect(yes?.precision).toBeCloseTo(2 / 3, 10);
    expect(yes?.recall).toBeCloseTo(2 / 3, 10);
    // Alice vs bob: 5 of 6 agree; alice 3 true / 3 false, bob 4 / 2 → pₑ = 0.5·(2/6) + 0.5·(4/6) = 0.5,
    // κ = (5/6 − 0.5)/0.5 = 2/3.
    expect(report.humanVsHuman.pairs).toBe(6);
    expect(report.humanVsHuman.kappa?.value).toBeCloseTo(2 / 3, 10);
    const missing = await call(base, 'GET', `/api/v1/evaluators/${judge.id}/agreement`);
    expect(missing.status).toBe(400);
  });
});

describe('quality over time', () => {
  it('serves a score series by model and source, the score names, and the lowest-scored traces', async () => {
    // The 'verified' reviews above: 12 human scores on traces of model gpt-4o-mini, 7 of them true.
    const series = await ok<ScoreSeriesResult>(
      base,
      'GET',
      '/api/v1/metrics/series?score=verified&groupBy=model',
    );
    expect(series.totals.count).toBe(12);
    expect(series.totals.mean).toBeCloseTo(7 / 12, 10);
    expect(series.series).toHaveLength(1);
    expect(series.series[0]!.group).toEqual({ model: 'gpt-4o-mini' });
    const counted = series.series[0]!.points.reduce((n, p) => n + p.count, 0);
    expect(counted).toBe(12);
    const bySource = await ok<ScoreSeriesResult>(
      base,
      'GET',
      '/api/v1/metrics/series?score=judge-correct&groupBy=source&source=eval',
    );
    expect(bySource.series.map((s) => s.group)).toEqual([{ source: 'eval' }]);
    expect(bySource.totals).toEqual({ mean: 0.5, count: 6 });
    // The other dimensions come from the same trace join: its root's service, no prompt version here.
    for (const [groupBy, group] of [
      ['service', { service: 'review-app' }],
      ['modelVersion', { modelVersion: '' }],
      ['promptVersion', { promptVersion: '' }],
    ] as const) {
      const split = await ok<ScoreSeriesResult>(
        base,
        'GET',
        `/api/v1/metrics/series?score=verified&groupBy=${groupBy}`,
      );
      expect(split.series.map((s) => s.group)).toEqual([group]);
    }
    const names = await ok<{ data: { name: string; count: number; sources: string[] }[] }>(
      base,
      'GET',
      '/api/v1/quality/scores',
    );
    expect(names.data).toContainEqual(
      expect.objectContaining({ name: 'verified', count: 12, sources: ['human'] }),
    );
    const lowest = await ok<{ data: LowScoredTrace[] }>(
      base,
      'GET',
      '/api/v1/quality/lowest?score=judge-correct&limit=2',
    );
    expect(lowest.data.map((l) => l.value)).toEqual([0, 0]);
    expect(lowest.data[0]!.model).toBe('gpt-4o-mini');
    const bad = await call(base, 'GET', '/api/v1/metrics/series?score=verified&groupBy=color');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('model, modelVersion, service, promptVersion, source');
  });
});

describe('scores on /metrics', () => {
  it('serves the mean and count of the last hour per score name and source', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    // 'verified': 12 human scores, 7 true (above).
    expect(text).toContain('argus_scores{argus_project="default",score_name="verified",source="human"} 12');
    const line = text
      .split('\n')
      .find((l) => l.startsWith('argus_score_mean{argus_project="default",score_name="verified"'));
    expect(Number(line?.split(' ').at(-1))).toBeCloseTo(7 / 12, 10);
  });
});
