/**
 * gRPC message framing over HTTP/2 DATA: each message is a 1-byte compressed flag, a 4-byte
 * big-endian length and the (possibly compressed) protobuf bytes. The reader is bounded: a
 * declared length over the limit fails as soon as the 5-byte prefix arrives, before the bytes.
 */
import { ArgusError } from '../errors.ts';
import { inflate } from '../http/body.ts';
import type { ByteBudget } from '../http/body-budget.ts';

/** One framed message as received. */
export interface GrpcFrame {
  compressed: boolean;
  payload: Buffer;
}

const PREFIX_BYTES = 5;

/** Accumulates DATA chunks of a unary call and cuts them into frames, within a size limit. */
export class FrameReader {
  readonly #maxMessageBytes: number;
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  readonly frames: GrpcFrame[] = [];

  /** `maxMessageBytes`: the largest (compressed) message accepted. */
  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /**
   * Adds a chunk and extracts every complete frame.
   * @throws ArgusError PAYLOAD_TOO_LARGE when a frame declares more than the limit, BAD_REQUEST
   * for a flag other than 0 or 1, or more than one message (the OTLP services are unary).
   */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    for (;;) {
      if (this.#buffered < PREFIX_BYTES) return;
      const head = this.#peek(PREFIX_BYTES);
      const flag = head[0]!;
      const length = head.readUInt32BE(1);
      if (flag > 1) {
        throw new ArgusError(
          'BAD_REQUEST',
          `Cannot read gRPC message: compressed flag is ${flag}, expected 0 or 1`,
        );
      }
      if (length > this.#maxMessageBytes) {
        throw new ArgusError(
          'PAYLOAD_TOO_LARGE',
          `Cannot accept gRPC message: it is ${length} bytes, over the limit of ${this.#maxMessageBytes} bytes`,
        );
      }
      if (this.#buffered < PREFIX_BYTES + length) return;
      if (this.frames.length > 0) {
        throw new ArgusError(
          'BAD_REQUEST',
          'Cannot read gRPC request: it has more than one message, expected one',
        );
      }
      const all = this.#take(PREFIX_BYTES + length);
      this.frames.push({ compressed: flag === 1, payload: all.subarray(PREFIX_BYTES) });
    }
  }

  /**
   * The one message of a finished unary call.
   * @throws ArgusError BAD_REQUEST when there is none or the last one is cut short.
   */
  finish(): GrpcFrame {
    if (this.#buffered > 0) {
      throw new ArgusError(
        'BAD_REQUEST',
        `Cannot read gRPC request: it ends inside a message (${this.#buffered} stray bytes)`,
      );
    }
    const frame = this.frames[0];
    if (frame === undefined)
      throw new ArgusError('BAD_REQUEST', 'Cannot read gRPC request: it has no message');
    return frame;
  }

  #peek(bytes: number): Buffer {
    if (this.#chunks[0]!.length < bytes) this.#merge();
    return this.#chunks[0]!.subarray(0, bytes);
  }

  #take(bytes: number): Buffer {
    this.#merge();
    const all = this.#chunks[0]!;
    this.#chunks.length = 0;
    if (all.length > bytes) this.#chunks.push(all.subarray(bytes));
    this.#buffered -= bytes;
    return all.subarray(0, bytes);
  }

  #merge(): void {
    if (this.#chunks.length <= 1) return;
    const merged = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks.length = 0;
    this.#chunks.push(merged);
  }
}

/** gRPC message encodings the receiver inflates (`grpc-encoding`). */
export const GRPC_ENCODINGS = ['identity', 'gzip', 'deflate'];

/**
 * The protobuf bytes of a frame: inflated when its flag says so, per the call's
 * `grpc-encoding`, bounded by `maxBytes` of output.
 * @throws ArgusError BAD_REQUEST (flag set without an encoding, corrupt data),
 * UNSUPPORTED_MEDIA_TYPE (unknown encoding), PAYLOAD_TOO_LARGE (past the limit).
 */
export async function messageBytes(
  frame: GrpcFrame,
  encoding: string,
  maxBytes: number,
  budget?: ByteBudget,
): Promise<Buffer> {
  if (!frame.compressed) return frame.payload;
  if (encoding === 'identity' || encoding === '') {
    throw new ArgusError(
      'BAD_REQUEST',
      'Cannot read gRPC message: it is flagged compressed but the call has no grpc-encoding',
    );
  }
  if (!GRPC_ENCODINGS.includes(encoding)) {
    throw new ArgusError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Cannot read gRPC message: grpc-encoding '${encoding}' is not supported, expected one of ${GRPC_ENCODINGS.join(', ')}`,
    );
  }
  return inflate(frame.payload, encoding, maxBytes, budget);
}

/** A message framed for the response (never compressed). */
export function encodeFrame(message: Buffer): Buffer {
  const head = Buffer.alloc(PREFIX_BYTES);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** `grpc-message` value: percent-encoded outside printable ASCII (and `%` itself), per the gRPC spec. */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
