/**
 * A bounded `multipart/form-data` parser (RFC 7578) for `POST /runs/multipart`. The body is
 * read (and decompressed) within the server's limits first, so the parser works on one buffer:
 * it scans for delimiters with `Buffer.indexOf` (linear), caps the part count and each part's
 * header block, and never copies part bodies (they are views of the request buffer). Chunked
 * uploads without Content-Length, as the SDKs stream them, are therefore no special case.
 */
import { ArgusError } from '../errors.ts';

/** One part. */
export interface FormPart {
  /** The `name` of its Content-Disposition. */
  name: string;
  /** Its Content-Type, or `text/plain` (the RFC default). */
  contentType: string;
  body: Buffer;
}

/** Limits of {@link parseMultipart}. */
export interface MultipartLimits {
  /** Most parts accepted. */
  maxParts: number;
  /** Largest header block of one part, in bytes. */
  maxHeaderBytes: number;
}

/** Defaults: 100,000 parts (the SDKs send ≤ 7 per run, ≤ 100 runs per request), 8 KiB of headers. */
export const DEFAULT_MULTIPART_LIMITS: Readonly<MultipartLimits> = Object.freeze({
  maxParts: 100_000,
  maxHeaderBytes: 8 * 1024,
});

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function bad(message: string): ArgusError {
  return new ArgusError('BAD_REQUEST', `Cannot parse multipart body: ${message}`);
}

/**
 * The boundary of a `multipart/form-data` Content-Type.
 * @throws ArgusError UNSUPPORTED_MEDIA_TYPE for another type, BAD_REQUEST without a valid boundary.
 */
export function boundaryOf(contentType: string | undefined): string {
  const [type, ...params] = (contentType ?? '').split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') {
    throw new ArgusError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Cannot accept runs: Content-Type '${contentType ?? ''}' is not supported, expected multipart/form-data`,
    );
  }
  for (const param of params) {
    const eq = param.indexOf('=');
    if (param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const boundary = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (boundary.length >= 1 && boundary.length <= 70) return boundary;
    throw bad(`the boundary is ${boundary.length} characters, expected 1 to 70`);
  }
  throw bad('the Content-Type has no boundary parameter');
}

/** Headers of one part, lower-cased names. */
function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw bad(`a part header line is '${line.slice(0, 60)}', expected 'Name: value'`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** `name` of a `form-data; name="post.123"` disposition (quoted or token). */
function dispositionName(disposition: string | undefined): string {
  const m = /(?:^|;)\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(disposition ?? '');
  if (!m)
    throw bad(
      `a part's Content-Disposition is '${(disposition ?? '').slice(0, 80)}', expected form-data; name="…"`,
    );
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
}

/**
 * Splits a multipart body into its parts.
 * @throws ArgusError BAD_REQUEST when the body is not well-formed multipart for `boundary` or
 * breaks a limit.
 */
export function parseMultipart(
  body: Buffer,
  boundary: string,
  limits: MultipartLimits = DEFAULT_MULTIPART_LIMITS,
): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  // The first delimiter may follow a preamble; later ones always follow a CRLF.
  let at = body.subarray(0, delimiter.length).equals(delimiter)
    ? 0
    : body.indexOf(Buffer.from(`\r\n--${boundary}`));
  if (at < 0) throw bad(`the boundary '${boundary}' never occurs`);
  if (at > 0) at += CRLF.length;
  const next = Buffer.concat([CRLF, delimiter]);
  const parts: FormPart[] = [];
  for (;;) {
    let cursor = at + delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts; // "--": the close delimiter
    while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor++; // transport padding
    if (body[cursor] !== 0x0d || body[cursor + 1] !== 0x0a) throw bad('a delimiter is not followed by CRLF');
    cursor += CRLF.length;
    if (parts.length >= limits.maxParts) throw bad(`it has more than ${limits.maxParts} parts`);
    const headerEnd = body.indexOf(HEADER_END, cursor);
    if (headerEnd < 0 || headerEnd - cursor > limits.maxHeaderBytes) {
      throw bad(
        headerEnd < 0
          ? 'a part ends inside its headers'
          : `a part's headers exceed ${limits.maxHeaderBytes} bytes`,
      );
    }
    const headers = parseHeaders(body.toString('latin1', cursor, headerEnd));
    const start = headerEnd + HEADER_END.length;
    const end = body.indexOf(next, start);
    if (end < 0) throw bad('the body ends before the closing boundary');
    parts.push({
      name: Buffer.from(dispositionName(headers['content-disposition']), 'latin1').toString('utf8'),
      contentType: headers['content-type'] ?? 'text/plain',
      body: body.subarray(start, end),
    });
    at = end + CRLF.length;
  }
}
