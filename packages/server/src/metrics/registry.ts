/**
 * A tiny metrics registry for the Prometheus exposition: counters, gauges, histograms and an
 * info metric, each with a bounded number of label sets. Past the bound, new label sets are
 * folded into one series whose unbounded labels read `other`, and
 * `argus_metrics_dropped_label_sets_total{metric}` counts the folded observations, so a
 * runaway label (a model name per request, say) can never grow memory or the scrape.
 */

/** Kinds of metric family. `info` is a gauge of 1 in text 0.0.4 and an OpenMetrics info. */
export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'info';

/** Options of one metric family. */
export interface MetricOptions {
  /** Prometheus name; counters end in `_total`, info metrics in `_info`. */
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** Unit for the OpenMetrics `# UNIT` line (written only when the name ends with it). */
  unit?: string;
  /** Labels with a small, fixed set of values, kept (not folded into `other`) past the bound. */
  boundedLabels?: readonly string[];
  /** Overrides the registry's bound on label sets (for families with a bounded extra label). */
  maxLabelSets?: number;
  /**
   * A label whose every value gets its own bound on label sets and is kept when folding
   * (`argus_project`: one busy project cannot push another's series into `other`).
   */
  partitionLabel?: string;
}

/** The label naming the project of a series (GenAI metrics); scoped scrapes filter on it. */
export const PROJECT_LABEL = 'argus_project';

/** One counter series. */
export class CounterChild {
  value = 0;
  /** Adds `by` (≥ 0; anything else is ignored). */
  inc(by = 1): void {
    if (by > 0) this.value += by;
  }
  /** Sets the total, for counters mirrored from another monotonic source. */
  set(total: number): void {
    this.value = total;
  }
}

/** One gauge series. */
export class GaugeChild {
  value = 0;
  set(value: number): void {
    this.value = value;
  }
}

