/**
 * A failure that stops `argus start`, already phrased for the person who ran it. The start path
 * prints its message as one line (no stack trace) and exits with its code; other known failures
 * (a busy port, an unwritable or locked data directory, invalid options) are turned into one by
 * cli/startup-errors.ts.
 */

/** Options of a {@link StartupError}. */
export interface StartupErrorOptions {
  /** The process exit code: 2 for a usage or configuration mistake, 1 otherwise (the default). */
  exitCode?: number;
  cause?: unknown;
}

/** A start-up failure with a sentence for the user and an exit code. */
export class StartupError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: StartupErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StartupError';
    this.exitCode = options.exitCode ?? 1;
  }
}
