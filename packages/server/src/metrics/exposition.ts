/**
 * Renders a {@link MetricsRegistry} in the Prometheus text format 0.0.4 or in OpenMetrics
 * 1.0.0 (chosen from the scraper's `Accept` header).
 */
import { type MetricFamily, type MetricKind, PROJECT_LABEL } from './registry.ts';

/** An exposition format. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Content-Type of each format. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/**
 * The format to answer an `Accept` header with: OpenMetrics when the client offers it (any
 * version) at least as eagerly as `text/plain`, else the text format 0.0.4.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  let openMetrics = 0;
  let text = 0;
  for (const entry of accept.split(',')) {
    const [type = '', ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus';
}

/** A sample value as both formats write it. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** A bucket bound: OpenMetrics wants canonical floats (`1.0`, not `1`). */
function formatBound(bound: number, format: ExpositionFormat): string {
  const text = formatValue(bound);
  return format === 'openmetrics' && /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** Escapes a label value (backslash, double quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(help: string, format: ExpositionFormat): string {
  const pattern = format === 'openmetrics' ? /[\\"\n]/g : /[\\\n]/g;
  return help.replace(pattern, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const parts: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const value = values[i] ?? '';
    // An empty label value is the same as no label; leaving it out keeps lines short.
    if (value !== '') parts.push(`${names[i]}="${escapeLabelValue(value)}"`);
  }
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** The family name OpenMetrics expects (without the `_total` / `_info` sample suffix). */
function familyName(family: MetricFamily<MetricKind>, format: ExpositionFormat): string {
  if (format === 'prometheus') return family.name;
  if (family.kind === 'counter') return family.name.slice(0, -'_total'.length);
  if (family.kind === 'info') return family.name.slice(0, -'_info'.length);
  return family.name;
}

function typeOf(kind: MetricKind, format: ExpositionFormat): string {
  return kind === 'info' && format === 'prometheus' ? 'gauge' : kind;
}

/** Options of {@link renderExposition}. */
export interface RenderOptions {
  /**
   * Only this project's series: families with an `argus_project` label keep the series of that
   * project, families without it (process and server health) are left out. Undefined = all.
   */
  project?: string;
}

/** Renders families; families without series (in the scope) are left out. */
export function renderExposition(
  families: readonly MetricFamily<MetricKind>[],
  format: ExpositionFormat,
  options: RenderOptions = {},
): string {
  const out: string[] = [];
  for (const family of families) {
    if (family.size === 0) continue;
    let keep: SeriesFilter | undefined;
    if (options.project !== undefined) {
      const index = family.labelNames.indexOf(PROJECT_LABEL);
      if (index < 0) continue;
      const project = options.project;
      keep = (values) => values[index] === project;
    }
    const lines: string[] = [];
    renderSeries(family, format, lines, keep);
    if (lines.length === 0) continue;
    const name = familyName(family, format);
    out.push(`# HELP ${name} ${escapeHelp(family.help, format)}`);
    out.push(`# TYPE ${name} ${typeOf(family.kind, format)}`);
    if (format === 'openmetrics' && family.unit && name.endsWith(`_${family.unit}`)) {
      out.push(`# UNIT ${name} ${family.unit}`);
    }
    for (const line of lines) out.push(line);
  }
  if (format === 'openmetrics') out.push('# EOF');
  return `${out.join('\n')}\n`;
}

/** Which series of a family to render, by label values. */
type SeriesFilter = (values: readonly string[]) => boolean;

function renderSeries(
  family: MetricFamily<MetricKind>,
  format: ExpositionFormat,
  out: string[],
  keep?: SeriesFilter,
): void {
  const names = family.labelNames;
  if (family.kind !== 'histogram') {
    for (const { values, child } of family.series()) {
      if (keep && !keep(values)) continue;
      const value = (child as { value: number }).value;
      out.push(`${family.name}${labelText(names, values)} ${formatValue(value)}`);
    }
    return;
  }
  for (const { values, child } of (family as MetricFamily<'histogram'>).series()) {
    if (keep && !keep(values)) continue;
    let cumulative = 0;
    for (let i = 0; i <= child.bounds.length; i++) {
      cumulative += child.counts[i]!;
      const le = i < child.bounds.length ? formatBound(child.bounds[i]!, format) : '+Inf';
      out.push(`${family.name}_bucket${labelText(names, values, `le="${le}"`)} ${formatValue(cumulative)}`);
    }
    out.push(`${family.name}_sum${labelText(names, values)} ${formatValue(child.sum)}`);
    out.push(`${family.name}_count${labelText(names, values)} ${formatValue(child.count)}`);
  }
}
