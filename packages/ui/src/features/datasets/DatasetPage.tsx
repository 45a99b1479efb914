/**
 * One dataset (`/datasets/<id>`): its items in id order with paging and the server's search of
 * id, input and expected output (`q` in the URL, sent 300 ms after typing stops), import of a JSONL or CSV file, export in either format, and the way
 * on to its experiments. An item made from a span links to its trace.
 */

import type { DatasetFormat, DatasetItem } from '@argus/shared';
import { useEffect, useState } from 'react';
import { exportItems, fetchDataset, fetchItems } from '../../api-quality.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { GatedButton } from '../../components/ReadOnlyNote.tsx';
import { Async, Empty, ErrorBox, ListStates } from '../../components/States.tsx';
import { formatCount, formatTime, shortId } from '../../lib/format.ts';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { patchParams, type Route } from '../../lib/url-state.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { usePaged } from '../../lib/use-paged.ts';
import '../../styles/quality.css';
import { useCan } from '../account/auth-context.ts';
import { previewOf } from './dataset-text.ts';
import { ImportDialog } from './ImportDialog.tsx';

function ItemRow({ item }: { item: DatasetItem }) {
  const input = previewOf(item.input, 400);
  const expected = previewOf(item.expectedOutput, 400);
  const metadata = Object.keys(item.metadata).length > 0 ? previewOf(item.metadata, 200) : '';
  return (
    <tr data-item={item.id}>
      <td className="mono" title={item.id} style={{ maxWidth: 140 }}>
        {item.id}
      </td>
      <td title={input} style={{ maxWidth: 420 }}>
        {input}
      </td>
      <td title={expected} style={{ maxWidth: 280 }}>
        {expected || <span className="faint">none</span>}
      </td>
      <td className="muted" title={metadata} style={{ maxWidth: 200 }}>
        {metadata || '–'}
      </td>
      <td>
        {item.sourceTraceId ? (
          <Link
            to={`/traces/${encodeURIComponent(item.sourceTraceId)}${item.sourceSpanId ? `?span=${encodeURIComponent(item.sourceSpanId)}` : ''}`}
            className="mono"
          >
            {shortId(item.sourceTraceId)}
          </Link>
        ) : (
          <span className="faint">–</span>
        )}
      </td>
    </tr>
  );
}

/** Saves a blob as a file through a temporary link. */
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The dataset page. */
export function DatasetPage({ route }: { route: Route }) {
  const id = route.id ?? '';
  const query = route.params.q ?? '';
  const { tick } = useRefresh();
  const canWrite = useCan('write');
  const [isImporting, setImporting] = useState(false);
  const [nonce, setNonce] = useState(0);
  const dataset = useApi(`dataset:${id}:${tick}:${nonce}`, (signal) => fetchDataset(id, signal));
  const [text, setText] = useState(query);
  const search = query.trim().slice(0, 200);
  const items = usePaged(`items:${id}:${search}:${tick}:${nonce}`, (cursor, signal) =>
    fetchItems(id, { cursor, limit: 200, ...(search ? { q: search } : {}) }, signal),
  );
  const exporting = useAction();
  const download = (format: DatasetFormat) =>
    void exporting.run(async () => {
      const name = dataset.data?.data.name ?? id;
      saveBlob(await exportItems(id, format), `${name}.${format}`);
    });
  const shown = items.rows;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text starts a search
  useEffect(() => {
    if (text === query) return;
    const timer = window.setTimeout(
      () => navigate({ ...route, params: patchParams(route.params, { q: text }) }, { replace: true }),
      300,
    );
    return () => window.clearTimeout(timer);
  }, [text]);
  return (
    <Async state={dataset} label="Loading dataset…">
      {({ data: d }) => (
        <>
          <PageHeader
            title={
              <>
                <Link to="/datasets" className="muted" style={{ fontWeight: 400 }}>
                  Datasets
                </Link>{' '}
                / {d.name}
              </>
            }
          >
            <span
              className="chip"
              title={`Version ${d.versionAt}: pass it as ?version= to read these items later`}
            >
              {formatCount(d.itemCount)} items · version {formatTime(d.versionAt)}
            </span>
            <GatedButton
              can={canWrite}
              title="Add items from a JSONL or CSV file"
              onClick={() => setImporting(true)}
            >
              <Icons.plus /> Import
            </GatedButton>
            <button
              type="button"
              className="btn"
              disabled={exporting.isBusy}
              onClick={() => download('jsonl')}
            >
              Export JSONL
            </button>
            <button type="button" className="btn" disabled={exporting.isBusy} onClick={() => download('csv')}>
              Export CSV
            </button>
            <Link className="btn primary" to={`/experiments?dataset=${encodeURIComponent(d.id)}`}>
              Experiments
            </Link>
          </PageHeader>
          <div className="content stack">
            {d.description && (
              <p className="muted" style={{ margin: 0 }}>
                {d.description}
              </p>
            )}
            {exporting.error && <ErrorBox error={exporting.error} />}
            <div className="row">
              <input
                type="search"
                className="input"
                style={{ minWidth: 320 }}
                aria-label="Search items"
                placeholder="Search id, input, expected output (press /)"
                maxLength={200}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
              {search && !items.isLoading && (
                <span className="faint" data-testid="search-note">
                  {formatCount(shown.length)}
                  {items.hasMore ? '+' : ''}{' '}
                  {shown.length === 1 && !items.hasMore ? 'item matches' : 'items match'}
                </span>
              )}
            </div>
            <ListStates
              list={items}
              label="Loading items…"
              empty={
                search ? undefined : (
                  <Empty title="No items yet">
                    {canWrite.isAllowed
                      ? 'Import a JSONL or CSV file with Import above, or open a trace and use Add to dataset on a span.'
                      : 'A project member can import a file here or add spans from a trace.'}
                  </Empty>
                )
              }
            >
              <section className="panel" aria-label="Items">
                {shown.length === 0 ? (
                  <Empty title="No item matches">Change or clear the search.</Empty>
                ) : (
                  <DataTable label="Items" columns={['Id', 'Input', 'Expected output', 'Metadata', 'Source']}>
                    {shown.map((item) => (
                      <ItemRow key={item.id} item={item} />
                    ))}
                  </DataTable>
                )}
                <LoadMore list={items} />
              </section>
            </ListStates>
          </div>
          {isImporting && (
            <ImportDialog
              datasetId={d.id}
              onClose={() => setImporting(false)}
              onImported={() => setNonce((n) => n + 1)}
            />
          )}
        </>
      )}
    </Async>
  );
}
