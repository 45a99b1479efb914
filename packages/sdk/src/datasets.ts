/**
 * Dataset helpers of the SDK: create a dataset, add items to it, find one by id or name, read its
 * items. They call the Argus API (docs/api.md#datasets) and reject with an {@link ArgusApiError}
 * that says what the server answered; they are explicit calls, not instrumentation.
 */
import type { Dataset, DatasetCreate, DatasetItem, ItemsWriteResult, ItemWrite } from '@argus/shared';
import { ArgusApiError, apiList, apiRequest } from './api-client.ts';

export type { Dataset, DatasetItem };

/** One item to add; an item with the `id` of an existing one replaces it (a new version). */
export type DatasetItemInput = ItemWrite;

/** What {@link addItems} did, summed over its calls; `version` is the dataset version the last call made. */
export type AddItemsResult = ItemsWriteResult;

/** Most items one API call carries (the server's limit). */
const ITEMS_PER_CALL = 10_000;

const path = (id: string) => `/api/v1/datasets/${encodeURIComponent(id)}`;

/**
 * Creates a dataset.
 * @example const dataset = await createDataset({ name: 'arithmetic', description: 'sums' });
 */
export function createDataset(options: DatasetCreate): Promise<Dataset> {
  return apiRequest<Dataset>('POST', '/api/v1/datasets', options);
}

/**
 * Finds a dataset by id, else by name.
 * @throws ArgusApiError NOT_FOUND `Cannot find dataset 'x': no dataset has this id or name`.
 */
export async function getDataset(idOrName: string): Promise<Dataset> {
  if (typeof idOrName !== 'string' || idOrName === '') {
    throw new ArgusApiError(
      `Cannot find dataset '${String(idOrName)}': expected an id or a name`,
      0,
      'INVALID_PARAMETER',
    );
  }
  try {
    return await apiRequest<Dataset>('GET', path(idOrName));
  } catch (error) {
    if (!(error instanceof ArgusApiError) || error.status !== 404) throw error;
  }
  const named = (await apiList<Dataset>('/api/v1/datasets')).find((d) => d.name === idOrName);
  if (named === undefined) {
    throw new ArgusApiError(
      `Cannot find dataset '${idOrName}': no dataset has this id or name`,
      404,
      'NOT_FOUND',
    );
  }
  return named;
}

/**
 * Adds (or replaces, by `id`) items of a dataset given by id or name, 10,000 per call.
 * @example await addItems('arithmetic', [{ input: 'What is 2+2?', expectedOutput: '4' }]);
 */
export async function addItems(dataset: string, items: readonly DatasetItemInput[]): Promise<AddItemsResult> {
  const { id } = await getDataset(dataset);
  const total: AddItemsResult = { created: 0, updated: 0, unchanged: 0, version: '' };
  for (let start = 0; start < items.length; start += ITEMS_PER_CALL) {
    const done = await apiRequest<AddItemsResult>('POST', `${path(id)}/items`, {
      items: items.slice(start, start + ITEMS_PER_CALL),
    });
    total.created += done.created;
    total.updated += done.updated;
    total.unchanged += done.unchanged;
    total.version = done.version;
  }
  return total;
}

/** Every item of a dataset (by id or name) as of `version` (default its latest). */
export async function getItems(dataset: string, options: { version?: string } = {}): Promise<DatasetItem[]> {
  const { id } = await getDataset(dataset);
  const version = options.version === undefined ? '' : `&version=${encodeURIComponent(options.version)}`;
  return apiList<DatasetItem>(`${path(id)}/items?limit=1000${version}`);
}
