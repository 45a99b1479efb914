/**
 * `/api/v1/datasets`: datasets, their items (upsert by id, cursor pages, `?version=` reads as of
 * a time), items from spans, and JSONL/CSV import and export. Every change of items makes a
 * version and is audited.
 */
import type { IncomingMessage } from 'node:http';
import type { ColumnMapping, Dataset, DatasetFormat, DatasetItem, ImportResult } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import { noStore } from '../http/respond.ts';
import type { Router } from '../http/router.ts';
import { parseTime } from '../query/filters.ts';
import { invalidParameter, rejectUnknown } from '../query/params.ts';
import { ITEMS_BODY_BYTES, readJson, readText } from './body.ts';
import { CSV_HEADER, itemsFromCsv, itemsFromJsonl, itemToCsv, itemToJsonl } from './dataset-import.ts';
import { copySpans } from './from-spans.ts';
import { notFound } from './not-found.ts';
import type { QualityRouteDeps } from './routes.ts';
import { datasetCreateSchema, fromSpansSchema, itemsUpsertSchema, MAX_ITEMS_PER_CALL } from './schemas.ts';

const PATH = '/api/v1/datasets';
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** A page cursor: the version read and the last item id, so later pages read the same version. */
const encodeCursor = (version: string, after: string) =>
  Buffer.from(JSON.stringify([version, after])).toString('base64url');
function decodeCursor(raw: string): { version: string; after: string } {
  try {
    const [version, after] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (typeof version === 'string' && typeof after === 'string') return { version, after };
  } catch {
    // fall through
  }
  throw invalidParameter('cursor', 'is not a cursor of this list');
}

/** Longest item search text. */
const MAX_Q_CHARS = 200;

/** The `limit` parameter of an items or versions page (default {@link DEFAULT_PAGE}). */
function limitOf(query: URLSearchParams): number {
  const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw invalidParameter('limit', `'${query.get('limit')}' is not an integer from 1 to ${MAX_PAGE}`);
  return limit;
}

function pageParams(query: URLSearchParams): { version?: string; after?: string; limit: number; q?: string } {
  const limit = limitOf(query);
  const q = query.get('q') ?? undefined;
  if (q !== undefined && (q.length === 0 || q.length > MAX_Q_CHARS))
    throw invalidParameter('q', `has ${q.length} characters; expected 1 to ${MAX_Q_CHARS}`);
  const search = q === undefined ? {} : { q };
  const cursor = query.get('cursor');
  if (cursor) return { ...decodeCursor(cursor), limit, ...search };
  const version = query.get('version');
  return {
    ...(version ? { version: new Date(parseTime('version', version)).toISOString() } : {}),
    limit,
    ...search,
  };
}

function mappingOf(query: URLSearchParams): ColumnMapping {
  const list = (name: string) =>
    query
      .get(name)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const input = list('input');
  const metadata = list('metadata');
  return {
    ...(input?.length ? { input } : {}),
    ...(query.get('expected') ? { expected: query.get('expected')! } : {}),
    ...(query.get('id') ? { id: query.get('id')! } : {}),
    ...(metadata?.length ? { metadata } : {}),
  };
}

function importFormat(request: IncomingMessage, query: URLSearchParams): DatasetFormat {
  const asked = query.get('format');
  if (asked === 'csv' || asked === 'jsonl') return asked;
  if (asked !== null) throw invalidParameter('format', `'${asked}' is not csv or jsonl`);
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('text/csv')) return 'csv';
  if (/^application\/(x-ndjson|jsonl|json-lines|x-jsonlines)/.test(type)) return 'jsonl';
  request.resume();
  throw new ArgusError(
    'UNSUPPORTED_MEDIA_TYPE',
    `Cannot import: Content-Type '${type || '(none)'}' is not text/csv or application/x-ndjson; or pass ?format=csv|jsonl`,
  );
}

/** What the dataset route groups share: the repository, the request's project, a dataset or 404. */
interface DatasetRoutes {
  deps: QualityRouteDeps;
  repo: QualityRouteDeps['quality']['datasets'];
  project: (request: IncomingMessage) => string;
  datasetOr404: (request: IncomingMessage, id: string) => Promise<Dataset>;
}

/** Registers the dataset routes. */
export function registerDatasetRoutes(router: Router, deps: QualityRouteDeps): void {
  const repo = deps.quality.datasets;
  const project = (request: IncomingMessage) => deps.projectOf(request);
  const datasetOr404 = async (request: IncomingMessage, id: string) => {
    const dataset = await repo.get(project(request), id);
    if (!dataset) throw notFound('dataset', id);
    return dataset;
  };
  const routes: DatasetRoutes = { deps, repo, project, datasetOr404 };
  registerDatasetReads(router, routes);
  registerItemWrites(router, routes);
  registerImportExport(router, routes);
}

