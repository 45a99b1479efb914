/**
 * The spans table's part layout, which decides the embedded engine's memory per insert and merge
 * (issue 20, memory; migration 11): an insert's part is compact, a merge into a wide part is vertical.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSpan, tempConfig } from '../query/test-helpers.ts';
import { openStore, type Store } from './index.ts';

const temp = tempConfig('spans-parts');
let store: Store;

beforeAll(async () => {
  store = await openStore(temp.config);
});
afterAll(async () => {
  await store?.close();
  temp.cleanup();
});

describe('spans parts (migration 11)', () => {
  it('sets compact parts under 64 MiB and vertical merges from the first row on the table', async () => {
    const [row] = await store.driver.query<{ query: string }>(
      "SELECT create_table_query AS query FROM system.tables WHERE database = currentDatabase() AND name = 'spans'",
    );
    expect(row?.query).toMatch(/min_bytes_for_wide_part = 67108864/);
    expect(row?.query).toMatch(/vertical_merge_algorithm_min_rows_to_activate = 1\b/);
  });

  it('writes an insert of 12 MB of spans as a compact part (the engine would make it wide above 10 MiB)', async () => {
    const text = 'the quick brown fox jumps over the lazy dog '.repeat(2_300);
    await store.insertSpans(
      Array.from({ length: 120 }, () =>
        makeSpan({ input: [{ role: 'user', parts: [{ type: 'text', content: text }] }] }),
      ),
    );
    const parts = await store.driver.query<{ part_type: string }>(
      "SELECT DISTINCT part_type FROM system.parts WHERE database = currentDatabase() AND table = 'spans' AND active",
    );
    expect(parts.map((p) => p.part_type)).toEqual(['Compact']);
  });
});
