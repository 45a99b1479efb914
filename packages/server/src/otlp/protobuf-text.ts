/**
 * Bytes to strings for the protobuf reader: UTF-8 text and hex ids, tuned for what OTLP carries
 * (many short, repeated ASCII keys and values; 16- and 8-byte ids).
 */

// Non-fatal: invalid UTF-8 becomes U+FFFD instead of rejecting the whole request.
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

// Short strings dominate (attribute keys, names); building them in JS beats the native call
// that TextDecoder costs, which only pays off once strings get longer.
const SHORT_STRING_BYTES = 32;

// Process-wide and bounded: holds at most STRING_CACHE_MASK + 1 ASCII strings of up to
// SHORT_STRING_BYTES, and only ever returns one for byte-identical input.
const STRING_CACHE_MASK = 1023;
const stringCache: string[] = new Array(STRING_CACHE_MASK + 1).fill('');

const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const HEX_CODES_16: number[] = new Array(16).fill(0);
const HEX_CODES_32: number[] = new Array(32).fill(0);

/** Decodes `len` bytes of UTF-8 at `start`; the caller has checked the bounds. */
export function utf8String(buf: Uint8Array, start: number, len: number): string {
  const end = start + len;
  if (len > SHORT_STRING_BYTES) return utf8.decode(buf.subarray(start, end));
  if (len < 2) return len === 0 ? '' : asciiOrDecode(buf, start, end);
  // Keys and common values repeat in every span: reusing the string V8 already hashed makes the
  // attribute-map insert that follows several times cheaper than with a fresh string.
  const slot =
    (len * 31 + buf[start + (len >> 1)]! * 7 + buf[end - 1]! * 131 + buf[end - 2]!) & STRING_CACHE_MASK;
  const cached = stringCache[slot]!;
  if (cached.length === len) {
    let i = 0;
    while (i < len && cached.charCodeAt(i) === buf[start + i]) i++;
    if (i === len) return cached;
  }
  const decoded = asciiOrDecode(buf, start, end);
  // Equal length means ASCII (or U+FFFD replacements, which never match a byte above).
  if (decoded.length === len) stringCache[slot] = decoded;
  return decoded;
}

function asciiOrDecode(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    if (byte >= 0x80) return utf8.decode(buf.subarray(start, end));
    out += String.fromCharCode(byte);
  }
  return out;
}

/** Lowercase hex of `len` bytes at `start`; the caller has checked the bounds. */
export function hexString(buf: Uint8Array, start: number, len: number): string {
  if (len !== 16 && len !== 8) {
    let out = '';
    for (let i = start; i < start + len; i++) out += (buf[i]! < 16 ? '0' : '') + buf[i]!.toString(16);
    return out;
  }
  // One flat string from a reused char-code array, instead of `len` concatenations.
  const codes = len === 16 ? HEX_CODES_32 : HEX_CODES_16;
  for (let i = 0; i < len; i++) {
    const byte = buf[start + i]!;
    codes[2 * i] = HEX_DIGITS[byte >> 4]!;
    codes[2 * i + 1] = HEX_DIGITS[byte & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}
