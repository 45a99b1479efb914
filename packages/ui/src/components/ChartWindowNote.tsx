/** The line that says a page's charts were narrowed to where the window has data, with a way back. */
import { describeWindow, type TimeWindow } from '../lib/time-range.ts';
import type { ViewParams } from '../lib/url-state.ts';

/** Props of {@link ChartWindowNote}. */
export interface ChartWindowNoteProps {
  /** What the charts show. */
  window: TimeWindow;
  /** The whole window picked. */
  fullWindow: TimeWindow;
  params: ViewParams;
  onChange: (patch: Partial<ViewParams>) => void;
}

/** The note. */
export function ChartWindowNote({ window, fullWindow, params, onChange }: ChartWindowNoteProps) {
  const since = new Date(window.fromMs).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  // A custom range is never narrowed: the whole window as one shows all of it.
  const showAll = () =>
    onChange({
      range: undefined,
      from: new Date(fullWindow.fromMs).toISOString(),
      to: new Date(fullWindow.toMs).toISOString(),
    });
  return (
    <div className="faint chart-window-note" data-testid="chart-window-note">
      Charts start at {since}: {describeWindow(params).toLowerCase()} has no data before that. Totals and
      tables cover the whole window.{' '}
      <button type="button" className="link-button" onClick={showAll}>
        Chart the whole window
      </button>
    </div>
  );
}
