/** A headline number with its change against the previous window. */
import { formatChange } from '../lib/format.ts';
import { relativeChange } from '../lib/time-range.ts';

/** Props of {@link StatTile}. */
export interface StatTileProps {
  label: string;
  value: number | undefined;
  previous?: number;
  format: (n: number | undefined) => string;
  /** Whether a rise is good (requests), bad (errors, latency, cost) or neutral. */
  polarity?: 'up-good' | 'up-bad' | 'neutral';
  /** What the number counts, shown on hover over the label. */
  hint?: string;
}

/** A stat tile. */
export function StatTile({ label, value, previous, format, polarity = 'neutral', hint }: StatTileProps) {
  const change = value === undefined || previous === undefined ? undefined : relativeChange(value, previous);
  let tone = '';
  if (change !== undefined && Math.abs(change) >= 0.005 && polarity !== 'neutral') {
    const isRise = change > 0;
    tone = isRise === (polarity === 'up-good') ? 'good' : 'bad';
  }
  return (
    <div className="panel stat" data-stat={label}>
      <div className="stat-label" title={hint}>
        {label}
      </div>
      <div className="stat-value">
        {format(value)}
        {change !== undefined && (
          <span
            className={`stat-change ${tone}`}
            title="Change against the previous window of the same length"
          >
            {formatChange(change)}
          </span>
        )}
      </div>
    </div>
  );
}
