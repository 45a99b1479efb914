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
