/**
 * Reads a request body within limits: the raw body is capped while it streams in (so an
 * oversized upload is cut off early), and decompression is capped on its output (so a
 * decompression bomb stops at the limit instead of filling memory).
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ArgusError } from '../errors.ts';

/** Limits of {@link readBody}. */
export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
}

const inflaters: Record<string, (buf: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress) as never,
  zstd: promisify(zlib.zstdDecompress) as never,
};

/** Content encodings the server accepts. */
export const SUPPORTED_ENCODINGS = ['identity', 'gzip', 'deflate', 'br', 'zstd'];

/**
 * Reads and decompresses a request body.
 * @throws ArgusError PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE (unknown encoding) or BAD_REQUEST.
 */
export async function readBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' && encoding !== '' && !Object.hasOwn(inflaters, encoding)) {
    throw new ArgusError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Cannot read body: Content-Encoding '${encoding}' is not supported, expected one of ${SUPPORTED_ENCODINGS.join(', ')}`,
    );
  }
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    request.resume();
    throw tooLarge('body', declared, limits.maxBodyBytes);
  }
  const raw = await collect(request, limits.maxBodyBytes);
  if (encoding === 'identity' || encoding === '') return raw;
  return inflate(raw, encoding, limits.maxDecompressedBytes);
}

/**
 * Decompresses `raw` in a supported encoding (see {@link SUPPORTED_ENCODINGS}), stopping at
 * `maxBytes` of output.
 * @throws ArgusError PAYLOAD_TOO_LARGE past the limit, BAD_REQUEST for corrupt data.
 */
export async function inflate(raw: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  const inflater = Object.hasOwn(inflaters, encoding) ? inflaters[encoding] : undefined;
  if (inflater === undefined) {
    throw new ArgusError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Cannot read body: encoding '${encoding}' is not supported, expected one of ${SUPPORTED_ENCODINGS.join(', ')}`,
    );
  }
  try {
    return await inflater(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw tooLarge('decompressed body', undefined, maxBytes);
    }
    throw new ArgusError(
      'BAD_REQUEST',
      `Cannot read body: it is not valid ${encoding} data (${(error as Error).message})`,
    );
  }
}

function tooLarge(what: string, size: number | undefined, limit: number): ArgusError {
  const actual = size === undefined ? 'exceeds' : `is ${size} bytes, over`;
  return new ArgusError(
    'PAYLOAD_TOO_LARGE',
    `Cannot accept request: the ${what} ${actual} the limit of ${limit} bytes`,
  );
}

function collect(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge('body', undefined, maxBytes));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('error', (error) => {
      if (!failed) reject(new ArgusError('BAD_REQUEST', `Cannot read body: ${error.message}`));
    });
  });
}
