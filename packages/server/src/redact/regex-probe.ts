/**
 * Refuses custom redaction regexes that backtrack catastrophically, before they reach the ingest
 * path (where one such regex on one long string would stall every request of the server).
 *
 * Why a timed probe in a worker: V8's regex engine backtracks and cannot be interrupted, so the
 * only safe place to run an unknown pattern is another thread that can be terminated. Static
 * checks (star height, "safe-regex") both miss real cases (`\w+@\w+\.com` is quadratic without
 * nesting) and refuse harmless ones; a linear-time engine (RE2, V8's experimental `l` flag) would
 * need a native module or a process-wide V8 flag. So each pattern runs over adversarial inputs of
 * 20,000 characters (see regex-probe-inputs.ts). An input that takes over 10 ms is timed again at
 * 5,000 characters: a pattern is refused when 4× the input takes over 8× the time (quadratic or
 * worse: linear gives ~4×, quadratic ~16×), when one input takes over 1 s whatever the ratio, or
 * when the worker stops answering (an exponential pattern never finishes an input and the
 * watchdog terminates it). The ratio, unlike a fixed time limit, holds on a busy machine where
 * every scan stretches; both are measured twice and the best kept. Linear patterns, even bounded
 * ones like the built-in e-mail detector, take 0.1–5 ms per input. A heuristic: it can miss a
 * pattern whose bad input it does not build, so the docs also ask for bounded quantifiers
 * (`\w{1,64}` rather than `\w+`).
 */
import { Worker } from 'node:worker_threads';

/** A pattern to check; `g` is added. */
export interface ProbePattern {
  source: string;
  flags: string;
}

/** What the worker is given. */
export interface ProbeRequest {
  patterns: readonly ProbePattern[];
  inputChars: number;
  floorMs: number;
  growthRatio: number;
  maxInputMs: number;
}

/** What the worker reports. */
export type ProbeMessage =
  | { type: 'input'; index: number; label: string }
  | { type: 'slow'; index: number; label: string; ms: number; shortMs: number }
  | { type: 'done' };

/** A pattern found slow: its index, the input and how long it took (undefined: it never finished). */
export interface SlowPattern {
  index: number;
  label: string;
  ms: number | undefined;
  /** Time on the input cut to a quarter. */
  shortMs?: number;
}

/** Options of {@link findSlowPattern}. */
export interface ProbeOptions {
  /** Length of the adversarial inputs (default 20,000 characters). */
  inputChars?: number;
  /** Inputs scanned faster than this are fast whatever their growth (default 10 ms). */
  floorMs?: number;
  /** Most growth of the time for 4× the input (default 8: linear is ~4, quadratic ~16). */
  growthRatio?: number;
  /** Most milliseconds one input may take whatever the growth (default 1,000). */
  maxInputMs?: number;
  /** Silence after which the worker is deemed stuck and terminated (default 2,000 ms). */
  watchdogMs?: number;
}

/**
 * Runs the patterns over adversarial inputs in a worker thread.
 * @returns the first slow pattern, or undefined when every one is fast.
 */
export function findSlowPattern(
  patterns: readonly ProbePattern[],
  options: ProbeOptions = {},
): Promise<SlowPattern | undefined> {
  if (patterns.length === 0) return Promise.resolve(undefined);
  const request: ProbeRequest = {
    patterns,
    inputChars: options.inputChars ?? 20_000,
    floorMs: options.floorMs ?? 10,
    growthRatio: options.growthRatio ?? 8,
    maxInputMs: options.maxInputMs ?? 1_000,
  };
  const watchdogMs = options.watchdogMs ?? 2_000;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./regex-probe-worker.ts', import.meta.url), {
      workerData: request,
      // A pathological pattern may also allocate; keep that off the server's heap budget.
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    let current: { index: number; label: string } = { index: 0, label: 'the first input' };
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: SlowPattern | undefined, error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result);
    };
    const arm = (ms = watchdogMs) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ ...current, ms: undefined }), ms);
    };
    worker.on('message', (message: ProbeMessage) => {
      if (message.type === 'input') {
        current = { index: message.index, label: message.label };
        arm();
      } else if (message.type === 'slow') {
        finish({ index: message.index, label: message.label, ms: message.ms, shortMs: message.shortMs });
      } else finish(undefined);
    });
    // Out of memory in the worker counts as slow: the pattern is refused either way.
    worker.on('error', (error) =>
      /memory/i.test(error.message) ? finish({ ...current, ms: undefined }) : finish(undefined, error),
    );
    worker.on('exit', () => finish(undefined, new Error('The regex probe worker exited early')));
    // Starting a worker takes ~50 ms, longer on a busy machine: that is not the pattern's time.
    arm(Math.max(watchdogMs, 10_000));
  });
}
