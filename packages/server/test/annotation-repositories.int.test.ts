/**
 * The annotation queue repositories on both metadata engines (SQLite always, PostgreSQL where it
 * is installed): reviewers asking at the same moment never share a slot — one reviewer per item,
 * or exactly two different ones under double review — an expired lock frees its item for someone
 * else (and the late reviewer's completion is refused), and progress counts per reviewer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ItemRepository } from '../src/annotation/item-repository.ts';
import { QueueRepository } from '../src/annotation/queue-repository.ts';
import { ScoreConfigRepository } from '../src/annotation/score-config-repository.ts';
import { metadataEngines } from './support/metadata-engines.ts';

const engines = metadataEngines('argus-annotation-');

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(engines)('annotation queues on $name', (engine) => {
  async function setUp(options: { reviewsPerItem?: number; lockSeconds?: number; items: number }) {
    const { store, cleanup } = await engine.open();
    await store.migrate();
    const configs = new ScoreConfigRepository(store.sql);
    const queues = new QueueRepository(store.sql);
    const items = new ItemRepository(store.sql, queues);
    const name = `q-${Math.random().toString(36).slice(2)}`;
    const config = await configs.create('default', { name, dataType: 'boolean' });
    const queue = await queues.create('default', {
      name,
      scoreConfigIds: [config.id],
      ...(options.reviewsPerItem ? { reviewsPerItem: options.reviewsPerItem } : {}),
      ...(options.lockSeconds ? { lockSeconds: options.lockSeconds } : {}),
    });
    await items.add(
      queue.id,
      'default',
      Array.from({ length: options.items }, (_, i) => ({ objectType: 'trace' as const, objectId: `t${i}` })),
    );
    const settings = (await store.sql.transaction((tx) => queues.settings(tx, 'default', queue.id)))!;
    const close = async () => {
      await store.close();
      await cleanup();
    };
    return { queue, queues, items, settings, close };
  }

  it('hands eight reviewers asking at once eight different items, and a ninth nothing', async () => {
    const t = await setUp({ items: 8 });
    try {
      const reviewers = Array.from({ length: 8 }, (_, i) => `r${i}`);
      const handed = await Promise.all(
        reviewers.map((r) => t.items.next('default', t.queue.id, r, () => {})),
      );
      const ids = handed.map((item) => item?.objectId);
      expect(new Set(ids).size).toBe(8);
      expect(await t.items.next('default', t.queue.id, 'r8', () => {})).toBeUndefined();
      const progress = await t.queues.progress(t.queue.id);
      expect(progress.total).toBe(8);
      expect(Object.values(progress.byAssignee).every((p) => p.inProgress === 1)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('under double review gives each item to exactly two different reviewers', async () => {
    const t = await setUp({ items: 3, reviewsPerItem: 2 });
    try {
      const reviewers = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
      const handed = await Promise.all(
        reviewers.map((r) => t.items.next('default', t.queue.id, r, () => {})),
      );
      const byItem = new Map<string, number>();
      for (const item of handed) if (item) byItem.set(item.objectId, (byItem.get(item.objectId) ?? 0) + 1);
      expect([...byItem.values()]).toEqual([2, 2, 2]);
      expect(handed.filter((item) => item === undefined)).toHaveLength(1);
      // Both reviewers of the first item complete it: it is done, and neither gets it again.
      const first = handed[0]!;
      const holders = reviewers.filter((_, i) => handed[i]?.id === first.id);
      for (const reviewer of holders)
        await t.items.complete(t.settings, first.id, reviewer, { scores: [{ name: 'x', value: 1 }] });
      const done = await t.items.get(t.queue.id, first.id);
      expect(done?.status).toBe('completed');
      expect(done?.reviews.map((r) => r.reviewer).sort()).toEqual([...holders].sort());
      expect((await t.queues.progress(t.queue.id)).completed).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('frees an item whose lock expired, and refuses the late reviewer’s completion', async () => {
    const t = await setUp({ items: 1, lockSeconds: 30 });
    try {
      const alice = await t.items.next('default', t.queue.id, 'alice', () => {});
      expect(await t.items.next('default', t.queue.id, 'bob', () => {})).toBeUndefined();
      const later = Date.now() + 31_000;
      vi.spyOn(Date, 'now').mockReturnValue(later);
      const bob = await t.items.next('default', t.queue.id, 'bob', () => {});
      expect(bob?.id).toBe(alice?.id);
      await expect(
        t.items.complete(t.settings, alice!.id, 'alice', { scores: [{ name: 'x', value: 0 }] }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      const done = await t.items.complete(t.settings, bob!.id, 'bob', { scores: [{ name: 'x', value: 1 }] });
      expect(done.status).toBe('completed');
      expect((await t.queues.progress(t.queue.id, later)).byAssignee).toEqual({
        bob: { completed: 1, inProgress: 0 },
      });
    } finally {
      await t.close();
    }
  });
});
