/**
 * The SDK's diagnostic logger. Instrumentation must never throw into the application
 * (DESIGN.md principle 6): every internal failure is reported here instead. Off by default.
 */

/** Severity of a diagnostic message. */
export type DiagnosticLevel = 'warn' | 'debug';

/**
 * Where diagnostics go: `'off'` (default), `'warn'` (failures to `console.warn`), `'debug'`
 * (failures and lifecycle details), or a function that receives every message.
 */
export type DiagnosticsOption = 'off' | DiagnosticLevel | ((message: string, level: DiagnosticLevel) => void);

let sink: DiagnosticsOption = 'off';

/** Sets where diagnostics go; called by `init()`. */
export function setDiagnostics(option: DiagnosticsOption | undefined): void {
  sink = option ?? 'off';
}

/** A short, single-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (Array.isArray(error)) return error.map(describeError).join('; ');
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function emit(level: DiagnosticLevel, message: string): void {
  if (sink === 'off' || (sink === 'warn' && level === 'debug')) return;
  try {
    if (typeof sink === 'function') sink(message, level);
    else if (level === 'warn') console.warn(`[argus] ${message}`);
    else console.debug(`[argus] ${message}`);
  } catch {
    // A throwing user logger must not turn a diagnostic into an application error.
  }
}

/** Reports an internal failure; `error` is appended in one line. */
export function warn(message: string, error?: unknown): void {
  if (sink === 'off') return;
  emit('warn', error === undefined ? message : `${message}: ${describeError(error)}`);
}

/** Reports a lifecycle detail (only with `diagnostics: 'debug'` or a function). */
export function debug(message: string): void {
  if (sink === 'off' || sink === 'warn') return;
  emit('debug', message);
}

/**
 * Runs `fn` and returns its result, or `fallback` when it throws (the failure is reported).
 * The guard for instrumentation code that must never break the application.
 */
export function safely<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    warn(`Cannot ${what}`, error);
    return fallback;
  }
}
