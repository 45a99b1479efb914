/** Trace view: the summary, the waterfall of the span tree, and the selected span's detail. */
import { Suspense, useEffect, useMemo, useState } from 'react';
import { fetchTrace, requestProject } from '../../api.ts';
import type { TraceDetail } from '../../api-types.ts';
import { Icons } from '../../components/Icons.tsx';
import { Link } from '../../components/Link.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBox, Loading } from '../../components/States.tsx';
import { isTyping } from '../../lib/keyboard.ts';
import { lazyNamed } from '../../lib/lazy.ts';
import { navigate } from '../../lib/navigation.ts';
import { useRefresh } from '../../lib/refresh.ts';
import { formatRoute, patchParams, type Route, sharedParams } from '../../lib/url-state.ts';
import { useApi } from '../../lib/use-api.ts';
import { buildSpanTree, nextSelection, visibleRows } from '../../lib/waterfall.ts';
import { useCan } from '../account/auth-context.ts';
import { AddToQueueButton } from '../review/AddToQueueButton.tsx';
import { SpanDetail } from './SpanDetail.tsx';
import { TraceHeader } from './TraceHeader.tsx';
import { TraceOverview } from './TraceOverview.tsx';
import { rootHasContent, traceIO } from './trace-io.ts';
import { Waterfall } from './Waterfall.tsx';

const EraseDialog = lazyNamed(() => import('../erasure/EraseDialog.tsx'), 'EraseDialog');

// Recently opened traces, so back and forward between them are instant (until a refresh).
const recent = new Map<string, { trace: TraceDetail; tick: number }>();
const RECENT_MAX = 20;

const KEYS: Record<string, 'up' | 'down' | 'left' | 'right'> = {
  ArrowUp: 'up',
  k: 'up',
  ArrowDown: 'down',
  j: 'down',
  ArrowLeft: 'left',
  h: 'left',
  ArrowRight: 'right',
  l: 'right',
};

/**
 * The trace of the page, from the recently opened ones when nothing was refreshed since; the
 * cache key carries the project (trace ids are unique per project only).
 */
function useRecentTrace(traceId: string) {
  const { tick } = useRefresh();
  const cacheKey = `${requestProject() ?? ''}/${traceId}`;
  const state = useApi(`${traceId}:${tick}`, async (signal) => {
    const cached = recent.get(cacheKey);
    if (cached && cached.tick === tick) return cached.trace;
    const trace = await fetchTrace(traceId, signal);
    recent.delete(cacheKey);
    recent.set(cacheKey, { trace, tick });
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
    return trace;
  });
  return { state, cacheKey };
}

/** Keys on the waterfall: arrows or h/j/k/l move and fold the selection, Escape goes back to the list. */
function useWaterfallKeys(
  route: Route,
  rows: ReturnType<typeof visibleRows>,
  selectedId: string | undefined,
  toggle: (spanId: string) => void,
): void {
  const { params } = route;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === 'Escape' && !document.querySelector('[role="dialog"]')) {
        navigate(formatRoute({ page: 'traces', params: sharedParams(params) }));
        return;
      }
      const key = KEYS[event.key];
      if (!key) return;
      event.preventDefault();
      const move = nextSelection(rows, selectedId, key);
      if (move.toggle) toggle(move.toggle);
      if (move.select)
        navigate({ ...route, params: patchParams(params, { span: move.select }) }, { replace: true });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
}

/** The trace page. */
export function TracePage({ route }: { route: Route }) {
  const traceId = route.id ?? '';
  const { params } = route;
  const { state, cacheKey } = useRecentTrace(traceId);
  const trace = state.data;
  const tree = useMemo(() => buildSpanTree(trace?.spans ?? []), [trace]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  const root = tree.roots[0]?.span;
  const io = useMemo(() => traceIO(trace?.spans ?? [], root), [trace, root]);
  // Without a chosen span a trace opens on its root span when the root recorded content, else on
  // the trace's input and output taken from its model calls (a root HTTP or workflow span has none).
  const hasTraceView = !rootHasContent(root) && Boolean(io.input || io.output);
  const selectedId =
    params.span && tree.byId.has(params.span) ? params.span : hasTraceView ? undefined : root?.spanId;
  const selected = selectedId ? tree.byId.get(selectedId)?.span : undefined;

  const select = (span: string) =>
    navigate({ ...route, params: patchParams(params, { span }) }, { replace: true });
  const toggle = (spanId: string) =>
    setCollapsed((old) => {
      const next = new Set(old);
      if (next.has(spanId)) next.delete(spanId);
      else next.add(spanId);
      return next;
    });

  useWaterfallKeys(route, rows, selectedId, toggle);

  const back = formatRoute({ page: 'traces', params: sharedParams(params) });
  const { isAllowed: canErase } = useCan('admin');
  const [erasing, setErasing] = useState<'confirm' | 'done' | undefined>();
  return (
    <>
      <PageHeader
        title={
          <>
            <Link to={back} className="btn ghost small" aria-label="Back to traces">
              <Icons.back />
            </Link>
            <span className="ellipsis">{root?.name ?? 'Trace'}</span>
          </>
        }
      >
        {trace && <AddToQueueButton traceId={trace.traceId} />}
        {canErase && trace && (
          <button type="button" className="btn danger-text" onClick={() => setErasing('confirm')}>
            Erase this trace
          </button>
        )}
      </PageHeader>
      {erasing && (
        <Suspense fallback={null}>
          <EraseDialog
            subject={{ traceId }}
            onErased={() => {
              recent.delete(cacheKey);
              setErasing('done');
            }}
            onClose={() => {
              if (erasing === 'done') navigate(back);
              setErasing(undefined);
            }}
          />
        </Suspense>
      )}
      <div className="content fill">
        {state.error ? (
          <div style={{ padding: 16 }}>
            <ErrorBox error={state.error} onRetry={state.reload} />
          </div>
        ) : !trace ? (
          <Loading label="Loading trace…" />
        ) : (
          <>
            <TraceHeader trace={trace} root={root} totalMs={tree.totalMs} params={params} />
            {trace.truncated && (
              <div className="error-box" style={{ margin: 8 }}>
                This trace has more spans than the API returns at once; only the first {trace.spans.length}{' '}
                are shown.
              </div>
            )}
            <div className="trace-layout">
              <Waterfall
                tree={tree}
                rows={rows}
                selectedId={selectedId}
                onSelect={select}
                onToggle={toggle}
              />
              {selected ? (
                <SpanDetail
                  key={selected.spanId}
                  span={selected}
                  scores={trace.scores.filter((s) => s.spanId === selected.spanId)}
                  tab={params.tab}
                  onTab={(tab) =>
                    navigate(
                      { ...route, params: patchParams(params, { tab: tab === 'content' ? undefined : tab }) },
                      { replace: true },
                    )
                  }
                />
              ) : hasTraceView ? (
                <TraceOverview io={io} root={root} totalMs={tree.totalMs} onOpen={select} />
              ) : (
                <div className="state">Select a span</div>
              )}
            </div>
          </>
        )}
      </div>
    </>
  );
}
