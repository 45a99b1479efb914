/**
 * Reads a request body within limits: the raw body is capped while it streams in (so an
 * oversized upload is cut off early), and decompression is capped on its output (so a
 * decompression bomb stops at the limit instead of filling memory).
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { ArgusError } from '../errors.ts';
import type { ByteBudget } from './body-budget.ts';

/** Limits of {@link readBody}. */
export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
}

/** Output chunk of the decompressors: the unit in which the limits are checked. */
const CHUNK_BYTES = 64 * 1024;

/** 2^23 = 8 MiB, the largest window RFC 9659 requires an HTTP zstd decoder to accept. */
const ZSTD_WINDOW_LOG_MAX = 23;

/** A decompressor and the memory its own state may take (window and buffers). */
interface Decompressor {
  create(): Transform;
  stateBytes: number;
}

const gzip: Decompressor = {
  create: () => zlib.createGunzip({ chunkSize: CHUNK_BYTES }),
  stateBytes: 64 * 1024,
};

const decompressors: Record<string, Decompressor> = {
  gzip,
  'x-gzip': gzip,
  deflate: { create: () => zlib.createInflate({ chunkSize: CHUNK_BYTES }), stateBytes: 64 * 1024 },
  // Brotli's window is at most 16 MiB.
  br: { create: () => zlib.createBrotliDecompress({ chunkSize: CHUNK_BYTES }), stateBytes: 16 * 1024 ** 2 },
  // HTTP's zstd coding (RFC 9659) caps the window at 8 MiB, so a request cannot make the decoder
  // allocate more than that for its state, however large a window its frame header asks for.
  zstd: {
    create: () =>
      zlib.createZstdDecompress({
        chunkSize: CHUNK_BYTES,
        params: { [zlib.constants.ZSTD_d_windowLogMax]: ZSTD_WINDOW_LOG_MAX },
      }),
    stateBytes: 2 ** ZSTD_WINDOW_LOG_MAX,
  },
};

/** Content encodings the server accepts. */
export const SUPPORTED_ENCODINGS = ['identity', 'gzip', 'deflate', 'br', 'zstd'];

/**
 * Reads and decompresses a request body. With a `budget`, the raw and inflated bytes count
 * against it while the body is read (see {@link ByteBudget}).
 * @throws ArgusError PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE (unknown encoding), BAD_REQUEST,
 * or OVERLOADED when the budget is spent.
 */
export async function readBody(
  request: IncomingMessage,
  limits: BodyLimits,
  budget?: ByteBudget,
): Promise<Buffer> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' && encoding !== '' && !Object.hasOwn(decompressors, encoding)) {
    request.resume();
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
  const raw = await collect(request, limits.maxBodyBytes, budget);
  try {
    if (encoding === 'identity' || encoding === '') return raw;
    return await inflate(raw, encoding, limits.maxDecompressedBytes, budget);
  } finally {
    budget?.release(raw.length);
  }
}

/**
 * Decompresses `raw` in a supported encoding (see {@link SUPPORTED_ENCODINGS}) as a stream,
 * stopping at `maxBytes` of output, or as soon as the `budget` is spent; the inflated bytes are
 * given back to the budget once the body is whole.
 * @throws ArgusError PAYLOAD_TOO_LARGE past the limit, OVERLOADED when the budget is spent,
 * BAD_REQUEST for corrupt data.
 */
export async function inflate(
  raw: Buffer,
  encoding: string,
  maxBytes: number,
  budget?: ByteBudget,
): Promise<Buffer> {
  const decompressor = Object.hasOwn(decompressors, encoding) ? decompressors[encoding] : undefined;
  if (decompressor === undefined) {
    throw new ArgusError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Cannot read body: encoding '${encoding}' is not supported, expected one of ${SUPPORTED_ENCODINGS.join(', ')}`,
    );
  }
  // The decoder's own state counts too: a hundred decoders that each allocated an 8 MiB window and
  // were then refused their first output chunk still held 800 MB.
  budget?.take(decompressor.stateBytes);
  const sink = new ChunkSink('decompressed body', maxBytes, budget);
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = decompressor.create();
      stream.on('data', (chunk: Buffer) => {
        const refusal = sink.take(chunk);
        if (refusal === undefined) return;
        stream.destroy();
        reject(refusal);
      });
      stream.on('end', resolve);
      stream.on('error', (error) =>
        reject(
          new ArgusError(
            'BAD_REQUEST',
            `Cannot read body: it is not valid ${encoding} data (${error.message})`,
          ),
        ),
      );
      stream.end(raw);
    });
    return sink.whole();
  } finally {
    sink.chunks.length = 0;
    budget?.release(sink.size + decompressor.stateBytes);
  }
}

function tooLarge(what: string, size: number | undefined, limit: number): ArgusError {
  const actual = size === undefined ? 'exceeds' : `is ${size} bytes, over`;
  return new ArgusError(
    'PAYLOAD_TOO_LARGE',
    `Cannot accept request: the ${what} ${actual} the limit of ${limit} bytes`,
  );
}

/** Chunks of a body gathered within a byte limit and the in-flight byte budget. */
class ChunkSink {
  readonly chunks: Buffer[] = [];
  size = 0;
  readonly #what: string;
  readonly #maxBytes: number;
  readonly #budget: ByteBudget | undefined;

  /** @param what names the body in the over-limit message (`decompressed body`). */
  constructor(what: string, maxBytes: number, budget: ByteBudget | undefined) {
    this.#what = what;
    this.#maxBytes = maxBytes;
    this.#budget = budget;
  }

  /** Keeps a chunk; answers why it cannot (PAYLOAD_TOO_LARGE, or the budget's OVERLOADED) instead. */
  take(chunk: Buffer): unknown {
    if (this.size + chunk.length > this.#maxBytes) return tooLarge(this.#what, undefined, this.#maxBytes);
    try {
      this.#budget?.take(chunk.length);
    } catch (error) {
      return error;
    }
    this.size += chunk.length;
    this.chunks.push(chunk);
    return undefined;
  }

  /** The chunks as one buffer. */
  whole(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }
}

function collect(
  request: IncomingMessage,
  maxBytes: number,
  budget: ByteBudget | undefined,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sink = new ChunkSink('body', maxBytes, budget);
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      sink.chunks.length = 0;
      budget?.release(sink.size);
      reject(error);
      request.resume();
    };
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      const refusal = sink.take(chunk);
      if (refusal !== undefined) fail(refusal);
    });
    request.on('end', () => {
      if (!failed) resolve(sink.whole());
    });
    request.on('error', (error) => {
      if (!failed) fail(new ArgusError('BAD_REQUEST', `Cannot read body: ${error.message}`));
    });
  });
}
