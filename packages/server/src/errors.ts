/**
 * The one error type of the Argus server. Codes form a closed union documented in
 * docs/errors.md; each has one HTTP status. The API answers `{ error: { code, message } }`.
 */

/** Every error code, with the HTTP status it answers. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_PARAMETER: 400,
  OTLP_DECODE: 400,
  INVALID_SPAN: 400,
  INVALID_RUN: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  // An LLM connection's baseUrl names a private, loopback or link-local host (SSRF guard).
  HOST_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // An LLM provider behind a connection failed (its status and message, never the key).
  PROVIDER_ERROR: 502,
  PROVIDER_TIMEOUT: 504,
  STORE_UNAVAILABLE: 503,
  // 503, not 507: OTLP exporters retry 503 (with Retry-After) and drop data on 507.
  STORAGE_FULL: 503,
  STORE_CORRUPTED: 503,
  OVERLOADED: 503,
  SHUTTING_DOWN: 503,
  CONFIG_INVALID: 500,
  MIGRATION_FAILED: 500,
  DATA_DIR_LOCKED: 500,
  METADATA_UNUSABLE: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Options of an {@link ArgusError}. */
export interface ArgusErrorOptions {
  /** Overrides the code's default HTTP status. */
  status?: number;
  cause?: unknown;
  /** Seconds a client should wait before retrying (429/503). */
  retryAfterSeconds?: number;
}

/** An expected failure with a stable code and a message meant for the user. */
export class ArgusError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: ArgusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ArgusError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True when `value` is an {@link ArgusError}. */
export function isArgusError(value: unknown): value is ArgusError {
  return value instanceof ArgusError;
}
