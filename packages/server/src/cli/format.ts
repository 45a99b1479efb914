/**
 * The one place that turns numbers and times into CLI text: rates as %, durations with units,
 * costs in dollars with enough digits to be exact at LLM prices, counts with separators, and
 * times as local readable timestamps. Tables (`table`) align and truncate the result.
 */

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** `1,234,567`; empty for a non-number. */
export function formatCount(value: unknown): string {
  return isNumber(value) ? COUNT.format(value) : '';
}

/** A 0–1 rate as a percentage: `4.7%`, `0%`, `<0.1%`, `100%`. */
export function formatPercent(value: unknown): string {
  if (!isNumber(value)) return '';
  if (value === 0) return '0%';
  const percent = value * 100;
  if (percent < 0.1) return '<0.1%';
  return `${Number(percent.toFixed(percent >= 99.95 ? 0 : 1))}%`;
}

/** Milliseconds with a unit: `0.42 ms`, `280.5 ms`, `1.28 s`, `3 min 5 s`. */
export function formatMs(value: unknown): string {
  if (!isNumber(value)) return '';
  if (value === 0) return '0 ms';
  if (value < 10) return `${Number(value.toFixed(2))} ms`;
  if (value < 1000) return `${Number(value.toFixed(1))} ms`;
  if (value < 60_000) return `${Number((value / 1000).toFixed(2))} s`;
  const minutes = Math.floor(value / 60_000);
  return `${minutes} min ${Math.round((value - minutes * 60_000) / 1000)} s`;
}

/**
 * US dollars: cents for a dollar or more (`$12.34`), else three significant digits, however small
 * (`$0.0123`, `$0.0000346`); `$0` for nothing.
 */
export function formatUsd(value: unknown): string {
  if (!isNumber(value)) return '';
  if (value === 0) return '$0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= 1)
    return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(12, 2 - Math.floor(Math.log10(abs)));
  // Trailing zeros go, but cents stay: `$0.60`, `$0.075`, `$0.0000346`.
  return `${sign}$${abs.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/** A rate per second: `42.1 tok/s`. */
export function formatPerSecond(value: unknown, unit: string): string {
  if (!isNumber(value)) return '';
  return `${Number(value.toFixed(value < 10 ? 2 : 1))} ${unit}/s`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant (ISO 8601, any fraction length, or epoch ms) as local time: `2026-12-06 17:25:36`;
 * with `short`, `17:25:36` for today and `12-06 17:25` otherwise. Unparseable text is kept.
 */
export function formatTime(value: unknown, options: { short?: boolean; now?: Date } = {}): string {
  if (value === undefined || value === null || value === '') return '';
  // Nanosecond ISO strings (`…36.136000000Z`) are cut to milliseconds, which Date reads everywhere.
  const date =
    typeof value === 'number' ? new Date(value) : new Date(String(value).replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(date.getTime())) return String(value);
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  if (!options.short) return `${day} ${clock}`;
  const now = options.now ?? new Date();
  const isToday =
    now.getFullYear() === date.getFullYear() &&
    now.getMonth() === date.getMonth() &&
    now.getDate() === date.getDate();
  return isToday ? clock : `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock.slice(0, 5)}`;
}

/** Text on one line, whitespace runs collapsed (previews of prompts). */
export function oneLine(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).replace(/\s+/g, ' ').trim();
}

/** How each metric of `argus series` (and the API's metric names) is printed, with its header. */
export const METRIC_FORMATS: Readonly<Record<string, { header: string; format: (v: unknown) => string }>> = {
  requests: { header: 'Requests', format: formatCount },
  errors: { header: 'Errors', format: formatCount },
  errorRate: { header: 'Error rate', format: formatPercent },
  latencyP50: { header: 'p50', format: formatMs },
  latencyP95: { header: 'p95', format: formatMs },
  latencyP99: { header: 'p99', format: formatMs },
  ttftP50: { header: 'TTFT p50', format: formatMs },
  ttftP95: { header: 'TTFT p95', format: formatMs },
  inputTokens: { header: 'In tokens', format: formatCount },
  outputTokens: { header: 'Out tokens', format: formatCount },
  costUsd: { header: 'Cost', format: formatUsd },
  tokensPerSecond: { header: 'Tok/s', format: (v) => formatPerSecond(v, 'tok').replace(' tok/s', '') },
};

/** How a table shows its columns. */
export interface TableOptions {
  /** Header text per column key (default the key). */
  headers?: Readonly<Record<string, string>>;
  /** Columns aligned to the right (numbers). */
  right?: readonly string[];
  /** Widest a column may be, per key (default 60); longer cells end with `…`. */
  maxWidths?: Readonly<Record<string, number>>;
  /** A column that takes what is left of `totalWidth` after the others (at least 10). */
  fill?: string;
  /** Line width the `fill` column fits (default 120). */
  totalWidth?: number;
}

/** An instant as the API writes it (ISO 8601 in UTC), which tables show as local time. */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** A cell's text: API instants as local times, anything else on one line. */
function cellText(value: unknown): string {
  return typeof value === 'string' && ISO_INSTANT.test(value) ? formatTime(value) : oneLine(value);
}

/**
 * Renders rows (cells already text, or anything String() reads) as an aligned table; cells that
 * are API instants print as local times.
 */
export function table(
  rows: Record<string, unknown>[],
  columns: string[],
  options: TableOptions = {},
): string {
  const headers = columns.map((c) => options.headers?.[c] ?? c);
  const cells = rows.map((row) => columns.map((c) => cellText(row[c] ?? '')));
  const widths = columns.map((c, i) =>
    Math.max(
      1,
      Math.min(options.maxWidths?.[c] ?? 60, Math.max(headers[i]!.length, ...cells.map((r) => r[i]!.length))),
    ),
  );
  const fill = options.fill === undefined ? -1 : columns.indexOf(options.fill);
  if (fill >= 0) {
    const others = widths.reduce((sum, w, i) => (i === fill ? sum : sum + w + 2), 0);
    widths[fill] = Math.min(widths[fill]!, Math.max(10, (options.totalWidth ?? 120) - others));
  }
  const right = new Set(options.right ?? []);
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const width = widths[i]!;
        const cut = v.length > width ? `${v.slice(0, Math.max(0, width - 1))}…` : v;
        return right.has(columns[i]!) ? cut.padStart(width) : cut.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return `${[line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}
