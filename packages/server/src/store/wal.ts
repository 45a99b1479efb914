/**
 * The write-ahead log of the ingest path (issue 20). A request's rows are appended here and made
 * durable — one write and one fdatasync for every group of appends that arrived together — before
 * the request is acknowledged; the group-commit writer then inserts them into the store in large
 * batches off the request's path and records how far each table got with a commit record. On
 * start the rows after each table's last commit are handed back to be inserted again, so an
 * acknowledged row survives kill -9 and, with fsync on, a power cut.
 *
 * Layout: `<dir>/<segment>.wal`, segments numbered from 1 and appended in order, never rewritten;
 * new appends after a start go to a new segment. A segment is deleted once every data record in
 * it and in all older segments is committed, so what is left always begins at the oldest
 * uncommitted row and holds the commit records of everything after it.
 *
 * Record: a 16-byte header — 'A' 'W', type (1 data, 2 commit), table index, payload length (u32),
 * CRC-32 of the payload (u32), row count (u32) — then the payload: the rows' TSV lines joined by
 * '\n' (data), or the position up to which the table is committed, segment and offset (u32 each).
 */
import { mkdirSync, readdirSync, readFileSync, truncateSync, unlinkSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { lockWalDir } from './wal-lock.ts';

/** The tables whose rows go through the log, in the order their index is written. */
export const WAL_TABLES = ['spans', 'logs', 'metric_points', 'scores'] as const;
export type WalTable = (typeof WAL_TABLES)[number];

/** Where a record starts: its segment and byte offset. */
export interface WalPosition {
  segment: number;
  offset: number;
}

/** A data record read back at start that no commit covers. */
export interface WalEntry {
  table: WalTable;
  payload: Buffer;
  rows: number;
  position: WalPosition;
}

/** What the start found in the log. */
export interface WalRecovery {
  /** Uncommitted data records, in the order they were appended. */
  pending: WalEntry[];
  /** Segments read, and bytes cut from the last one's torn tail (a write the crash interrupted). */
  segments: number;
  tornBytes: number;
  /** Segments damaged before their end (their records past the damage are lost); named for the log. */
  damaged: string[];
}

/** Options of {@link WriteAheadLog.open}. */
export interface WalOptions {
  /** fdatasync each group before acknowledging it (survives a power cut); off = survives kill -9 only. */
  fsync: boolean;
  /** A segment is closed and a new one begun past this size. */
  segmentBytes: number;
}

const HEADER = 16;
const DATA = 1;
const COMMIT = 2;
const SEGMENT_NAME = /^(\d{10})\.wal$/;

interface Queued {
  /** The record: its header, then its payload (written together, never copied into one buffer). */
  buffers: [Buffer, Buffer];
  length: number;
  /** Data records count towards their segment's uncommitted records. */
  data: boolean;
  resolve: (position: WalPosition) => void;
  reject: (error: unknown) => void;
}

/** Orders two positions. */
export function comparePositions(a: WalPosition, b: WalPosition): number {
  return a.segment - b.segment || a.offset - b.offset;
}

/** The append-only log; one per data directory and process. */
export class WriteAheadLog {
  readonly #dir: string;
  readonly #options: WalOptions;
  #segment: number;
  #size = 0;
  /** The last segment whose directory entry was synced (with fsync on). */
  #syncedSegment = 0;
  #handle: FileHandle | undefined;
  #queue: Queued[] = [];
  #draining: Promise<void> | undefined;
  /** Set and cleared synchronously by the drain loop, so an append never waits on a loop that ended. */
  #running = false;
  /** Set once close() has written and closed the last segment. */
  #finished = false;
  /** rotate() asked for a new segment before the next group. */
  #rotateNext = false;
  #closed = false;
  /** Releases the directory's lock (wal-lock.ts). */
  #unlock: () => void = () => {};
  /** Uncommitted data records per segment (the current segment included, even at 0). */
  readonly #live = new Map<number, number>();
  readonly stats = { appends: 0, syncs: 0, bytes: 0, deletedSegments: 0 };

  private constructor(dir: string, options: WalOptions, nextSegment: number) {
    this.#dir = dir;
    this.#options = options;
    this.#segment = nextSegment;
    this.#live.set(nextSegment, 0);
  }

  /**
   * Opens the log in `dir` (created if missing) and reads back what was not committed.
   * @throws ArgusError DATA_DIR_LOCKED when another live process has it open.
   */
  static open(dir: string, options: WalOptions): { wal: WriteAheadLog; recovery: WalRecovery } {
    mkdirSync(dir, { recursive: true });
    const unlock = lockWalDir(dir);
    let recovery: WalRecovery;
    let segments: number[];
    try {
      segments = readdirSync(dir)
        .map((name) => SEGMENT_NAME.exec(name)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      recovery = readSegments(dir, segments);
    } catch (error) {
      unlock();
      throw error;
    }
    const wal = new WriteAheadLog(dir, options, (segments.at(-1) ?? 0) + 1);
    wal.#unlock = unlock;
    for (const segment of segments) wal.#live.set(segment, 0);
    for (const entry of recovery.pending) {
      wal.#live.set(entry.position.segment, (wal.#live.get(entry.position.segment) ?? 0) + 1);
    }
    wal.#deleteCommitted();
    return { wal, recovery };
  }

  /** Appends a table's rows; resolves with their position once they are durable. */
  append(table: WalTable, payload: Buffer, rows: number): Promise<WalPosition> {
    return this.#enqueue(header(DATA, WAL_TABLES.indexOf(table), payload, rows), payload, true);
  }

  /**
   * Records that the data records at `positions` (all of `table`, appended in this order) are in
   * the store; deletes the segments nothing uncommitted is left in. Not awaited: a lost commit
   * record only means those rows are offered again at the next start.
   */
  commit(table: WalTable, positions: readonly WalPosition[]): void {
    if (positions.length === 0) return;
    let last = positions[0]!;
    for (const position of positions) {
      if (comparePositions(position, last) > 0) last = position;
      this.#live.set(position.segment, (this.#live.get(position.segment) ?? 1) - 1);
    }
    const payload = Buffer.alloc(8);
    payload.writeUInt32LE(last.segment, 0);
    payload.writeUInt32LE(last.offset, 4);
    if (!this.#closed) {
      this.#enqueue(header(COMMIT, WAL_TABLES.indexOf(table), payload, 0), payload, false).catch(() => {});
    }
    this.#deleteCommitted();
  }

  /**
   * Begins a new segment for what comes next, so the current one is deleted as soon as its rows
   * are committed — an erasure calls it after its rows are in the store, so no erased row lingers
   * in the log's files (a segment otherwise lives until 64 MB of later rows have filled it).
   */
  async rotate(): Promise<void> {
    if (this.#closed) return;
    this.#rotateNext = true;
    if (!this.#running) {
      this.#running = true;
      this.#draining = this.#drain();
    }
    await this.#draining;
  }

  /** Writes what is queued, syncs and closes the current segment. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#draining;
    await this.#handle?.close();
    this.#handle = undefined;
    // Closed for good: the last segment goes too when nothing in it or before it awaits a commit.
    this.#finished = true;
    this.#deleteCommitted();
    this.#unlock();
  }

  #enqueue(head: Buffer, payload: Buffer, data: boolean): Promise<WalPosition> {
    if (this.#closed && data) return Promise.reject(new Error('the write-ahead log is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ buffers: [head, payload], length: HEADER + payload.length, data, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      this.#draining = this.#drain();
    });
  }

  /** Writes queued records group by group: one write and one sync per group. */
  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0 || this.#rotateNext) {
        if (this.#rotateNext) {
          this.#rotateNext = false;
          if (this.#size > 0) await this.#rotate().catch(() => {});
          if (this.#queue.length === 0) continue;
        }
        const group = this.#queue.splice(0);
        try {
          const positions = await this.#writeGroup(group);
          for (let i = 0; i < group.length; i++) group[i]!.resolve(positions[i]!);
        } catch (error) {
          for (const item of group) item.reject(error);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #writeGroup(group: readonly Queued[]): Promise<WalPosition[]> {
    if (this.#size >= this.#options.segmentBytes) await this.#rotate();
    this.#handle ??= await open(this.#file(this.#segment), 'a');
    const start = this.#size;
    const positions: WalPosition[] = [];
    let offset = start;
    for (const item of group) {
      positions.push({ segment: this.#segment, offset });
      offset += item.length;
    }
    const total = offset - start;
    try {
      const { bytesWritten } = await this.#handle.writev(group.flatMap((item) => item.buffers));
      if (bytesWritten !== total) {
        throw Object.assign(
          new Error(`short write to the write-ahead log: ${bytesWritten} of ${total} bytes`),
          {
            code: 'ENOSPC',
          },
        );
      }
      if (this.#options.fsync) {
        await this.#handle.datasync();
        // A new file's directory entry is not made durable by syncing the file itself.
        if (this.#syncedSegment !== this.#segment) {
          await syncDirectory(this.#dir);
          this.#syncedSegment = this.#segment;
        }
        this.stats.syncs++;
      }
    } catch (error) {
      // A partly written group must not sit before later records: the reader stops at damage.
      // The segment is opened again for the next group — or, where its torn bytes cannot be cut,
      // a new one is begun (records after them would be unreadable, and their offsets wrong).
      const cut = await this.#handle.truncate(start).then(
        () => true,
        () => false,
      );
      await this.#handle.close().catch(() => {});
      this.#handle = undefined;
      if (!cut) {
        this.#segment++;
        this.#size = 0;
        this.#live.set(this.#segment, 0);
      }
      throw error;
    }
    this.#size = offset;
    this.stats.bytes += total;
    for (const item of group) {
      if (!item.data) continue;
      this.stats.appends++;
      this.#live.set(this.#segment, (this.#live.get(this.#segment) ?? 0) + 1);
    }
    return positions;
  }

  async #rotate(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    this.#segment++;
    this.#size = 0;
    this.#live.set(this.#segment, 0);
    this.#deleteCommitted();
  }

  /** Deletes, oldest first, the closed segments with nothing uncommitted (see the module comment). */
  #deleteCommitted(): void {
    for (const [segment, live] of [...this.#live].sort((a, b) => a[0] - b[0])) {
      if ((segment === this.#segment && !this.#finished) || live > 0) return;
      this.#live.delete(segment);
      this.stats.deletedSegments++;
      // In order and at once: concurrent unlinks finish in any order, and a kill between them
      // could leave an older segment whose commit records were in a newer, deleted one.
      try {
        unlinkSync(this.#file(segment));
      } catch {
        // already gone
      }
    }
  }

  #file(segment: number): string {
    return path.join(this.#dir, `${String(segment).padStart(10, '0')}.wal`);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The 16-byte header of a record (module comment). */
function header(type: number, table: number, payload: Buffer, rows: number): Buffer {
  const head = Buffer.allocUnsafe(HEADER);
  head[0] = 0x41;
  head[1] = 0x57;
  head[2] = type;
  head[3] = table;
  head.writeUInt32LE(payload.length, 4);
  head.writeUInt32LE(crc32(payload), 8);
  head.writeUInt32LE(rows, 12);
  return head;
}

/** Reads every segment; data records after their table's last commit are pending. */
function readSegments(dir: string, segments: readonly number[]): WalRecovery {
  const data: WalEntry[] = [];
  const committed = new Map<WalTable, WalPosition>();
  let tornBytes = 0;
  const damaged: string[] = [];
  segments.forEach((segment, index) => {
    const file = path.join(dir, `${String(segment).padStart(10, '0')}.wal`);
    const buffer = readFileSync(file);
    let offset = 0;
    for (;;) {
      const record = readRecord(buffer, offset);
      if (!record) break;
      const position = { segment, offset };
      if (record.type === DATA)
        data.push({ table: record.table, payload: record.payload, rows: record.rows, position });
      else {
        const upTo = { segment: record.payload.readUInt32LE(0), offset: record.payload.readUInt32LE(4) };
        const before = committed.get(record.table);
        if (!before || comparePositions(upTo, before) > 0) committed.set(record.table, upTo);
      }
      offset += HEADER + record.payload.length;
    }
    if (offset === buffer.length) return;
    if (index === segments.length - 1) {
      // The crash interrupted the last write: what follows the last whole record was never acknowledged.
      tornBytes = buffer.length - offset;
      truncateSync(file, offset);
    } else damaged.push(`${file} at byte ${offset} of ${buffer.length}`);
  });
  const pending = data.filter((entry) => {
    const upTo = committed.get(entry.table);
    return !upTo || comparePositions(entry.position, upTo) > 0;
  });
  return { pending, segments: segments.length, tornBytes, damaged };
}

/** The record at `offset`, or undefined at the end or where the bytes are not a whole, intact record. */
function readRecord(
  buffer: Buffer,
  offset: number,
): { type: number; table: WalTable; payload: Buffer; rows: number } | undefined {
  if (offset + HEADER > buffer.length) return undefined;
  if (buffer[offset] !== 0x41 || buffer[offset + 1] !== 0x57) return undefined;
  const type = buffer[offset + 2]!;
  const table = WAL_TABLES[buffer[offset + 3]!];
  const length = buffer.readUInt32LE(offset + 4);
  if ((type !== DATA && type !== COMMIT) || !table || offset + HEADER + length > buffer.length)
    return undefined;
  const payload = buffer.subarray(offset + HEADER, offset + HEADER + length);
  if (crc32(payload) !== buffer.readUInt32LE(offset + 8)) return undefined;
  if (type === COMMIT && length !== 8) return undefined;
  return { type, table, payload, rows: buffer.readUInt32LE(offset + 12) };
}
