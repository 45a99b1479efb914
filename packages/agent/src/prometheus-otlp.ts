/**
 * Prometheus families → the agent's OTLP metrics: counters become monotonic cumulative sums,
 * gauges (and untyped, info, stateset) gauges, histograms explicit-bucket histograms (cumulative
 * `le` buckets turned into per-bucket counts), summaries summaries. Labels become attributes.
 * Names stay as PromQL spells them (`vllm:num_requests_running`, counters with `_total`).
 */
import type { AgentMetric, AgentPoint } from './otlp-json.ts';
import { type Family, parseNumber, type Sample } from './prometheus-text.ts';

/** How the converter learns when a cumulative series started. */
export interface StartTimes {
  /**
   * The start of the series `key` seen at `timeNs`: the target's process start when known,
   * else the first time this agent saw it (equal to `timeNs` on the first scrape, meaning
   * "unknown", so the first point is only a baseline for rates).
   */
  startOf(key: string, timeNs: bigint): bigint;
}

/** Remembers when each series was first seen (bounded; forgets everything past the bound). */
export class FirstSeen implements StartTimes {
  readonly #first = new Map<string, bigint>();
  readonly #max: number;
  /** Start of the scraped process (from `process_start_time_seconds`), when known. */
  processStartNs: bigint | undefined;

  constructor(max = 100_000) {
    this.#max = max;
  }

  startOf(key: string, timeNs: bigint): bigint {
    if (this.processStartNs !== undefined && this.processStartNs <= timeNs) return this.processStartNs;
    const first = this.#first.get(key);
    if (first !== undefined) return first;
    if (this.#first.size >= this.#max) this.#first.clear();
    this.#first.set(key, timeNs);
    return timeNs;
  }
}

const seriesKey = (name: string, labels: Record<string, string>) =>
  `${name}\u0000${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0001')}`;

function attributesOf(labels: Record<string, string>, drop?: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(labels)) if (key !== drop && value !== '') out[key] = value;
  return out;
}

const secondsToNs = (seconds: number) => BigInt(Math.round(seconds * 1e6)) * 1000n;

/** Converts parsed families to OTLP metrics stamped `timeNs`. */
export function familiesToMetrics(
  families: readonly Family[],
  timeNs: bigint,
  starts: StartTimes,
): AgentMetric[] {
  const out: AgentMetric[] = [];
  for (const family of mergeCreated(families)) {
    const head = { description: family.help, unit: family.unit };
    if (family.type === 'counter') out.push(...counterMetrics(family, head, timeNs, starts));
    else if (family.type === 'histogram') out.push(histogramMetric(family, head, timeNs, starts));
    else if (family.type === 'summary') out.push(summaryMetric(family, head, timeNs, starts));
    else if (family.type !== 'gaugehistogram') out.push(...gaugeMetrics(family, head, timeNs));
  }
  return out.filter((m) => m.points.length > 0);
}

type Head = { description: string; unit: string };

const CUMULATIVE_TYPES = new Set(['counter', 'histogram', 'summary']);

/**
 * The text format 0.0.4 writes a counter's or histogram's `_created` samples as a separate
 * gauge family (`x_created`); they belong to the cumulative family as its start times.
 */
function mergeCreated(families: readonly Family[]): Family[] {
  const byName = new Map(families.map((f) => [f.name, f]));
  const owner = (created: Family): Family | undefined => {
    if (created.type !== 'gauge' && created.type !== 'untyped' && created.type !== 'unknown')
      return undefined;
    const base = created.name.slice(0, -'_created'.length);
    for (const name of [base, `${base}_total`]) {
      const family = byName.get(name);
      if (family && CUMULATIVE_TYPES.has(family.type)) return family;
    }
    return undefined;
  };
  const moved = new Map<Family, Sample[]>();
  const out: Family[] = [];
  for (const family of families) {
    const target = family.name.endsWith('_created') ? owner(family) : undefined;
    if (target) moved.set(target, [...(moved.get(target) ?? []), ...family.samples]);
    else out.push(family);
  }
  return out.map((f) => (moved.has(f) ? { ...f, samples: [...f.samples, ...moved.get(f)!] } : f));
}

function byName(samples: readonly Sample[], skip: (name: string) => boolean): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    if (skip(sample.name)) continue;
    const list = groups.get(sample.name) ?? [];
    list.push(sample);
    groups.set(sample.name, list);
  }
  return groups;
}

