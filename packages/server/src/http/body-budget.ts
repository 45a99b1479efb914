/**
 * One budget of request-body bytes shared by every ingest request (OTLP/HTTP, gRPC, LangSmith):
 * raw bytes as they stream in and inflated bytes as they are produced count against it until the
 * body is read. Each request is capped on its own (413), but a hundred concurrent decompression
 * bombs each inflating to that cap took the server from 0.5 to 7 GB (issue 11); with the budget
 * spent, further requests are refused with 503 + Retry-After instead.
 */
import { ArgusError } from '../errors.ts';

/** Bytes in use against a fixed limit. */
export class ByteBudget {
  readonly limitBytes: number;
  #usedBytes = 0;

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
  }

  /** Bytes currently taken. */
  get usedBytes(): number {
    return this.#usedBytes;
  }

  /**
   * Takes `bytes` from the budget.
   * @throws ArgusError OVERLOADED (503, retry after 1 s) when they would exceed the limit.
   */
  take(bytes: number): void {
    if (this.#usedBytes + bytes > this.limitBytes) {
      throw new ArgusError(
        'OVERLOADED',
        'Cannot read the request body now: the server is already reading as many request bytes as it allows at once; retry later',
        { retryAfterSeconds: 1 },
      );
    }
    this.#usedBytes += bytes;
  }

  /** Gives back bytes taken earlier. */
  release(bytes: number): void {
    this.#usedBytes = Math.max(0, this.#usedBytes - bytes);
  }
}
