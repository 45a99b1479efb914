/** The refresh tick: bumping it re-resolves relative time windows (and so refetches every view). */
import { createContext, useContext, useMemo } from 'react';
import { resolveWindow, type TimeWindow } from './time-range.ts';
import type { ViewParams } from './url-state.ts';

/** Value of {@link RefreshContext}. */
export interface Refresh {
  tick: number;
  refresh: () => void;
}

/** Provided by the app shell. */
export const RefreshContext = createContext<Refresh>({ tick: 0, refresh: () => {} });

/** The refresh tick and trigger. */
export function useRefresh(): Refresh {
  return useContext(RefreshContext);
}

/** The view's time window, fixed until the range changes or the user refreshes. */
export function useTimeWindow(params: ViewParams): TimeWindow {
  const { tick } = useRefresh();
  const { range, from, to } = params;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` re-resolves "now"
  return useMemo(() => resolveWindow({ range, from, to }, Date.now()), [range, from, to, tick]);
}
