/**
 * A labelled synthetic benchmark for anomaly detection: seeded series with daily and weekly
 * cycles and noise, with spikes, dips and level shifts injected at known times, and the
 * scoring of alert episodes against those labels (precision, recall, false positives per day,
 * detection delay).
 */
import { seededRandom } from '../quality/stats/random.ts';
import { type BandOptions, bandSeries, type Sample } from './anomaly.ts';

/** A labelled event. */
export interface LabelledEvent {
  kind: 'spike' | 'dip' | 'shift';
  startMs: number;
  endMs: number;
}

/** A series with its labels. */
export interface LabelledSeries {
  name: string;
  samples: Sample[];
  /** Samples from this index on are evaluated; the ones before are warm-up history. */
  evalFrom: number;
  events: LabelledEvent[];
}

export const STEP_MS = 5 * 60_000;
const DAY = 86_400_000;
const HOUR = 3600_000;
// A Monday, so the weekend pattern lines up with calendar weeks.
const START = Date.UTC(2025, 0, 6);

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Shapes of series: request counts, a latency quantile, an error rate. */
export type SeriesShape = 'traffic' | 'latency' | 'errorRate';

/** One labelled series: `warmDays` of history then `evalDays` with injected events. */
export function makeSeries(shape: SeriesShape, seed: number, warmDays = 14, evalDays = 7): LabelledSeries {
  const random = seededRandom(seed);
  const count = ((warmDays + evalDays) * DAY) / STEP_MS;
  const evalFrom = (warmDays * DAY) / STEP_MS;
  const events = placeEvents(random, shape, START + warmDays * DAY, evalDays);
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const timeMs = START + i * STEP_MS;
    const hour = (timeMs % DAY) / HOUR;
    const weekday = new Date(timeMs).getUTCDay();
    const daily = Math.sin((2 * Math.PI * (hour - 9)) / 24);
    const weekend = weekday === 0 || weekday === 6 ? 0.7 : 1;
    let value: number;
    if (shape === 'traffic') {
      const mean = 200 * (1 + 0.5 * daily) * weekend;
      value = Math.max(0, mean + Math.sqrt(mean) * gaussian(random));
    } else if (shape === 'latency') {
      value = 800 * (1 + 0.25 * daily) * Math.exp(0.08 * gaussian(random));
    } else {
      value = Math.max(0, 0.02 * (1 + 0.3 * daily) + 0.003 * gaussian(random));
    }
    for (const event of events) {
      if (timeMs < event.startMs || timeMs >= event.endMs) continue;
      value *= event.kind === 'dip' ? 0.3 : event.kind === 'shift' ? 1.6 : 3;
    }
    samples.push({ timeMs, value });
  }
  return { name: `${shape}-${seed}`, samples, evalFrom, events };
}

function placeEvents(
  random: () => number,
  shape: SeriesShape,
  fromMs: number,
  days: number,
): LabelledEvent[] {
  const kinds: LabelledEvent['kind'][] =
    shape === 'traffic' ? ['spike', 'dip', 'shift', 'spike'] : ['spike', 'shift', 'spike'];
  const slotMs = (days * DAY) / kinds.length;
  return kinds.map((kind, i) => {
    // One event per slot, placed away from slot edges so events never overlap.
    const startMs = fromMs + i * slotMs + Math.floor((0.15 + 0.5 * random()) * (slotMs / STEP_MS)) * STEP_MS;
    const buckets = kind === 'shift' ? 72 + Math.floor(random() * 72) : 2 + Math.floor(random() * 3);
    return { kind, startMs, endMs: startMs + buckets * STEP_MS };
  });
}

/** Scores of one configuration over a set of series. */
export interface BenchmarkScore {
  precision: number;
  recall: number;
  falsePositivesPerDay: number;
  meanDelayMin: number;
  maxDelayMin: number;
  events: number;
  episodes: number;
  recallByKind: Record<LabelledEvent['kind'], number>;
}

/** Runs the detector over each series (as the evaluator would, bucket by bucket) and scores it. */
export function runBenchmark(
  series: LabelledSeries[],
  options: BandOptions & { historyMs: number; forBuckets: number },
): BenchmarkScore {
  let tp = 0;
  let fp = 0;
  let days = 0;
  const delays: number[] = [];
  const byKind = { spike: [0, 0], dip: [0, 0], shift: [0, 0] } as Record<LabelledEvent['kind'], number[]>;
  for (const s of series) {
    const points = s.samples.slice(s.evalFrom);
    days += (points.length * STEP_MS) / DAY;
    const banded = bandSeries(s.samples, points, options);
    const episodes = toEpisodes(
      banded.map((p) => p.anomalous),
      options.forBuckets,
      points,
    );
    for (const episode of episodes) {
      const hit = s.events.some((e) => episode.startMs < e.endMs + 30 * 60_000 && episode.endMs > e.startMs);
      if (hit) tp++;
      else fp++;
    }
    for (const event of s.events) {
      const first = episodes.find((ep) => ep.startMs < event.endMs + 30 * 60_000 && ep.endMs > event.startMs);
      byKind[event.kind]![1]!++;
      if (!first) continue;
      byKind[event.kind]![0]!++;
      delays.push(Math.max(0, first.startMs - event.startMs) / 60_000);
    }
  }
  const events = Object.values(byKind).reduce((n, [, total]) => n + total!, 0);
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    precision: ratio(tp, tp + fp),
    recall: ratio(delays.length, events),
    falsePositivesPerDay: fp / days,
    meanDelayMin: delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length),
    maxDelayMin: Math.max(0, ...delays),
    events,
    episodes: tp + fp,
    recallByKind: Object.fromEntries(
      Object.entries(byKind).map(([kind, [hit, total]]) => [kind, ratio(hit!, total!)]),
    ) as Record<LabelledEvent['kind'], number>,
  };
}

/** Firing episodes: runs where the last `forBuckets + 1` points were all anomalous. */
function toEpisodes(anomalous: boolean[], forBuckets: number, points: Sample[]) {
  const episodes: { startMs: number; endMs: number }[] = [];
  let run = 0;
  let open: { startMs: number; endMs: number } | undefined;
  anomalous.forEach((flag, i) => {
    run = flag ? run + 1 : 0;
    const firing = run > forBuckets;
    const timeMs = points[i]!.timeMs;
    if (firing && !open) open = { startMs: timeMs, endMs: timeMs + STEP_MS };
    else if (firing && open) open.endMs = timeMs + STEP_MS;
    else if (!firing && open) {
      episodes.push(open);
      open = undefined;
    }
  });
  if (open) episodes.push(open);
  return episodes;
}