/** Datasets (list, create, read, delete) and their item pages and versions. */
function registerDatasetReads(router: Router, { deps, repo, project, datasetOr404 }: DatasetRoutes): void {
  router.on('GET', PATH, 'read', async ({ request, url }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await repo.list(project(request)) });
  });
  router.on('POST', PATH, 'write', async ({ request }) => {
    const input = await readJson(request, datasetCreateSchema, 'dataset');
    const dataset = await repo.create(project(request), input);
    await deps.audit(request, 'dataset.create', dataset.id, { name: dataset.name });
    return noStore({ data: dataset }, 201);
  });
  router.on('GET', `${PATH}/:id`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, []);
    return noStore({ data: await datasetOr404(request, params.id ?? '') });
  });
  router.on('DELETE', `${PATH}/:id`, 'write', async ({ request, params }) => {
    if (!(await repo.delete(project(request), params.id ?? ''))) throw notFound('dataset', params.id ?? '');
    await deps.audit(request, 'dataset.delete', params.id ?? '');
    return { status: 204 };
  });

  router.on('GET', `${PATH}/:id/items`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, ['version', 'cursor', 'limit', 'q']);
    const page = await repo.listItems(project(request), params.id ?? '', pageParams(url.searchParams));
    const last = page.data.at(-1);
    return noStore({
      data: page.data,
      version: page.version,
      nextCursor: page.nextCursor && last ? encodeCursor(page.version, last.id) : null,
    });
  });
  router.on('GET', `${PATH}/:id/versions`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, ['limit']);
    const limit = limitOf(url.searchParams);
    return noStore({ data: await repo.listVersions(project(request), params.id ?? '', limit) });
  });
}

/** Item changes: upsert, delete one, copy from spans. Each makes a version and is audited. */
function registerItemWrites(router: Router, { deps, repo, project, datasetOr404 }: DatasetRoutes): void {
  router.on('POST', `${PATH}/:id/items`, 'write', async ({ request, params }) => {
    const { items } = await readJson(request, itemsUpsertSchema, 'items', ITEMS_BODY_BYTES);
    const result = await repo.upsertItems(project(request), params.id ?? '', items);
    await deps.audit(request, 'dataset.items.upsert', params.id ?? '', { ...result });
    return noStore({ data: result });
  });
  router.on('DELETE', `${PATH}/:id/items/:itemId`, 'write', async ({ request, params }) => {
    const result = await repo.deleteItems(project(request), params.id ?? '', [params.itemId ?? '']);
    if (result.deleted === 0) throw notFound('item', params.itemId ?? '');
    await deps.audit(request, 'dataset.items.delete', params.id ?? '', {
      itemId: params.itemId,
      version: result.version,
    });
    return noStore({ data: result });
  });
  router.on('POST', `${PATH}/:id/items/from-spans`, 'write', async ({ request, params }) => {
    const body = await readJson(request, fromSpansSchema, 'from-spans request');
    const dataset = await datasetOr404(request, params.id ?? '');
    const result = await copySpans(
      { driver: deps.driver, datasets: repo, maxWindowMs: deps.maxWindowMs },
      dataset.projectId,
      dataset.id,
      body,
    );
    await deps.audit(request, 'dataset.items.from_spans', dataset.id, {
      spans: result.spans,
      version: result.version,
    });
    return noStore({ data: result });
  });
}

/** JSONL/CSV import (with a column mapping) and streamed export of a version. */
function registerImportExport(router: Router, { deps, repo, datasetOr404 }: DatasetRoutes): void {
  router.on('POST', `${PATH}/:id/items/import`, 'write', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, ['format', 'input', 'expected', 'id', 'metadata']);
    const dataset = await datasetOr404(request, params.id ?? '');
    const format = importFormat(request, url.searchParams);
    const text = await readText(request, ITEMS_BODY_BYTES);
    const mapping = mappingOf(url.searchParams);
    const parsed = format === 'csv' ? itemsFromCsv(text, mapping) : itemsFromJsonl(text, mapping);
    if (parsed.items.length > MAX_ITEMS_PER_CALL * 10)
      throw new ArgusError(
        'PAYLOAD_TOO_LARGE',
        `Cannot import ${parsed.items.length} items in one call; split the file into parts of at most ${MAX_ITEMS_PER_CALL * 10}`,
      );
    const written =
      parsed.items.length > 0
        ? await repo.upsertItems(dataset.projectId, dataset.id, parsed.items)
        : { created: 0, updated: 0, unchanged: 0, version: dataset.versionAt };
    const result: ImportResult = { ...written, refused: parsed.refused, errors: parsed.errors };
    await deps.audit(request, 'dataset.items.import', dataset.id, {
      format,
      ...written,
      refused: result.refused,
    });
    return noStore({ data: result }, parsed.items.length === 0 && parsed.errors.length > 0 ? 400 : 200);
  });
  router.on('GET', `${PATH}/:id/items/export`, 'read', async ({ request, url, params }) => {
    rejectUnknown(url.searchParams, ['format', 'version']);
    const format = url.searchParams.get('format') ?? 'jsonl';
    if (format !== 'csv' && format !== 'jsonl')
      throw invalidParameter('format', `'${format}' is not csv or jsonl`);
    const dataset = await datasetOr404(request, params.id ?? '');
    const { version } = pageParams(
      new URLSearchParams(
        url.searchParams.has('version') ? { version: url.searchParams.get('version')! } : {},
      ),
    );
    const lines = () => exportLines(repo, dataset, format, version);
    const safeName = dataset.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'dataset';
    return {
      status: 200,
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="${safeName}.${format}"`,
        'cache-control': 'no-store',
      },
      body: lines(),
    };
  });
}

/** The export's lines, page by page (1,000 items each) of one version; CSV starts with its header. */
async function* exportLines(
  repo: DatasetRoutes['repo'],
  dataset: Dataset,
  format: DatasetFormat,
  version: string | undefined,
): AsyncGenerator<string> {
  if (format === 'csv') yield CSV_HEADER;
  let after: string | undefined;
  for (;;) {
    const page = await repo.listItems(dataset.projectId, dataset.id, { version, after, limit: 1000 });
    yield page.data
      .map((item: DatasetItem) => (format === 'csv' ? itemToCsv(item) : itemToJsonl(item)))
      .join('');
    if (!page.nextCursor) return;
    after = page.nextCursor;
  }
}
