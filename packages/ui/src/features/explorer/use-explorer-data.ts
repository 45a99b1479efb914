/**
 * The explorer's rows: the first page for the current filters, further pages on demand
 * (infinite scroll over `nextCursor`), and in live mode a poll every 2 s for rows newer than
 * the newest loaded. Requests are aborted when the filters change or the page is left.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchSpans, fetchTraces, type Query, toSearch } from '../../api.ts';
import type { Page, SpanSummary, TraceSummary } from '../../api-types.ts';

/** A row of either list. */
export type ExplorerRow = TraceSummary | SpanSummary;

/** The rows and their loading state. */
export interface ExplorerData {
  rows: ExplorerRow[];
  error: Error | undefined;
  isLoading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  /** Keys of rows that arrived through live tail (highlighted briefly). */
  freshKeys: ReadonlySet<string>;
  reload: () => void;
}

const PAGE_SIZE = 100;
/** Live tail poll interval. */
export const LIVE_POLL_MS = 2000;

/** The identity of a row. */
export function rowKey(row: ExplorerRow): string {
  return 'spanId' in row ? `${row.traceId}:${row.spanId}` : row.traceId;
}

function fetchPage(view: 'traces' | 'spans', query: Query, signal: AbortSignal): Promise<Page<ExplorerRow>> {
  return view === 'spans' ? fetchSpans(query, signal) : fetchTraces(query, signal);
}

/** Loads the explorer list. */
export function useExplorerData(view: 'traces' | 'spans', query: Query, isLive: boolean): ExplorerData {
  const key = view + toSearch(query);
  const [rows, setRows] = useState<ExplorerRow[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [isLoading, setLoading] = useState(true);
  const [freshKeys, setFreshKeys] = useState<ReadonlySet<string>>(new Set());
  const [nonce, setNonce] = useState(0);
  const controller = useRef<AbortController | undefined>(undefined);
  const queryRef = useRef(query);
  queryRef.current = query;
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for view + query; `nonce` reloads
  useEffect(() => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setLoading(true);
    setError(undefined);
    fetchPage(view, { ...queryRef.current, limit: PAGE_SIZE }, c.signal).then(
      (page) => {
        if (c.signal.aborted) return;
        setRows(page.data);
        setCursor(page.nextCursor);
        setFreshKeys(new Set());
        setLoading(false);
      },
      (e: Error) => {
        if (c.signal.aborted || e.name === 'AbortError') return;
        setRows([]);
        setCursor(undefined);
        setError(e);
        setLoading(false);
      },
    );
    return () => c.abort();
  }, [key, nonce]);

  const loadMore = useCallback(() => {
    if (!cursor || isLoading) return;
    const c = new AbortController();
    controller.current = c;
    setLoading(true);
    fetchPage(view, { ...queryRef.current, limit: PAGE_SIZE, cursor }, c.signal).then(
      (page) => {
        if (c.signal.aborted) return;
        setRows((old) => {
          const seen = new Set(old.map(rowKey));
          return [...old, ...page.data.filter((r) => !seen.has(rowKey(r)))];
        });
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (e: Error) => {
        if (c.signal.aborted || e.name === 'AbortError') return;
        setError(e);
        setLoading(false);
      },
    );
  }, [cursor, isLoading, view]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-arm the poll when the list is reset
  useEffect(() => {
    if (!isLive) return;
    const c = new AbortController();
    let timer: number | undefined;
    const poll = async () => {
      const newest = rowsRef.current.reduce((max, r) => Math.max(max, Date.parse(r.startTime)), 0);
      const from = Math.max(Number(queryRef.current.from ?? 0), newest || 0);
      try {
        const page = await fetchPage(
          view,
          { ...queryRef.current, from, to: Date.now() + 1000, limit: PAGE_SIZE },
          c.signal,
        );
        const seen = new Set(rowsRef.current.map(rowKey));
        const added = page.data.filter((r) => !seen.has(rowKey(r)));
        if (added.length > 0 && !c.signal.aborted) {
          setRows((old) => [...added, ...old]);
          setFreshKeys(new Set(added.map(rowKey)));
        }
      } catch {
        // A failed poll is retried on the next tick.
      }
      if (!c.signal.aborted) timer = window.setTimeout(poll, LIVE_POLL_MS);
    };
    timer = window.setTimeout(poll, LIVE_POLL_MS);
    return () => {
      c.abort();
      window.clearTimeout(timer);
    };
  }, [isLive, key, view]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { rows, error, isLoading, hasMore: cursor !== undefined, loadMore, freshKeys, reload };
}
