/**
 * The quality repositories as one contract suite on both metadata engines: SQLite (embedded)
 * and a real PostgreSQL (scale-out) started on loopback. Covers item versions, as-of reads,
 * upserts of many items, sealed connection secrets and name conflicts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretBox } from '../src/auth/secret-box.ts';
import { ConnectionRepository } from '../src/quality/connection-repository.ts';
import { DatasetRepository } from '../src/quality/dataset-repository.ts';
import { EvaluatorRepository } from '../src/quality/evaluator-repository.ts';
import type { MetadataStore } from '../src/store/metadata/metadata-store.ts';
import { metadataEngines } from './support/metadata-engines.ts';

const engines = metadataEngines('argus-quality-');

const box = secretBox(Buffer.alloc(32, 7));

describe.each(engines)('quality repositories on $name', (engine) => {
  let store: MetadataStore;
  let cleanup: () => Promise<void>;
  let datasets: DatasetRepository;
  beforeAll(async () => {
    ({ store, cleanup } = await engine.open());
    await store.migrate();
    await store.ensureProject('other', 'Other');
    datasets = new DatasetRepository(store.sql);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('versions items: upserts, removals and as-of reads', async () => {
    const dataset = await datasets.create('default', { name: 'versions' });
    const v1 = await datasets.upsertItems('default', dataset.id, [
      { id: 'a', input: 'one', expectedOutput: 1 },
      { id: 'b', input: 'two', expectedOutput: 2 },
    ]);
    const v2 = await datasets.upsertItems('default', dataset.id, [
      { id: 'a', input: 'one', expectedOutput: 1 },
      { id: 'b', input: 'two', expectedOutput: 'two' },
      { id: 'c', input: { nested: ['x'] }, metadata: { k: 'v' } },
    ]);
    expect(v2).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    const removed = await datasets.deleteItems('default', dataset.id, ['a']);
    expect(removed.deleted).toBe(1);
    const read = async (version?: string) =>
      (await datasets.listItems('default', dataset.id, { version, limit: 10 })).data.map((i) => [
        i.id,
        i.expectedOutput ?? null,
      ]);
    expect(await read(v1.version)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(await read(v2.version)).toEqual([
      ['a', 1],
      ['b', 'two'],
      ['c', null],
    ]);
    expect(await read()).toEqual([
      ['b', 'two'],
      ['c', null],
    ]);
    expect(await read('2000-01-01T00:00:00.000Z')).toEqual([]);
    expect((await datasets.get('default', dataset.id))?.itemCount).toBe(2);
    expect(await datasets.listVersions('default', dataset.id, 10)).toEqual([
      { version: removed.version, written: 0, removed: 1 },
      { version: v2.version, written: 2, removed: 0 },
      { version: v1.version, written: 2, removed: 0 },
    ]);
    const c = (await datasets.readItems('default', dataset.id, v2.version)).find((i) => i.id === 'c');
    expect(c).toMatchObject({ input: { nested: ['x'] }, metadata: { k: 'v' } });
  });

  it('searches items case-insensitively, taking % and _ literally', async () => {
    const dataset = await datasets.create('default', { name: 'searchable' });
    await datasets.upsertItems('default', dataset.id, [
      { id: 'refund-1', input: 'How do I get a REFUND?', expectedOutput: 'Go to orders' },
      { id: 'ship-1', input: 'Where is my parcel?', expectedOutput: 'Track it: 100% on time' },
      { id: 'ship_2', input: 'Shipping cost?', expectedOutput: 'Free' },
    ]);
    const find = async (q: string) =>
      (await datasets.listItems('default', dataset.id, { limit: 10, q })).data.map((i) => i.id);
    expect(await find('refund')).toEqual(['refund-1']);
    expect(await find('100%')).toEqual(['ship-1']);
    expect(await find('p_')).toEqual(['ship_2']);
    expect(await find('%')).toEqual(['ship-1']);
  });

  it('makes strictly increasing versions even for writes in the same millisecond', async () => {
    const dataset = await datasets.create('default', { name: 'fast' });
    const versions: string[] = [];
    for (let i = 0; i < 5; i++)
      versions.push((await datasets.upsertItems('default', dataset.id, [{ id: 'x', input: i }])).version);
    expect([...versions].sort()).toEqual(versions);
    expect(new Set(versions).size).toBe(5);
  });

  it('upserts 10,000 items in one call and pages them by id', async () => {
    const dataset = await datasets.create('default', { name: 'bulk' });
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      id: `i${String(i).padStart(5, '0')}`,
      input: `q${i}`,
      expectedOutput: String(i),
    }));
    const started = performance.now();
    const written = await datasets.upsertItems('default', dataset.id, items);
    console.info(
      `quality on ${engine.name}: 10,000 items upserted in ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
    expect(written.created).toBe(10_000);
    const again = await datasets.upsertItems('default', dataset.id, items);
    expect(again).toMatchObject({ unchanged: 10_000, version: written.version });
    const page = await datasets.listItems('default', dataset.id, { after: 'i04999', limit: 3 });
    expect(page.data.map((i) => i.id)).toEqual(['i05000', 'i05001', 'i05002']);
    expect(page.nextCursor).toBe('i05002');
  });

  it('scopes datasets to their project and refuses a taken name', async () => {
    const dataset = await datasets.create('default', { name: 'scoped' });
    expect(await datasets.get('other', dataset.id)).toBeUndefined();
    await expect(datasets.upsertItems('other', dataset.id, [{ input: 'x' }])).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(datasets.create('default', { name: 'scoped' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await datasets.create('other', { name: 'scoped' })).projectId).toBe('other');
    expect(await datasets.delete('default', dataset.id)).toBe(true);
    expect(
      await store.sql.all('SELECT item_id FROM dataset_items WHERE dataset_id = $1', [dataset.id]),
    ).toEqual([]);
  });

  it('seals connection secrets and opens them only for a call', async () => {
    const repo = new ConnectionRepository(store.sql, box);
    const created = await repo.create('default', {
      name: 'sealed',
      provider: 'anthropic',
      apiKey: 'sk-ant-secret-value',
      headers: { 'x-secret-header': 'header-secret-value' },
      models: ['claude-*'],
    });
    expect(created).toMatchObject({ hasApiKey: true, headerNames: ['x-secret-header'] });
    const raw = await store.sql.all('SELECT api_key, headers FROM llm_connections WHERE id = $1', [
      created.id,
    ]);
    expect(JSON.stringify(raw)).not.toMatch(/sk-ant-secret-value|header-secret-value/);
    const opened = await repo.open('default', created.id);
    expect(opened).toMatchObject({
      apiKey: 'sk-ant-secret-value',
      headers: { 'x-secret-header': 'header-secret-value' },
    });
    expect(await repo.open('other', created.id)).toBeUndefined();
    const changed = await repo.update('default', created.id, { embeddingModel: undefined, models: [] });
    expect(changed?.models).toEqual([]);
    expect((await repo.open('default', created.id))?.apiKey).toBe('sk-ant-secret-value');
  });

  it('stores evaluators and loads several by id in order', async () => {
    const repo = new EvaluatorRepository(store.sql);
    const a = await repo.create('default', { name: 'a', type: 'exact_match', config: { ignoreCase: false } });
    const b = await repo.create('default', { name: 'b', type: 'regex', config: { pattern: '^x$' } });
    expect((await repo.getMany('default', [b.id, a.id])).map((e) => e.name)).toEqual(['b', 'a']);
    await expect(repo.getMany('default', [a.id, 'missing'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(repo.create('default', { name: 'a', type: 'json_valid', config: {} })).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    expect((await repo.update('default', a.id, { name: 'a2', type: 'exact_match', config: {} }))?.name).toBe(
      'a2',
    );
  });
});
