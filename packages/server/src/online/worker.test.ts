/**
 * Two online workers on one metadata database and one store, as two server instances: the
 * lease lets one evaluate at a time, and across ticks on either side, a takeover and stops,
 * every stored LLM span gets exactly one score and no span is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { EvaluatorRepository } from '../quality/evaluator-repository.ts';
import { makeSpan, tempConfig } from '../query/test-helpers.ts';
import { openStore, type Store } from '../store/index.ts';
import { CursorStore } from './cursors.ts';
import { HealthRunner } from './health/health-runner.ts';
import { HealthSettings } from './health/settings.ts';
import { RuleRepository } from './repository.ts';
import { OnlineWorker } from './worker.ts';

const temp = tempConfig('online-worker');
let store: Store;

beforeAll(async () => {
  store = await openStore(temp.config);
});
afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

function worker(holderId: string, ttlTicks = 1000): OnlineWorker {
  const sql = store.metadata.sql;
  const cursors = new CursorStore(sql);
  const settings = new HealthSettings(sql);
  const evaluators = new EvaluatorRepository(sql);
  return new OnlineWorker({
    driver: store.driver,
    repo: new RuleRepository(sql),
    cursors,
    insertScore: (score) => store.insertScore(score),
    concurrency: 4,
    contextFor: () => ({ connection: async () => Promise.reject(new Error('no model here')) }),
    addToDataset: async () => {},
    health: new HealthRunner({
      driver: store.driver,
      cursors,
      settings,
      insertScore: (s) => store.insertScore(s),
      batchSize: 100,
    }),
    loadEvaluators: (projectId, ids) => evaluators.getMany(projectId, ids),
    logger: createLogger('error'),
    intervalMs: ttlTicks,
    // Small batches: the backlog takes several reads, each followed by a saved cursor.
    batchSize: 30,
    holderId,
  });
}

async function scoreCounts(ruleId: string): Promise<Map<string, number>> {
  const rows = await store.driver.query<{ span_id: string; n: string }>(
    "SELECT span_id, count() AS n FROM scores WHERE project_id = 'default' AND metadata['ruleId'] = {ruleId:String} GROUP BY span_id",
    { ruleId },
  );
  return new Map(rows.map((r) => [r.span_id, Number(r.n)]));
}

describe('two workers sharing one lease', () => {
  it('evaluate every span once between them', async () => {
    const sql = store.metadata.sql;
    const evaluator = await new EvaluatorRepository(sql).create('default', {
      name: 'says-ok',
      type: 'contains',
      config: { value: 'ok' },
    });
    const rule = await new RuleRepository(sql).create('default', {
      name: 'two workers',
      enabled: true,
      filter: { kind: 'llm' },
      target: 'span',
      samplingRate: 1,
      evaluators: [evaluator.id],
      variables: {},
      delaySeconds: 0,
    });
    const spans = Array.from({ length: 200 }, () => makeSpan({ at: Date.now() - 5_000, output: 'ok' }));
    await store.insertSpans(spans.slice(0, 120));
    // The worker reads spans 2 s after they are stored.
    await new Promise((r) => setTimeout(r, 2_200));
    const a = worker('server-a');
    const b = worker('server-b');
    const first = await a.tick();
    const second = await b.tick();
    expect(first.isLeader).toBe(true);
    // While A holds the lease, B only bids.
    expect(second).toEqual({ isLeader: false, evaluated: 0, failed: 0 });
    // A stops (gives the lease up); B takes over and continues from A's cursor.
    await a.stop();
    await store.insertSpans(spans.slice(120));
    await new Promise((r) => setTimeout(r, 2_200));
    const third = await b.tick();
    expect(third.isLeader).toBe(true);
    await b.tick();
    const counts = await scoreCounts(rule.id);
    expect(spans.filter((s) => counts.get(s.spanId) !== 1).map((s) => s.spanId)).toEqual([]);
    expect(counts.size).toBe(200);
    expect(first.evaluated + third.evaluated).toBe(200);
    await b.stop();
  });
});
