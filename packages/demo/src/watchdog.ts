/**
 * Keeps an eye on Argus while the demo runs: `/health` is polled, and when it fails a few times
 * in a row the demo is told once, so it can stop politely instead of printing one failure per
 * span export and per score.
 */

/** Whether an Argus server answers `/health` at `url`; the reason when not (`ECONNREFUSED`, `HTTP 503`). */
export async function checkReachable(url: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    if (response.ok) return { ok: true };
    return { ok: false, reason: `it answered HTTP ${response.status} to /health` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code !== undefined) return { ok: false, reason: cause.code };
    return {
      ok: false,
      reason: (error as Error).name === 'TimeoutError' ? 'no answer within 3 s' : (error as Error).message,
    };
  }
}

/** Settings of {@link watchArgus}. */
export interface WatchOptions {
  /** Time between polls, ms (default 1000). */
  everyMs?: number;
  /** Failed polls in a row that count as gone (default 2: one slow answer is not an outage). */
  misses?: number;
  /** Called once, with the last failure's reason. */
  onLost: (reason: string) => void;
}

/** Polls `url` until stopped; calls `onLost` once Argus has failed `misses` polls in a row. */
export function watchArgus(url: string, options: WatchOptions): { stop(): void } {
  const misses = options.misses ?? 2;
  let failed = 0;
  let busy = false;
  let lost = false;
  const timer = setInterval(async () => {
    if (busy || lost) return;
    busy = true;
    const result = await checkReachable(url);
    busy = false;
    failed = result.ok ? 0 : failed + 1;
    if (!result.ok && failed >= misses && !lost) {
      lost = true;
      clearInterval(timer);
      options.onLost(result.reason);
    }
  }, options.everyMs ?? 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * A filter for SDK warnings: each kind (the message with numbers and URLs masked) is printed
 * once, and nothing after `mute()` — with Argus down, every export and every score would
 * otherwise print the same line again.
 */
export function createWarningFilter(print: (line: string) => void): {
  note(message: string): void;
  mute(): void;
} {
  const seen = new Set<string>();
  let muted = false;
  return {
    note(message) {
      const kind = message.replace(/https?:\/\/\S+/g, 'URL').replace(/\d+/g, 'N');
      if (muted || seen.has(kind)) return;
      seen.add(kind);
      print(message);
    },
    mute() {
      muted = true;
    },
  };
}
