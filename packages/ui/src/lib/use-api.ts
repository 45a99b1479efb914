/** Data loading for components: one request per dependency change, aborted when superseded. */
import { useCallback, useEffect, useRef, useState } from 'react';

/** The state of a request. */
export interface ApiState<T> {
  data: T | undefined;
  error: Error | undefined;
  /** True while a request runs (earlier data stays shown meanwhile). */
  isLoading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when `key` changes (and on reload), aborting the previous request; keeps the last
 * data while the next loads. `key` is a string that identifies the request (usually its URL).
 */
export function useApi<T>(key: string | undefined, load: (signal: AbortSignal) => Promise<T>): ApiState<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; isLoading: boolean }>({
    isLoading: key !== undefined,
  });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `nonce` re-runs the request on reload
  useEffect(() => {
    if (key === undefined) {
      setState({ isLoading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, isLoading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, isLoading: false });
      },
      (error: Error) => {
        if (!controller.signal.aborted && error.name !== 'AbortError')
          setState((s) => ({ data: s.data, error, isLoading: false }));
      },
    );
    return () => controller.abort();
  }, [key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data: state.data, error: state.error, isLoading: state.isLoading, reload };
}
