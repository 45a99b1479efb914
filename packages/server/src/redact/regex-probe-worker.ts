/**
 * Worker of {@link findSlowPattern}: runs each pattern over its adversarial inputs and reports
 * progress before every input, so the parent can tell which one hangs and terminate the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProbeMessage, ProbeRequest } from './regex-probe.ts';
import { probeInputs } from './regex-probe-inputs.ts';

const { patterns, inputChars, maxInputMs } = workerData as ProbeRequest;
const post = (message: ProbeMessage) => parentPort!.postMessage(message);

/** Milliseconds one full scan of `text` takes (a replace walks every match, like redaction does). */
function timeScan(re: RegExp, text: string): number {
  const start = performance.now();
  text.replace(re, '');
  return performance.now() - start;
}

/** Probes every pattern; reports the first slow input, else `done`. */
function probeAll(): ProbeMessage {
  for (let index = 0; index < patterns.length; index++) {
    const { source, flags } = patterns[index]!;
    const re = new RegExp(source, `${flags}g`);
    for (const input of probeInputs(source, flags, inputChars)) {
      post({ type: 'input', index, label: input.label });
      let ms = timeScan(re, input.text);
      // One retry, so a GC pause or a busy machine does not refuse a linear pattern.
      if (ms > maxInputMs) ms = Math.min(ms, timeScan(re, input.text));
      if (ms > maxInputMs) return { type: 'slow', index, label: input.label, ms };
    }
  }
  return { type: 'done' };
}

post(probeAll());
