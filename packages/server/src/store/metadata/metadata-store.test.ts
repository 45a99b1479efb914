import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, startPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { MetadataStore } from './metadata-store.ts';
import { openPostgresClient } from './postgres-client.ts';
import { openSqliteClient } from './sqlite-client.ts';

// One contract suite, run against both engines the metadata store supports.
const engines: {
  name: string;
  open: () => Promise<{ store: MetadataStore; cleanup: () => Promise<void> }>;
}[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-meta-'));
      const store = new MetadataStore(openSqliteClient(path.join(dir, 'metadata.db')));
      return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];

let pg: TestPostgres | undefined;
if (hasPostgres() || process.env.CI) {
  engines.push({
    name: 'postgres',
    async open() {
      pg ??= await startPostgres();
      return { store: new MetadataStore(openPostgresClient(pg.url)), cleanup: async () => {} };
    },
  });
}
afterAll(() => pg?.stop());

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
