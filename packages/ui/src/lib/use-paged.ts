/** A cursor-paged list: the first page per key, then "load more" appends the next. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api-types.ts';

/** The list and its state. */
export interface PagedList<T> {
  rows: T[];
  error: Error | undefined;
  isLoading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** Loads pages of `fetchPage(cursor)`; a new `key` starts over (aborting what was in flight). */
export function usePaged<T>(
  key: string,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
): PagedList<T> {
  const [rows, setRows] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [isLoading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const controller = useRef<AbortController | undefined>(undefined);

  const load = useCallback((after: string | undefined, isReset: boolean) => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setLoading(true);
    if (isReset) setError(undefined);
    fetchRef.current(after, c.signal).then(
      (page) => {
        if (c.signal.aborted) return;
        setRows((old) => (isReset ? page.data : [...old, ...page.data]));
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (e: Error) => {
        if (c.signal.aborted || e.name === 'AbortError') return;
        if (isReset) setRows([]);
        setError(e);
        setLoading(false);
      },
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` identifies the list; `nonce` reloads
  useEffect(() => {
    load(undefined, true);
    return () => controller.current?.abort();
  }, [key, nonce, load]);

  const loadMore = useCallback(() => {
    if (cursor && !isLoading) load(cursor, false);
  }, [cursor, isLoading, load]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { rows, error, isLoading, hasMore: cursor !== undefined, loadMore, reload };
}
