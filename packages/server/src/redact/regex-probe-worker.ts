/**
 * Worker of {@link findSlowPattern}: runs each pattern over its adversarial inputs and reports
 * progress before every input, so the parent can tell which one hangs and terminate the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProbeMessage, ProbeRequest } from './regex-probe.ts';
import { probeInputs } from './regex-probe-inputs.ts';

const { patterns, inputChars, floorMs, growthRatio, maxInputMs } = workerData as ProbeRequest;
const post = (message: ProbeMessage) => parentPort!.postMessage(message);

/** Milliseconds one full scan of `text` takes (a replace walks every match, like redaction does). */
function timeScan(re: RegExp, text: string): number {
  const start = performance.now();
  text.replace(re, '');
  return performance.now() - start;
}

/**
 * True when a scan of the long input is slow: absolutely, or growing faster than the input
 * (4× the characters, over `growthRatio`× the time: quadratic or worse). Timing both lengths
 * back to back makes the ratio hold on a busy machine, where absolute times stretch.
 */
const isSlow = (longMs: number, shortMs: number) =>
  longMs > maxInputMs || (longMs > floorMs && longMs / Math.max(shortMs, 0.05) > growthRatio);

/** Probes every pattern; reports the first slow input, else `done`. */
function probeAll(): ProbeMessage {
  for (let index = 0; index < patterns.length; index++) {
    const { source, flags } = patterns[index]!;
    const re = new RegExp(source, `${flags}g`);
    const shorts = probeInputs(source, flags, inputChars / 4);
    const longs = probeInputs(source, flags, inputChars);
    for (let i = 0; i < longs.length; i++) {
      const long = longs[i]!;
      const short = shorts[i]!;
      post({ type: 'input', index, label: long.label });
      let longMs = timeScan(re, long.text);
      if (longMs <= floorMs) continue;
      let shortMs = timeScan(re, short.text);
      if (!isSlow(longMs, shortMs)) continue;
      // Measure again and keep the best times, so a GC pause does not refuse a linear pattern.
      longMs = Math.min(longMs, timeScan(re, long.text));
      shortMs = Math.min(shortMs, timeScan(re, short.text));
      if (isSlow(longMs, shortMs)) return { type: 'slow', index, label: long.label, ms: longMs, shortMs };
    }
  }
  return { type: 'done' };
}

post(probeAll());
