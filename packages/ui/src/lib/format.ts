/** Number, duration, cost and time formatting for tables, charts and tooltips. */

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const exactNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** `1.2k`, `3.4M`; integers under 10,000 in full. */
export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return Math.abs(n) < 10_000 ? integer.format(n) : compact.format(n);
}

/** `850 ms`, `1.24 s`, `2m 05s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/**
 * A cost in US dollars: `$0.0029`, `$0.000035`, `$1.23`, `$1.2k`. Amounts under a dollar keep
 * `significant` significant digits (2 by default, enough to compare; more for exact figures),
 * never rounding a real cost to zero.
 */
export function formatCost(usd: number | undefined, significant = 2): string {
  if (usd === undefined || !Number.isFinite(usd)) return '–';
  if (usd === 0) return '$0';
  const sign = usd < 0 ? '−' : '';
  const abs = Math.abs(usd);
  if (abs >= 1000 && significant <= 3) return `${sign}$${compact.format(abs)}`;
  if (abs >= 1 && significant <= 3) return `${sign}$${abs.toFixed(2)}`;
  const decimals = Math.min(20, Math.max(2, significant - 1 - Math.floor(Math.log10(abs))));
  return `${sign}$${trimZeros(abs.toFixed(decimals))}`;
}

/** A cost with every significant digit a span carries (up to 6): `$0.0000346`. */
export function formatCostExact(usd: number | undefined): string {
  return formatCost(usd, 6);
}

// `0.002900` → `0.0029`; at least two decimals, like cents: `0.5` → `0.50`, `3` → `3.00`.
function trimZeros(fixed: string): string {
  const [whole, fraction = ''] = fixed.split('.') as [string, string?];
  return `${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}

/** `12.5%` from a ratio. */
export function formatPercent(ratio: number | undefined, digits = 1): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '–';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** `+12%` / `−3%` for a relative change. */
export function formatChange(change: number | undefined): string {
  if (change === undefined) return '';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const pct = Math.abs(change * 100);
  return `${sign}${pct >= 100 ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** `14:03:22` today, `Nov 14 14:03` otherwise. */
export function formatTime(iso: string | number | undefined): string {
  if (iso === undefined || iso === '') return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '–';
  const isToday = date.toDateString() === new Date().toDateString();
  return isToday
    ? date.toLocaleTimeString(undefined, { hour12: false })
    : date.toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      });
}

/** `3 min ago`. */
export function formatAgo(iso: string | undefined, nowMs = Date.now()): string {
  if (!iso) return '–';
  const ms = nowMs - Date.parse(iso);
  if (!Number.isFinite(ms)) return '–';
  if (ms < 60_000) return 'just now';
  if (ms < 3600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3600_000)} h ago`;
  return `${Math.floor(ms / 86_400_000)} d ago`;
}

/** A value formatter for a metric name. */
export function metricFormatter(metric: string): (n: number | undefined) => string {
  if (metric === 'costUsd') return formatCost;
  if (metric === 'errorRate') return (n) => formatPercent(n);
  if (metric.startsWith('latency') || metric.startsWith('ttft')) return formatDuration;
  if (metric === 'tokensPerSecond') return (n) => (n === undefined ? '–' : `${n.toFixed(1)}/s`);
  return formatCount;
}

/** The exact form of a metric's value, for tooltips: every digit of costs and counts. */
export function exactFormatter(metric: string): (n: number | undefined) => string {
  if (metric === 'costUsd') return formatCostExact;
  if (metric === 'errorRate') return (n) => formatPercent(n, 2);
  if (metric === 'tokensPerSecond') return (n) => (n === undefined ? '–' : `${n.toFixed(2)}/s`);
  if (metric.startsWith('latency') || metric.startsWith('ttft')) return formatDuration;
  return (n) => (n === undefined || !Number.isFinite(n) ? '–' : exactNumber.format(n));
}

/** Shortens an id for display: `4bf92f35…4736`. */
export function shortId(id: string, keep = 8): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-4)}`;
}

/** A wait or a period in words: `45 s`, `14 min 32 s`, `2 h 5 min`, `7 days`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  if (s < 86_400) {
    const minutes = Math.floor((s % 3600) / 60);
    return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${Math.floor(s / 3600)} h`;
  }
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} h` : ''}`;
}