/** One histogram series: per-bucket (not cumulative) counts, the sum and the count. */
export class HistogramChild {
  readonly bounds: readonly number[];
  /** `counts[i]` observations ≤ bounds[i] and > bounds[i − 1]; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records one observation; NaN is ignored. */
  observe(value: number): void {
    if (Number.isNaN(value)) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** The series a family of each kind holds. */
export interface ChildOf {
  counter: CounterChild;
  gauge: GaugeChild;
  histogram: HistogramChild;
  info: GaugeChild;
}

/** Longest label value kept; longer values are cut (a label is an identifier, not content). */
export const MAX_LABEL_VALUE_CHARS = 200;
const KEY_SEPARATOR = '\u0001';

/** A metric family: its label sets and their series. */
export class MetricFamily<K extends MetricKind> {
  readonly kind: K;
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: readonly string[];
  /** Bucket upper bounds of a histogram (empty otherwise). */
  readonly buckets: readonly number[];
  readonly #children = new Map<string, { values: readonly string[]; child: ChildOf[K] }>();
  readonly #keep: readonly boolean[];
  readonly #maxLabelSets: number;
  /** Index of the partition label, or -1. */
  readonly #partition: number;
  /** Label sets created per partition value. */
  readonly #partitionSizes = new Map<string, number>();
  readonly #onDrop: (family: string) => void;

  constructor(
    kind: K,
    options: MetricOptions & { buckets?: readonly number[] },
    limits: { maxLabelSets: number; onDrop: (family: string) => void },
  ) {
    this.kind = kind;
    this.name = options.name;
    this.help = options.help;
    this.unit = options.unit;
    this.labelNames = options.labelNames ?? [];
    this.buckets = options.buckets ?? [];
    const bounded = new Set(options.boundedLabels ?? []);
    if (options.partitionLabel !== undefined) bounded.add(options.partitionLabel);
    this.#keep = this.labelNames.map((label) => bounded.has(label));
    this.#maxLabelSets = options.maxLabelSets ?? limits.maxLabelSets;
    this.#partition =
      options.partitionLabel === undefined ? -1 : this.labelNames.indexOf(options.partitionLabel);
    this.#onDrop = limits.onDrop;
  }

  /**
   * The series for label values (in `labelNames` order); created on first use. Past the
   * label-set bound a new set is folded into the `other` series and counted as dropped.
   */
  child(values: readonly string[]): ChildOf[K] {
    const key = values.length === 1 ? values[0]! : values.join(KEY_SEPARATOR);
    const found = this.#children.get(key);
    if (found) return found.child;
    if (this.#partition >= 0) {
      const partition = values[this.#partition] ?? '';
      const size = this.#partitionSizes.get(partition) ?? 0;
      if (size < this.#maxLabelSets) {
        this.#partitionSizes.set(partition, size + 1);
        return this.#create(key, values.map(capLabel));
      }
    } else if (this.#children.size < this.#maxLabelSets) return this.#create(key, values.map(capLabel));
    this.#onDrop(this.name);
    const folded = values.map((value, i) => (this.#keep[i] ? capLabel(value) : 'other'));
    const foldedKey = folded.join(KEY_SEPARATOR);
    return this.#children.get(foldedKey)?.child ?? this.#create(foldedKey, folded);
  }

  /** Shorthand for {@link child} with the values as arguments. */
  labels(...values: string[]): ChildOf[K] {
    return this.child(values);
  }

  /** Every series with its label values, in creation order. */
  series(): Iterable<{ values: readonly string[]; child: ChildOf[K] }> {
    return this.#children.values();
  }

  /** Number of label sets held. */
  get size(): number {
    return this.#children.size;
  }

  #create(key: string, values: readonly string[]): ChildOf[K] {
    const child = (
      this.kind === 'histogram'
        ? new HistogramChild(this.buckets)
        : this.kind === 'counter'
          ? new CounterChild()
          : new GaugeChild()
    ) as ChildOf[K];
    this.#children.set(key, { values, child });
    return child;
  }
}

function capLabel(value: string): string {
  return value.length > MAX_LABEL_VALUE_CHARS ? value.slice(0, MAX_LABEL_VALUE_CHARS) : value;
}

/** Options of {@link MetricsRegistry}. */
export interface RegistryOptions {
  /** Most label sets per metric before folding into `other`; default {@link DEFAULT_MAX_LABEL_SETS}. */
  maxLabelSets?: number;
  /** Called when a collect hook fails (the scrape goes on with the last values). */
  onCollectError?: (error: unknown) => void;
}

/** Default bound on label sets per metric. */
export const DEFAULT_MAX_LABEL_SETS = 500;

/** The registry: families in registration order, plus hooks that refresh values before a scrape. */
export class MetricsRegistry {
  readonly maxLabelSets: number;
  readonly #families: MetricFamily<MetricKind>[] = [];
  readonly #names = new Set<string>();
  readonly #hooks: (() => void | Promise<void>)[] = [];
  readonly #onCollectError: (error: unknown) => void;
  readonly #dropped: MetricFamily<'counter'>;

  constructor(options: RegistryOptions = {}) {
    this.maxLabelSets = options.maxLabelSets ?? DEFAULT_MAX_LABEL_SETS;
    this.#onCollectError = options.onCollectError ?? (() => {});
    this.#dropped = this.counter({
      name: 'argus_metrics_dropped_label_sets_total',
      help: 'Observations recorded under label value "other" because their metric already held the most label sets.',
      labelNames: ['metric'],
      boundedLabels: ['metric'],
      // One set per metric family: bounded by the code, and never folded (that would recurse).
      maxLabelSets: Number.MAX_SAFE_INTEGER,
    });
  }

  /** Registers a counter. */
  counter(options: MetricOptions): MetricFamily<'counter'> {
    if (!options.name.endsWith('_total')) throw new Error(`Counter '${options.name}' must end in _total`);
    return this.#add(new MetricFamily('counter', options, this.#limits()));
  }

  /** Registers a gauge. */
  gauge(options: MetricOptions): MetricFamily<'gauge'> {
    return this.#add(new MetricFamily('gauge', options, this.#limits()));
  }

  /** Registers a histogram with ascending finite bucket upper bounds (+Inf is implied). */
  histogram(options: MetricOptions & { buckets: readonly number[] }): MetricFamily<'histogram'> {
    const sorted = options.buckets.every(
      (b, i) => Number.isFinite(b) && (i === 0 || b > options.buckets[i - 1]!),
    );
    if (!sorted) throw new Error(`Histogram '${options.name}' needs ascending finite buckets`);
    return this.#add(new MetricFamily('histogram', options, this.#limits()));
  }

  /** Registers an info metric (value 1, facts in labels); the name ends in `_info`. */
  info(options: MetricOptions): MetricFamily<'info'> {
    if (!options.name.endsWith('_info')) throw new Error(`Info metric '${options.name}' must end in _info`);
    return this.#add(new MetricFamily('info', options, this.#limits()));
  }

  /** Runs `hook` before every scrape (to copy values from live state). */
  onCollect(hook: () => void | Promise<void>): void {
    this.#hooks.push(hook);
  }

  /** Runs the collect hooks; a failing hook is reported and the others still run. */
  async collect(): Promise<void> {
    await Promise.all(
      this.#hooks.map(async (hook) => {
        try {
          await hook();
        } catch (error) {
          this.#onCollectError(error);
        }
      }),
    );
  }

  /** Every family, in registration order. */
  families(): readonly MetricFamily<MetricKind>[] {
    return this.#families;
  }

  #limits() {
    return { maxLabelSets: this.maxLabelSets, onDrop: (name: string) => this.#dropped.child([name]).inc() };
  }

  #add<K extends MetricKind>(family: MetricFamily<K>): MetricFamily<K> {
    if (this.#names.has(family.name)) throw new Error(`Metric '${family.name}' is registered twice`);
    this.#names.add(family.name);
    this.#families.push(family as unknown as MetricFamily<MetricKind>);
    return family;
  }
}
