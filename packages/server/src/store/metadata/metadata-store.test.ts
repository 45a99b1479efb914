import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataEngines } from '../../../test/support/metadata-engines.ts';
import type { MetadataStore } from './metadata-store.ts';

// One contract suite, run against both engines the metadata store supports.
const engines = metadataEngines('argus-meta-');

describe.each(engines)('metadata store on $name', (engine) => {
  let store: MetadataStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await engine.open());
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('migrates, creates the default project, and is idempotent', async () => {
    const first = await store.migrate();
    const second = await store.migrate();
    // Every migration in order, 1 … n (5 adds the quality tables; later ones follow).
    expect(first.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(first).toEqual(first.map((_, i) => i + 1));
    expect(second).toEqual([]);
    expect((await store.listProjects()).map((p) => p.id)).toEqual(['default']);
  });

  it('stores and replaces JSON settings per project', async () => {
    await store.ensureProject('p2', 'Second');
    await store.setSetting('default', 'priceOverrides', [{ model: 'm', inputPerMTok: 1, outputPerMTok: 2 }]);
    await store.setSetting('default', 'priceOverrides', [{ model: 'm', inputPerMTok: 3, outputPerMTok: 4 }]);
    expect(await store.getSetting('default', 'priceOverrides')).toEqual([
      { model: 'm', inputPerMTok: 3, outputPerMTok: 4 },
    ]);
    expect(await store.getSetting('p2', 'priceOverrides')).toBeUndefined();
  });

  it('binds hostile strings as values, not SQL', async () => {
    const hostile = "x'); DROP TABLE projects; --";
    await store.ensureProject(hostile, hostile);
    const ids = (await store.listProjects()).map((p) => p.id);
    expect(ids).toContain(hostile);
    expect(ids).toContain('default');
  });
});

// Bookkeeping (leases, cursors, spend totals) commits without waiting for the disk; everything
// else stays flushed at commit, so the relaxed setting must never outlive its transaction.
describe.each(engines)('transactions not flushed at commit on $name', (engine) => {
  let store: MetadataStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await engine.open());
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  /** The engine's commit setting as seen by a statement now (inside or outside a transaction). */
  async function commitSetting(sql = store.sql): Promise<string> {
    if (sql.dialect === 'sqlite') {
      const [row] = await sql.all<{ synchronous: number }>('PRAGMA synchronous');
      return String(row?.synchronous); // 2 = FULL (flushed at commit), 1 = NORMAL
    }
    const [row] = await sql.all<{ synchronous_commit: string }>('SHOW synchronous_commit');
    return String(row?.synchronous_commit);
  }

  it('commits like any transaction, then flushes commits again', async () => {
    const durable = await commitSetting();
    expect(durable).toBe(store.sql.dialect === 'sqlite' ? '2' : 'on');
    const seen = await store.sql.transaction(
      async (tx) => {
        await tx.run('INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES ($1, $2, $3, $4)', [
          'relaxed',
          'me',
          1,
          1,
        ]);
        return commitSetting(tx);
      },
      { durable: false },
    );
    // PostgreSQL shows the transaction's own setting; SQLite applies it at COMMIT.
    if (store.sql.dialect === 'postgres') expect(seen).toBe('off');
    expect(await store.sql.all('SELECT holder FROM leases WHERE name = $1', ['relaxed'])).toEqual([
      { holder: 'me' },
    ]);
    expect(await commitSetting()).toBe(durable);
  });

  it('runs one statement the same way, then flushes commits again', async () => {
    const result = await store.sql.run(
      'INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES ($1, $2, $3, $4)',
      ['single', 'me', 1, 1],
      { durable: false },
    );
    expect(result.changes).toBe(1);
    expect(await store.sql.all('SELECT holder FROM leases WHERE name = $1', ['single'])).toEqual([
      { holder: 'me' },
    ]);
    expect(await commitSetting()).toBe(store.sql.dialect === 'sqlite' ? '2' : 'on');
  });

  it('rolls back on a throw and flushes commits again', async () => {
    const failing = store.sql.transaction(
      async (tx) => {
        await tx.run('INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES ($1, $2, $3, $4)', [
          'rolled-back',
          'me',
          1,
          1,
        ]);
        throw new Error('no');
      },
      { durable: false },
    );
    await expect(failing).rejects.toThrow('no');
    expect(await store.sql.all('SELECT holder FROM leases WHERE name = $1', ['rolled-back'])).toEqual([]);
    expect(await commitSetting()).toBe(store.sql.dialect === 'sqlite' ? '2' : 'on');
  });
});
