/** Trace explorer: traces or spans, every filter, full-text search, columns, sort, infinite scroll, live tail. */
import { useEffect, useState } from 'react';
import { filterQuery } from '../../api.ts';
import { Icons } from '../../components/Icons.tsx';
import { Onboarding } from '../../components/Onboarding.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Empty, ErrorBox } from '../../components/States.tsx';
import { TimeRangePicker } from '../../components/TimeRangePicker.tsx';
import { navigate } from '../../lib/navigation.ts';
import { useTimeWindow } from '../../lib/refresh.ts';
import {
  FILTER_KEYS,
  formatRoute,
  patchParams,
  type Route,
  sharedParams,
  type ViewParams,
} from '../../lib/url-state.ts';
import { ColumnChooser } from './ColumnChooser.tsx';
import { type Column, pickColumns, sortRows } from './columns.tsx';
import { ExplorerFilters } from './ExplorerFilters.tsx';
import { ExplorerTable } from './ExplorerTable.tsx';
import { DEFAULT_SPAN_COLUMNS, SPAN_COLUMNS } from './span-columns.tsx';
import { DEFAULT_TRACE_COLUMNS, TRACE_COLUMNS } from './trace-columns.tsx';
import { type ExplorerRow, useExplorerData } from './use-explorer-data.ts';

function SearchBox({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (q: string | undefined) => void;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <form
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(text.trim() || undefined);
      }}
    >
      <Icons.search />
      <input
        className="input"
        type="search"
        name="q"
        placeholder="Search prompts and completions…"
        title="Full-text search: every word must occur"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value === '' && value) onChange(undefined);
        }}
        aria-label="Full-text search"
      />
    </form>
  );
}

/** The explorer page. */
export function ExplorerPage({ route }: { route: Route }) {
  const { params } = route;
  const view = params.view ?? 'traces';
  const timeWindow = useTimeWindow(params);
  const update = (patch: Partial<ViewParams>, replace = false) =>
    navigate({ ...route, params: patchParams(params, patch) }, { replace });
  const query = filterQuery(params, timeWindow);
  const data = useExplorerData(view, query, Boolean(params.live));
  const all = (view === 'spans' ? SPAN_COLUMNS : TRACE_COLUMNS) as Column<ExplorerRow>[];
  const columns = pickColumns(
    all,
    params.cols,
    view === 'spans' ? DEFAULT_SPAN_COLUMNS : DEFAULT_TRACE_COLUMNS,
  );
  const rows = sortRows(data.rows, columns, params.sort);
  const hasFilters = FILTER_KEYS.some((k) => params[k] !== undefined);

  const open = (row: ExplorerRow, { newTab }: { newTab: boolean }) => {
    const target = formatRoute({
      page: 'trace',
      id: row.traceId,
      params: { ...sharedParams(params), span: 'spanId' in row ? row.spanId : undefined },
    });
    if (newTab) window.open(target, '_blank', 'noopener');
    else navigate(target);
  };

  return (
    <>
      <PageHeader title="Traces">
        <fieldset className="seg" aria-label="List">
          <button
            type="button"
            aria-pressed={view === 'traces'}
            onClick={() => update({ view: undefined, cols: undefined, sort: undefined })}
          >
            Traces
          </button>
          <button
            type="button"
            aria-pressed={view === 'spans'}
            onClick={() => update({ view: 'spans', cols: undefined, sort: undefined })}
          >
            Spans
          </button>
        </fieldset>
        <SearchBox value={params.q} onChange={(q) => update({ q })} />
        <button
          type="button"
          className="btn"
          aria-pressed={Boolean(params.live)}
          onClick={() => update({ live: !params.live, from: undefined, to: undefined, sort: undefined })}
          title="Poll for new rows every 2 seconds"
        >
          <Icons.live /> {params.live ? 'Live' : 'Live tail'}
        </button>
        <ColumnChooser
          all={all.map((c) => ({ id: c.id, label: c.label || c.id }))}
          visible={columns.map((c) => c.id)}
          onChange={(cols) => update({ cols })}
        />
        <TimeRangePicker
          params={params}
          onChange={(p) => update({ ...p, live: p.from ? undefined : params.live })}
        />
      </PageHeader>
      <ExplorerFilters params={params} timeWindow={timeWindow} onChange={(patch) => update(patch)} />
      <div className="content fill">
        {data.error && (
          <div style={{ padding: 12 }}>
            <ErrorBox error={data.error} onRetry={data.reload} />
          </div>
        )}
        {!data.isLoading && !data.error && data.rows.length === 0 ? (
          hasFilters ? (
            <Empty title={`No ${view} match these filters`}>Widen the time range or clear a filter.</Empty>
          ) : (
            <div className="content">
              <Onboarding title={`No ${view} in this window`} />
            </div>
          )
        ) : (
          <ExplorerTable
            rows={rows}
            columns={columns}
            sort={params.sort}
            onSort={(sort) => update({ sort }, true)}
            onOpen={open}
            hasMore={data.hasMore}
            isLoading={data.isLoading}
            loadMore={data.loadMore}
            freshKeys={data.freshKeys}
          />
        )}
      </div>
    </>
  );
}
