/** The line that says a page's charts were narrowed to where the window has data. */
import { describeWindow, type TimeWindow } from '../lib/time-range.ts';
import type { ViewParams } from '../lib/url-state.ts';

/** The note. */
export function ChartWindowNote({ window, params }: { window: TimeWindow; params: ViewParams }) {
  const since = new Date(window.fromMs).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return (
    <div className="faint chart-window-note" data-testid="chart-window-note">
      Charts start at {since}: {describeWindow(params).toLowerCase()} has no data before that. Totals and
      tables cover the whole window.
    </div>
  );
}
