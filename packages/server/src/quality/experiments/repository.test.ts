/** The experiment repository on both metadata engines (SQLite and PostgreSQL): one contract suite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataEngines } from '../../../test/support/metadata-engines.ts';
import type { MetadataStore } from '../../store/metadata/metadata-store.ts';
import { type ExperimentRecord, ExperimentRepository } from './repository.ts';

const engines = metadataEngines('argus-exp-');

function record(id: string, createdAt: string, overrides: Partial<ExperimentRecord> = {}): ExperimentRecord {
  return {
    id,
    projectId: 'default',
    name: `exp ${id}`,
    datasetId: 'ds1',
    datasetVersion: '2026-01-01T00:00:00.000Z',
    target: {
      type: 'prompt',
      connectionId: 'c1',
      model: 'm',
      messages: [{ role: 'user', content: '{{input}}' }],
    },
    evaluators: ['e1'],
    repetitions: 2,
    concurrency: 4,
    metadata: { branch: 'main' },
    status: 'queued',
    error: undefined,
    done: 0,
    total: 80,
    summary: undefined,
    createdAt,
    startedAt: undefined,
    finishedAt: undefined,
    ...overrides,
  };
}

describe.each(engines)('experiment repository on $name', (engine) => {
  let store: MetadataStore;
  let cleanup: () => Promise<void>;
  let repo: ExperimentRepository;
  beforeAll(async () => {
    ({ store, cleanup } = await engine.open());
    await store.migrate();
    repo = new ExperimentRepository(store.sql);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('stores and reads an experiment with its JSON fields', async () => {
    await repo.insert(record('a', '2026-01-01T00:00:01.000Z'));
    expect(await repo.get('default', 'a')).toEqual(record('a', '2026-01-01T00:00:01.000Z'));
    expect(await repo.get('other', 'a')).toBeUndefined();
  });

  it('moves through running (start time once) to completed (summary, end time, progress)', async () => {
    await repo.setStatus('default', 'a', { status: 'running' });
    const running = await repo.get('default', 'a');
    expect(running?.status).toBe('running');
    expect(running?.startedAt).toBeDefined();
    await repo.setDone('default', 'a', 41);
    await repo.setStatus('default', 'a', { status: 'running' });
    expect((await repo.get('default', 'a'))?.startedAt).toBe(running?.startedAt);
    expect(await repo.listUnfinished()).toEqual([{ projectId: 'default', id: 'a' }]);
    const summary = {
      scores: { exact: { mean: 0.6, ci95: [0.45, 0.75] as [number, number], n: 80 } },
      latencyMs: undefined,
      tokens: { input: 1, output: 2, total: 3 },
      costUsd: 0,
      errors: 0,
    };
    await repo.setStatus('default', 'a', { status: 'completed', summary, done: 80 });
    const done = await repo.get('default', 'a');
    expect(done).toMatchObject({ status: 'completed', done: 80, summary: { scores: summary.scores } });
    expect(done?.finishedAt).toBeDefined();
    expect(await repo.listUnfinished()).toEqual([]);
  });

  it('lists newest first with a cursor and a dataset filter', async () => {
    await repo.insert(record('b', '2026-01-01T00:00:02.000Z'));
    await repo.insert(record('c', '2026-01-01T00:00:03.000Z', { datasetId: 'ds2' }));
    const first = await repo.list('default', { limit: 2 });
    expect(first.map((e) => e.id)).toEqual(['c', 'b']);
    const next = await repo.list('default', {
      limit: 2,
      before: { createdAt: first[1]!.createdAt, id: first[1]!.id },
    });
    expect(next.map((e) => e.id)).toEqual(['a']);
    expect((await repo.list('default', { limit: 10, datasetId: 'ds2' })).map((e) => e.id)).toEqual(['c']);
  });

  it('deletes', async () => {
    expect(await repo.delete('default', 'c')).toBe(true);
    expect(await repo.delete('default', 'c')).toBe(false);
  });
});
