/**
 * What a ClickHouse failure means for Argus, read from its numeric code (chDB puts it in the
 * message as `Code: 41. DB::Exception: …`; `@clickhouse/client` sets `code`). The engine's text
 * names columns, rows and internals: it goes to the log, never to a client (issue 11, finding 5).
 */
import { ArgusError } from '../../errors.ts';

/**
 * `data`: the rows could not be read (nothing was written, another batch may succeed);
 * `full`: the disk has no room; `corrupt`: stored data is damaged; `other`: anything else.
 */
export type EngineFailure = 'data' | 'full' | 'corrupt' | 'other';

// ClickHouse error codes (src/Common/ErrorCodes.cpp), by what they mean for a caller.
const DATA_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  407, // DECIMAL_OVERFLOW
]);
const FULL_CODES = new Set([
  243, // NOT_ENOUGH_SPACE
]);
const CORRUPT_CODES = new Set([
  33, // CANNOT_READ_ALL_DATA
  39, // TOO_LARGE_SIZE_COMPRESSED (a damaged block header read before its checksum)
  40, // CHECKSUM_DOESNT_MATCH
  226, // NO_FILE_IN_DATA_PART
  246, // CORRUPTED_DATA
  89, // UNKNOWN_COMPRESSION_METHOD (likewise)
  271, // CANNOT_DECOMPRESS
  432, // UNKNOWN_CODEC
]);

/** The engine's numeric error code, when the error carries one. */
export function engineCodeOf(error: unknown): number | undefined {
  const chdbCode = (error as { clickhouseCode?: unknown } | undefined)?.clickhouseCode;
  if (typeof chdbCode === 'number') return chdbCode;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  const match = /\bCode: (\d+)\./.exec(String((error as Error | undefined)?.message ?? error));
  return match ? Number(match[1]) : undefined;
}

/** What kind of failure an engine error is. */
export function classifyEngineError(error: unknown): EngineFailure {
  const code = engineCodeOf(error);
  const nodeCode = (error as { code?: unknown } | undefined)?.code;
  if (nodeCode === 'ENOSPC' || (code !== undefined && FULL_CODES.has(code))) return 'full';
  if (/No space left on device|NOT_ENOUGH_SPACE/.test(String((error as Error | undefined)?.message))) {
    return 'full';
  }
  if (code === undefined) return 'other';
  if (DATA_CODES.has(code)) return 'data';
  if (CORRUPT_CODES.has(code)) return 'corrupt';
  // A damaged compressed block can fail on its header before its checksum is read, under codes that
  // differ between engine versions; the engine's words say so.
  if (
    /checksum doesn't match|most likely corrupted data|cannot decompress|size_compressed/i.test(
      String((error as Error | undefined)?.message),
    )
  ) {
    return 'corrupt';
  }
  return 'other';
}

/** The sentence a client reads when the disk is full (also shown by /health and the console). */
export const STORAGE_FULL_MESSAGE =
  'Cannot store data: the disk holding the telemetry store is full; free space or grow the volume, and retry';

/** The sentence a client reads when a query meets damaged data. */
export const STORE_CORRUPTED_MESSAGE =
  'Cannot read stored telemetry: part of it is damaged on disk; the server log names the file, and restoring the data directory from a backup recovers it';

/**
 * The Argus error a client sees for a failed write (`what` names the table), without the engine's
 * text; the original stays as `cause` for the log.
 */
export function writeErrorOf(error: unknown, what: string): ArgusError {
  if (error instanceof ArgusError) return error;
  const kind = classifyEngineError(error);
  if (kind === 'full') {
    return new ArgusError('STORAGE_FULL', STORAGE_FULL_MESSAGE, { cause: error, retryAfterSeconds: 30 });
  }
  return new ArgusError(
    'STORE_UNAVAILABLE',
    `Cannot write ${what} to the store now; the server log has the reason; retry later`,
    { cause: error, retryAfterSeconds: 5 },
  );
}

/**
 * The Argus error for a failed query: damaged data is STORE_CORRUPTED (503 with recovery advice),
 * a full disk STORAGE_FULL; anything else is passed on unchanged (the API makes it 500 INTERNAL).
 */
export function queryErrorOf(error: unknown): unknown {
  if (error instanceof ArgusError) return error;
  const kind = classifyEngineError(error);
  if (kind === 'corrupt') {
    return new ArgusError('STORE_CORRUPTED', STORE_CORRUPTED_MESSAGE, {
      cause: error,
      retryAfterSeconds: 60,
    });
  }
  if (kind === 'full') {
    return new ArgusError('STORAGE_FULL', STORAGE_FULL_MESSAGE, { cause: error, retryAfterSeconds: 30 });
  }
  return error;
}
