/**
 * Client-side navigation over the History API: `useRoute()` re-renders on pushState,
 * replaceState and back/forward; `navigate()` changes the URL.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { formatRoute, parseRoute, type Route } from './url-state.ts';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onPop = () => listener();
  window.addEventListener('popstate', onPop);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', onPop);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** Navigates to a path (`/traces?model=x`) or a route; `replace` keeps the history length. */
export function navigate(to: string | Route, options: { replace?: boolean } = {}): void {
  const target = typeof to === 'string' ? to : formatRoute(to);
  if (target === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  for (const listener of listeners) listener();
}

/** The current route, parsed from the URL. */
export function useRoute(): Route {
  const location = useSyncExternalStore(subscribe, snapshot, () => '/');
  return useMemo(() => {
    const [path = '/', search = ''] = location.split('?');
    return parseRoute(path, search);
  }, [location]);
}

/** True when a click should be left to the browser (new tab, new window, download). */
export function isModifiedClick(event: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): boolean {
  return event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}
