/**
 * The rule editor's draft (every input as text) and its mapping to and from the rule JSON
 * of the API. The server validates; {@link errorField} places its message next to the input.
 */
import type {
  AlertRule,
  AnomalyOptions,
  Comparison,
  MetricName,
  OtlpMetricSource,
  RuleInput,
  RuleSource,
  RuleType,
  ScoreSource,
  Severity,
} from '@argus/shared';

/** The editor's state: inputs as typed. */
export interface RuleDraft {
  name: string;
  description: string;
  type: RuleType;
  enabled: boolean;
  sourceKind: RuleSource['kind'];
  metric: string;
  /** `key=value` per line; `a|b` is a list. */
  filters: string;
  sourceName: string;
  /** `key=value` per line (OTLP attributes). */
  attributes: string;
  aggregation: string;
  window: string;
  comparison: Comparison;
  threshold: string;
  for: string;
  severity: Severity;
  channels: string[];
  renotifyInterval: string;
  /** `key=value` per line. */
  labels: string;
  sensitivity: string;
  historyDays: string;
  direction: 'both' | 'above' | 'below';
  minBandWidth: string;
  minRelativeWidth: string;
  period: 'day' | 'week' | 'month';
  amountUsd: string;
  /** Comma list. */
  percentages: string;
}

/** A blank draft: a threshold rule on request count. */
export function emptyDraft(): RuleDraft {
  return {
    name: '',
    description: '',
    type: 'threshold',
    enabled: true,
    sourceKind: 'series',
    metric: 'requests',
    filters: '',
    sourceName: '',
    attributes: '',
    aggregation: 'avg',
    window: '5m',
    comparison: '>',
    threshold: '',
    for: '',
    severity: 'warning',
    channels: [],
    renotifyInterval: '',
    labels: '',
    sensitivity: '3',
    historyDays: '14',
    direction: 'both',
    minBandWidth: '0',
    minRelativeWidth: '0.1',
    period: 'month',
    amountUsd: '',
    percentages: '80, 100',
  };
}

/** Parses `key=value` lines (or `;`-separated pairs); `|` in a value makes a list when `lists`. */
export function parsePairs(text: string, lists = false): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of text.split(/[\n;]/)) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (!key) continue;
    out[key] = lists && value.includes('|') ? value.split('|').map((v) => v.trim()) : value;
  }
  return out;
}

