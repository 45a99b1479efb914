/**
 * Loading what the experiment pages show whole: every item run of an experiment and the
 * dataset items it ran on (at its pinned version), page after page up to a bound.
 */
import type { DatasetItem, ExperimentItemResult, Page } from '@argus/shared';
import { fetchExperimentItems, fetchItems } from '../../api-quality.ts';
import { useApi } from '../../lib/use-api.ts';

/** Most rows a page loads of one list (the console shows that many; the API pages further). */
const MAX_ROWS = 10_000;

/** Reads pages until the last one or `MAX_ROWS`; `isTruncated` says whether rows were left. */
async function fetchAll<T>(
  page: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<{ rows: T[]; isTruncated: boolean }> {
  const rows: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const next = await page(cursor);
    rows.push(...next.data);
    cursor = next.nextCursor;
    if (!cursor) return { rows, isTruncated: false };
    if (rows.length >= MAX_ROWS) return { rows, isTruncated: true };
  }
}

/** Every item run of an experiment; `version` (its progress) reloads them as it runs. */
export function useRuns(experimentId: string | undefined, version: string) {
  return useApi(experimentId ? `runs:${experimentId}:${version}` : undefined, (signal) =>
    fetchAll<ExperimentItemResult>((cursor) =>
      fetchExperimentItems(experimentId ?? '', { cursor, limit: 1000 }, signal),
    ),
  );
}

/** The dataset's items at a version (current when none), by id; `refresh` reads them again; empty when the dataset is gone. */
export function useItemsById(
  datasetId: string | undefined,
  { version, refresh }: { version: string | undefined; refresh: string },
) {
  return useApi(datasetId ? `items:${datasetId}:${version ?? ''}:${refresh}` : undefined, async (signal) => {
    try {
      const { rows } = await fetchAll<DatasetItem>((cursor) =>
        fetchItems(datasetId ?? '', { cursor, limit: 1000, ...(version ? { version } : {}) }, signal),
      );
      return new Map(rows.map((item) => [item.id, item]));
    } catch (error) {
      if ((error as { status?: number }).status === 404) return new Map<string, DatasetItem>();
      throw error;
    }
  });
}
