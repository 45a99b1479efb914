/**
 * Values in ClickHouse's TabSeparated text format. The store inserts TSV rather than
 * JSONEachRow because the engine parses it about 1.4× faster for our wide span rows
 * (docs/benchmarks.md), and building it costs the same as JSON.stringify.
 *
 * Rules (ClickHouse "Escaped" format): in a field, backslash, tab, newline, carriage return
 * and NUL are written as `\\`, `\t`, `\n`, `\r`, `\0`; NULL is `\N`. Arrays and maps are
 * written in their quoted form (`['a','b']`, `{'k':'v'}`), the engine reading the elements with
 * the same backslash escapes plus `\'` — the array text is not escaped a second time.
 */

const FIELD_SPECIAL = /[\\\t\n\r\0]/;
const FIELD_SPECIAL_GLOBAL = /[\\\t\n\r\0]/g;
const FIELD_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
};
const QUOTED_SPECIAL = /[\\'\t\n\r\0]/;
const QUOTED_SPECIAL_GLOBAL = /[\\'\t\n\r\0]/g;
const QUOTED_ESCAPES: Record<string, string> = { ...FIELD_ESCAPES, "'": "\\'" };

/** Below this length a character loop finds special characters faster than the regex call. */
const SHORT_FIELD = 48;

/** A string as a TSV field. */
export function tsvString(value: string): string {
  const length = value.length;
  if (length < SHORT_FIELD) {
    // Most fields are short ids and names without special characters: no regex call.
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c === 92 || c === 9 || c === 10 || c === 13 || c === 0) return escapeField(value);
    }
    return value;
  }
  return FIELD_SPECIAL.test(value) ? escapeField(value) : value;
}

function escapeField(value: string): string {
  return value.replace(FIELD_SPECIAL_GLOBAL, (c) => FIELD_ESCAPES[c]!);
}

/**
 * `JSON.stringify` output as a TSV field: the same as {@link tsvString} of it, cheaper — JSON
 * text never holds a raw tab, newline, carriage return or NUL (JSON escapes every control
 * character), so only its backslashes need doubling.
 */
export function tsvJsonText(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/** A string in ClickHouse's quoted form, as inside arrays and maps. */
function quoted(value: string): string {
  return `'${QUOTED_SPECIAL.test(value) ? value.replace(QUOTED_SPECIAL_GLOBAL, (c) => QUOTED_ESCAPES[c]!) : value}'`;
}

/** An Array(String) as a TSV field. */
export function tsvStringArray(values: readonly string[]): string {
  if (values.length === 0) return '[]';
  return `[${values.map(quoted).join(',')}]`;
}

/** An Array of numbers as a TSV field (non-finite numbers become 0). */
export function tsvNumberArray(values: readonly number[]): string {
  return `[${values.map((v) => (Number.isFinite(v) ? String(v) : '0')).join(',')}]`;
}

/** A Map(String, String) as a TSV field. */
export function tsvMap(map: Readonly<Record<string, string>>): string {
  const entries = Object.entries(map);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => `${quoted(k)}:${quoted(String(v))}`).join(',')}}`;
}

/** A finite number, or `\N` (NULL) for undefined/null/non-finite. */
export function tsvNullableNumber(value: number | undefined | null): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '\\N' : String(value);
}

/** A finite number, or `fallback` when it is not. */
export function tsvNumber(value: number, fallback = 0): string {
  if (value === 0) return '0';
  return Number.isFinite(value) ? String(value) : String(fallback);
}

const NANOS_PER_SECOND = 1_000_000_000n;

// Spans of one batch mostly share their start and end seconds: the date-time text of the last
// two seconds seen is built once.
const cachedSeconds = ['', ''];
const cachedPrefix = ['', ''];
let cacheNext = 0;

/**
 * Unix nanoseconds as a DateTime64(9) TSV field: `2026-11-21 05:03:54.123456789`. Never the bare
 * integer — the engine's best-effort parser reads 11–18 digit integers as errors, 13 and 16
 * digits as milli/microseconds and 1–4 digits as a day of this month (issue 11, finding 5).
 */
export function tsvTime(unixNano: bigint | string): string {
  let text = typeof unixNano === 'bigint' ? unixNano.toString() : unixNano;
  if (text.charCodeAt(0) === 45 /* '-' */) return negativeTime(BigInt(text));
  if (text.length > 1 && text.charCodeAt(0) === 48 /* '0' */) text = BigInt(text).toString();
  const seconds = text.length > 9 ? text.slice(0, -9) : '0';
  const fraction = text.length > 9 ? text.slice(-9) : text.padStart(9, '0');
  if (seconds === cachedSeconds[0]) return cachedPrefix[0] + fraction;
  if (seconds === cachedSeconds[1]) return cachedPrefix[1] + fraction;
  const iso = new Date(Number(seconds) * 1000).toISOString(); // 2026-11-21T05:03:54.000Z
  const prefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
  cachedSeconds[cacheNext] = seconds;
  cachedPrefix[cacheNext] = prefix;
  cacheNext ^= 1;
  return prefix + fraction;
}

/** Times before 1970 (never from ingest, which rejects them; kept exact for completeness). */
function negativeTime(ns: bigint): string {
  let whole = ns / NANOS_PER_SECOND;
  let fraction = ns % NANOS_PER_SECOND;
  if (fraction < 0n) {
    fraction += NANOS_PER_SECOND;
    whole -= 1n;
  }
  const iso = new Date(Number(whole) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction.toString().padStart(9, '0')}`;
}
