/** Durations as users write them in rules and flags: `30s`, `5m`, `1h`, `1d`, `500ms`. */
import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `5m` → 300000; undefined when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[match[2]!] ?? 0);
}

/** 300000 → `5m`: the largest unit that divides the duration. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** A zod schema for a duration string between `minMs` and `maxMs`. */
export function durationSchema(minMs: number, maxMs: number) {
  return z.string().refine(
    (text) => {
      const ms = parseDurationMs(text);
      return ms !== undefined && ms >= minMs && ms <= maxMs;
    },
    {
      message: `expected a duration like 30s, 5m, 1h or 1d from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`,
    },
  );
}