/** Formats a record as `key=value` lines (lists joined with `|`). */
export function formatPairs(record: Record<string, unknown> | undefined): string {
  return Object.entries(record ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`)
    .join('\n');
}

const num = (text: string): number | undefined => {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
};

/** The rule JSON of a draft, and the inputs that are not numbers. */
export function draftToRule(draft: RuleDraft): {
  rule: RuleInput;
  errors: Partial<Record<keyof RuleDraft, string>>;
} {
  const errors: Partial<Record<keyof RuleDraft, string>> = {};
  const number = (field: keyof RuleDraft): number | undefined => {
    const n = num(draft[field] as string);
    if (Number.isNaN(n)) errors[field] = 'not a number';
    return n === undefined || Number.isNaN(n) ? undefined : n;
  };
  const rule: RuleInput = { name: draft.name.trim(), type: draft.type, enabled: draft.enabled };
  if (draft.description.trim()) rule.description = draft.description.trim();
  const kind = draft.type === 'threshold' ? draft.sourceKind : 'series';
  // Selects and text as typed; the server validates the names (its 400 shows by the input).
  const metric = (draft.type === 'budget' ? 'costUsd' : draft.metric) as MetricName;
  if (kind === 'series') {
    const filters = parsePairs(draft.filters, true);
    if (draft.type !== 'budget' || Object.keys(filters).length > 0)
      rule.source = { kind: 'series', metric, filters };
  } else if (kind === 'otlpMetric') {
    rule.source = {
      kind: 'otlpMetric',
      name: draft.sourceName.trim(),
      attributes: parsePairs(draft.attributes) as Record<string, string>,
      aggregation: draft.aggregation as OtlpMetricSource['aggregation'],
    };
  } else {
    const aggregation = draft.aggregation as ScoreSource['aggregation'];
    rule.source = { kind: 'score', name: draft.sourceName.trim(), aggregation };
  }
  if (draft.window.trim()) rule.window = draft.window.trim();
  if (draft.type === 'threshold') {
    rule.comparison = draft.comparison;
    const threshold = number('threshold');
    if (threshold !== undefined) rule.threshold = threshold;
  }
  if (draft.for.trim()) rule.for = draft.for.trim();
  rule.severity = draft.severity;
  rule.channels = [...draft.channels];
  if (draft.renotifyInterval.trim()) rule.renotifyInterval = draft.renotifyInterval.trim();
  const labels = parsePairs(draft.labels) as Record<string, string>;
  if (Object.keys(labels).length > 0) rule.labels = labels;
  if (draft.type === 'anomaly') {
    rule.anomaly = { direction: draft.direction };
    const sensitivity = number('sensitivity');
    const historyDays = number('historyDays');
    const minBandWidth = number('minBandWidth');
    const minRelativeWidth = number('minRelativeWidth');
    if (sensitivity !== undefined) rule.anomaly.sensitivity = sensitivity;
    if (historyDays !== undefined) rule.anomaly.historyDays = historyDays;
    if (minBandWidth !== undefined) rule.anomaly.minBandWidth = minBandWidth;
    if (minRelativeWidth !== undefined) rule.anomaly.minRelativeWidth = minRelativeWidth;
  }
  if (draft.type === 'budget') {
    const amountUsd = number('amountUsd');
    const percentages = draft.percentages
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (percentages.some((p) => !Number.isFinite(p))) errors.percentages = 'expected numbers, e.g. 80, 100';
    rule.budget = { period: draft.period, amountUsd: amountUsd ?? 0 };
    if (percentages.length > 0 && !errors.percentages) rule.budget.percentages = percentages;
  }
  return { rule, errors };
}

/** The draft of a stored rule (for editing). */
export function ruleToDraft(rule: AlertRule): RuleDraft {
  const draft = emptyDraft();
  const source = rule.source;
  return {
    ...draft,
    name: rule.name,
    description: rule.description ?? '',
    type: rule.type,
    enabled: rule.enabled,
    sourceKind: source.kind,
    metric: source.kind === 'series' ? source.metric : draft.metric,
    filters: source.kind === 'series' ? formatPairs(source.filters) : '',
    sourceName: source.kind === 'series' ? '' : source.name,
    attributes: source.kind === 'otlpMetric' ? formatPairs(source.attributes) : '',
    aggregation: source.kind === 'series' ? draft.aggregation : source.aggregation,
    window: rule.window,
    comparison: rule.comparison ?? '>',
    threshold: rule.threshold === undefined ? '' : String(rule.threshold),
    for: rule.for,
    severity: rule.severity,
    channels: [...rule.channels],
    renotifyInterval: rule.renotifyInterval ?? '',
    labels: formatPairs(rule.labels),
    sensitivity: String(rule.anomaly?.sensitivity ?? draft.sensitivity),
    historyDays: String(rule.anomaly?.historyDays ?? draft.historyDays),
    direction: rule.anomaly?.direction ?? 'both',
    minBandWidth: String(rule.anomaly?.minBandWidth ?? draft.minBandWidth),
    minRelativeWidth: String(rule.anomaly?.minRelativeWidth ?? draft.minRelativeWidth),
    period: rule.budget?.period ?? draft.period,
    amountUsd: rule.budget?.amountUsd === undefined ? '' : String(rule.budget.amountUsd),
    percentages: rule.budget?.percentages?.join(', ') ?? draft.percentages,
  };
}

const FIELD_OF_PATH: Record<string, keyof RuleDraft> = {
  source: 'metric',
  'source.metric': 'metric',
  'source.filters': 'filters',
  'source.name': 'sourceName',
  'source.attributes': 'attributes',
  'source.aggregation': 'aggregation',
  budget: 'amountUsd',
  anomaly: 'sensitivity',
};

/**
 * The draft input a server message is about: `Invalid rule field 'anomaly.sensitivity': …`
 * names `sensitivity`. Undefined when the message names no field of the form.
 */
export function errorField(message: string): keyof RuleDraft | undefined {
  const path = /Invalid rule field '([^']+)'/.exec(message)?.[1];
  if (!path) return undefined;
  if (FIELD_OF_PATH[path]) return FIELD_OF_PATH[path];
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const prefix = parts.slice(0, n).join('.');
    if (FIELD_OF_PATH[prefix]) return FIELD_OF_PATH[prefix];
  }
  const keys = Object.keys(emptyDraft());
  const last = parts.at(-1);
  if (parts[0] === 'anomaly' || parts[0] === 'budget')
    return keys.includes(last ?? '') ? (last as keyof RuleDraft) : undefined;
  return keys.includes(parts[0] ?? '') ? (parts[0] as keyof RuleDraft) : undefined;
}

/** A short human text of a rule's condition (`requests > 0 over 5m`). */
export function describeCondition(rule: AlertRule): string {
  const what =
    rule.source.kind === 'series' ? rule.source.metric : `${rule.source.aggregation}(${rule.source.name})`;
  if (rule.type === 'threshold')
    return `${what} ${rule.comparison ?? '>'} ${rule.threshold} over ${rule.window}`;
  if (rule.type === 'anomaly') {
    const a: Partial<AnomalyOptions> = rule.anomaly ?? {};
    return `${what} outside ${a.sensitivity ?? 3}σ band (${a.direction ?? 'both'}) per ${rule.window}`;
  }
  const b = rule.budget;
  return `cost per ${b?.period ?? 'period'} ≥ ${(b?.percentages ?? [80, 100]).join('/')}% of $${b?.amountUsd ?? '?'}`;
}

/** The metric label of a rule's source. */
export function sourceLabel(source: RuleSource): string {
  if (source.kind === 'series') {
    const filters = Object.entries(source.filters)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`)
      .join(', ');
    return filters ? `${source.metric} {${filters}}` : source.metric;
  }
  return source.kind === 'otlpMetric' ? `otlp:${source.name}` : `score:${source.name}`;
}
