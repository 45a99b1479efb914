/**
 * Input attribution of a recorded LLM call (black box): remove segments of the prompt, replay,
 * and measure how far the output moves. Occlusion removes one segment at a time (n + 1 calls);
 * Shapley sampling adds segments in random orders to the empty prompt and averages each one's
 * marginal effect (2 + p·(n − 1) calls for p permutations). Both fit `maxCalls` by merging
 * neighbouring segments or taking fewer permutations, and the plan says so before anything runs.
 */
import type { AttributionResult, AttributionSegment, ExplainPlan } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { seededRandom } from '../../quality/stats/random.ts';
import type { Measured, Measurer } from './measures.ts';
import type { RecordedCall } from './recorded.ts';
import { mergeSegments, type Segment, withoutSegments } from './segments.ts';

/** Default call budget and Shapley permutations. */
export const DEFAULT_MAX_CALLS = 100;
export const DEFAULT_PERMUTATIONS = 8;
/** Calls in flight at once for one job. */
export const JOB_CONCURRENCY = 4;

/** What an attribution runs with, once planned. */
export interface AttributionPlan {
  method: 'occlusion' | 'shapley-sampling';
  segments: Segment[];
  permutations: number;
  /** Distinct prompts to measure (the full one included). */
  variants: number;
  capped: boolean;
}

/** Fits the method to the call budget. @throws ArgusError INVALID_PARAMETER when the budget is under 3. */
export function planAttribution(
  method: AttributionPlan['method'],
  segments: Segment[],
  options: { maxCalls: number; permutations?: number },
): AttributionPlan {
  const { maxCalls } = options;
  if (maxCalls < 3)
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid field 'maxCalls': ${maxCalls} is too few; attribution needs at least 3 calls`,
    );
  if (method === 'occlusion') {
    const fitted = mergeSegments(segments, maxCalls - 1);
    return {
      method,
      segments: fitted,
      permutations: 0,
      variants: fitted.length + 1,
      capped: fitted.length < segments.length,
    };
  }
  const wanted = options.permutations ?? DEFAULT_PERMUTATIONS;
  const fitted = mergeSegments(segments, maxCalls - 1);
  const n = fitted.length;
  const permutations = Math.max(1, Math.min(wanted, Math.floor((maxCalls - 2) / Math.max(1, n - 1))));
  return {
    method,
    segments: fitted,
    permutations,
    variants: 2 + permutations * (n - 1),
    capped: fitted.length < segments.length || permutations < wanted,
  };
}

/** The plan as the API shows it. */
export function describePlan(
  plan: AttributionPlan,
  call: RecordedCall,
  measurer: Pick<Measurer, 'callsPerVariant'>,
  connectionId: string,
): ExplainPlan {
  const calls = plan.variants * measurer.callsPerVariant.model;
  const notes: string[] = [];
  if (plan.capped)
    notes.push(
      `maxCalls merged the prompt into ${plan.segments.length} segments or cut permutations to ${plan.permutations}`,
    );
  if (plan.method === 'shapley-sampling')
    notes.push(
      `${plan.permutations} permutations; Shapley calls are an upper bound (repeated prompts are answered once)`,
    );
  return {
    calls,
    measureCalls: plan.variants * measurer.callsPerVariant.measure,
    segments: plan.segments.length,
    model: call.model,
    connectionId,
    ...(call.costUsd !== undefined ? { estimatedCostUsd: Number((calls * call.costUsd).toFixed(6)) } : {}),
    capped: plan.capped,
    notes,
  };
}

/** Runs `fn` over items, `limit` at a time, in order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function normalised(effects: readonly number[]): number[] {
  const positive = effects.map((e) => Math.max(0, e));
  const total = positive.reduce((s, v) => s + v, 0);
  return positive.map((v) => (total > 0 ? Number((v / total).toFixed(4)) : 0));
}

function segmentsOf(
  plan: AttributionPlan,
  effects: number[],
  outputs: (string | undefined)[],
): AttributionSegment[] {
  const importance = normalised(effects);
  return plan.segments.map((s, index) => ({
    index,
    text: s.text,
    role: s.role,
    messageIndex: s.ranges[0]?.messageIndex ?? 0,
    source: s.source,
    importance: importance[index]!,
    effect: Number(effects[index]!.toFixed(6)),
    ...(outputs[index] !== undefined ? { variantOutput: outputs[index] } : {}),
  }));
}

async function shapleyEffects(
  plan: AttributionPlan,
  measureRemoved: (removed: Set<number>) => Promise<Measured>,
  seed: number,
): Promise<number[]> {
  const n = plan.segments.length;
  const random = seededRandom(seed);
  const orders = Array.from({ length: plan.permutations }, () => {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  });
  const sums = new Array<number>(n).fill(0);
  await mapLimit(orders, JOB_CONCURRENCY, async (order) => {
    const removed = new Set(order);
    let previous = -(await measureRemoved(new Set(removed))).distance;
    for (const index of order) {
      removed.delete(index);
      const current = -(await measureRemoved(new Set(removed))).distance;
      sums[index]! += current - previous;
      previous = current;
    }
  });
  return sums.map((s) => s / plan.permutations);
}

/** Runs a planned attribution. */
export async function runAttribution(
  call: RecordedCall,
  plan: AttributionPlan,
  measurer: Measurer,
  options: { granularity: AttributionResult['granularity']; seed: number },
): Promise<AttributionResult> {
  const cache = new Map<string, Promise<Measured>>();
  const measureRemoved = (removed: Set<number>) => {
    const key = [...removed].sort((a, b) => a - b).join(',');
    let measured = cache.get(key);
    if (!measured) {
      measured = measurer.distance(withoutSegments(call.messages, plan.segments, removed));
      cache.set(key, measured);
    }
    return measured;
  };
  const replay = await measureRemoved(new Set());
  let effects: number[];
  let outputs: (string | undefined)[] = [];
  if (plan.method === 'occlusion') {
    const measured = await mapLimit(
      plan.segments.map((_, i) => i),
      JOB_CONCURRENCY,
      (i) => measureRemoved(new Set([i])),
    );
    effects = measured.map((m) => m.distance - replay.distance);
    outputs = measured.map((m) => m.output);
  } else effects = await shapleyEffects(plan, measureRemoved, options.seed);
  const segments = segmentsOf(plan, effects, outputs);
  const top = segments.reduce(
    (best, s) => (best < 0 || s.importance > segments[best]!.importance ? s.index : best),
    -1,
  );
  return {
    method: plan.method,
    granularity: options.granularity,
    measure: measurer.measure,
    originalOutput: call.output,
    replayOutput: replay.output ?? call.output,
    replayDistance: Number(replay.distance.toFixed(6)),
    segments,
    top: segments.every((s) => s.importance === 0) ? -1 : top,
  };
}