function gaugeMetrics(family: Family, head: Head, timeNs: bigint): AgentMetric[] {
  return [...byName(family.samples, () => false)].map(([name, samples]) => ({
    name,
    kind: 'gauge',
    ...head,
    points: samples.map((s) => ({ attributes: attributesOf(s.labels), timeNs, value: s.value })),
  }));
}

function counterMetrics(family: Family, head: Head, timeNs: bigint, starts: StartTimes): AgentMetric[] {
  const created = new Map<string, number>();
  for (const s of family.samples) {
    if (s.name.endsWith('_created')) created.set(seriesKey('', s.labels), s.value);
  }
  return [...byName(family.samples, (name) => name.endsWith('_created'))].map(([name, samples]) => ({
    name,
    kind: 'sum',
    monotonic: true,
    ...head,
    points: samples.map((s) => {
      const createdSeconds = created.get(seriesKey('', s.labels));
      const startNs =
        createdSeconds !== undefined && Number.isFinite(createdSeconds)
          ? secondsToNs(createdSeconds)
          : starts.startOf(seriesKey(name, s.labels), timeNs);
      return { attributes: attributesOf(s.labels), timeNs, startNs, value: s.value };
    }),
  }));
}

interface Group {
  labels: Record<string, string>;
  buckets: { le: number; count: number }[];
  quantiles: { quantile: number; value: number }[];
  count?: number;
  sum?: number;
  created?: number;
}

/** Samples of a histogram or summary grouped by their labels (without `le` / `quantile`). */
function groupSamples(family: Family, split: 'le' | 'quantile'): Group[] {
  const groups = new Map<string, Group>();
  for (const s of family.samples) {
    const labels = attributesOf(s.labels, split);
    const key = seriesKey('', labels);
    let group = groups.get(key);
    if (!group) {
      group = { labels, buckets: [], quantiles: [] };
      groups.set(key, group);
    }
    const suffix = s.name.slice(family.name.length);
    const at = parseNumber(s.labels[split] ?? '') ?? Number.NaN;
    if (suffix === '_count') group.count = s.value;
    else if (suffix === '_sum') group.sum = s.value;
    else if (suffix === '_created') group.created = s.value;
    else if (split === 'le' && suffix === '_bucket' && s.labels.le !== undefined && !Number.isNaN(at)) {
      group.buckets.push({ le: at, count: s.value });
    } else if (
      split === 'quantile' &&
      suffix === '' &&
      s.labels.quantile !== undefined &&
      !Number.isNaN(at)
    ) {
      group.quantiles.push({ quantile: at, value: s.value });
    }
  }
  return [...groups.values()];
}

function startOf(group: Group, name: string, timeNs: bigint, starts: StartTimes): bigint {
  return group.created !== undefined && Number.isFinite(group.created)
    ? secondsToNs(group.created)
    : starts.startOf(seriesKey(name, group.labels), timeNs);
}

function histogramMetric(family: Family, head: Head, timeNs: bigint, starts: StartTimes): AgentMetric {
  const points: AgentPoint[] = [];
  for (const group of groupSamples(family, 'le')) {
    const sorted = group.buckets.sort((a, b) => a.le - b.le);
    const finite = sorted.filter((b) => Number.isFinite(b.le));
    const infinite = sorted.find((b) => b.le === Number.POSITIVE_INFINITY);
    const total = group.count ?? infinite?.count ?? finite.at(-1)?.count;
    if (total === undefined) continue;
    const bucketCounts: number[] = [];
    let previous = 0;
    for (const bucket of finite) {
      bucketCounts.push(Math.max(0, bucket.count - previous));
      previous = Math.max(previous, bucket.count);
    }
    bucketCounts.push(Math.max(0, (infinite?.count ?? total) - previous));
    points.push({
      attributes: group.labels,
      timeNs,
      startNs: startOf(group, family.name, timeNs, starts),
      count: total,
      ...(group.sum === undefined ? {} : { sum: group.sum }),
      bucketCounts,
      bounds: finite.map((b) => b.le),
    });
  }
  return { name: family.name, kind: 'histogram', ...head, points };
}

function summaryMetric(family: Family, head: Head, timeNs: bigint, starts: StartTimes): AgentMetric {
  const points: AgentPoint[] = [];
  for (const group of groupSamples(family, 'quantile')) {
    if (group.count === undefined) continue;
    points.push({
      attributes: group.labels,
      timeNs,
      startNs: startOf(group, family.name, timeNs, starts),
      count: group.count,
      ...(group.sum === undefined ? {} : { sum: group.sum }),
      quantiles: group.quantiles.sort((a, b) => a.quantile - b.quantile),
    });
  }
  return { name: family.name, kind: 'summary', ...head, points };
}
