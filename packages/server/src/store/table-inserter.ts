/**
 * One insert of a table's TSV payloads, counted in the writer's stats, and the search for the
 * lines of a write the store cannot read. The group-commit writer decides what goes into an insert
 * and when; this inserts and counts.
 */
import type { ClickhouseDriver } from './clickhouse/driver.ts';
import { classifyEngineError } from './clickhouse/engine-errors.ts';
import type { WriterOptions, WriterStats, WriterTable } from './writer.ts';

/** Most inserts spent finding the unreadable lines of one write before the rest are refused too. */
const MAX_BISECT_INSERTS = 64;
const NEWLINE = Buffer.from('\n');

/** Inserts into the store for the writer. */
export class TableInserter {
  readonly #driver: ClickhouseDriver;
  readonly #columns: Readonly<Record<WriterTable, readonly string[]>>;
  readonly #stats: WriterStats;
  readonly #hooks: Pick<WriterOptions, 'onInsert' | 'onInsertError'>;

  constructor(
    driver: ClickhouseDriver,
    columns: Readonly<Record<WriterTable, readonly string[]>>,
    stats: WriterStats,
    hooks: Pick<WriterOptions, 'onInsert' | 'onInsertError'>,
  ) {
    this.#driver = driver;
    this.#columns = columns;
    this.#stats = stats;
    this.#hooks = hooks;
  }

  /** Inserts the payloads of one or more writes as one insert. */
  async insert(table: WriterTable, payloads: readonly Buffer[]): Promise<void> {
    const parts: Buffer[] = [];
    let rows = 0;
    for (const payload of payloads) {
      if (payload.length === 0) continue;
      if (parts.length > 0) parts.push(NEWLINE);
      parts.push(payload);
      rows += countLines(payload);
    }
    if (rows === 0) return;
    const stats = this.#stats;
    const started = performance.now();
    try {
      await this.#driver.insertTsv(
        table,
        this.#columns[table],
        parts.length === 1 ? parts[0]! : Buffer.concat(parts),
      );
    } catch (error) {
      stats.failedInserts++;
      if (classifyEngineError(error) === 'full' && stats.storageFullSince === 0) {
        stats.storageFullSince = Date.now();
      }
      this.#hooks.onInsertError?.(table, error, rows);
      throw error;
    }
    stats.storageFullSince = 0;
    const elapsed = performance.now() - started;
    stats.inserts++;
    stats.insertedRows += rows;
    stats.lastInsertMs = elapsed;
    stats.insertMsTotal += elapsed;
    this.#hooks.onInsert?.(table, elapsed, rows);
  }

  /**
   * Inserts one write's payload; when the store cannot read some of its lines, stores the others
   * and returns the indexes of those (with the lines, split once).
   * @throws the engine's error when the store itself failed (not the data).
   */
  async insertReadable(
    table: WriterTable,
    payload: Buffer,
  ): Promise<{ rejected: number[]; lines: string[] }> {
    try {
      await this.insert(table, [payload]);
      return { rejected: [], lines: [] };
    } catch (error) {
      if (classifyEngineError(error) !== 'data') throw error;
    }
    const lines = payload.toString().split('\n');
    const rejected: number[] = [];
    await this.#bisect(table, lines, 0, lines.length, rejected, { inserts: MAX_BISECT_INSERTS });
    return { rejected, lines };
  }

  /**
   * Stores lines [from, to) that the store can read and collects the indexes of those it cannot,
   * halving the range on each data error (a few bad lines cost about 2·log2(n) inserts).
   */
  async #bisect(
    table: WriterTable,
    lines: string[],
    from: number,
    to: number,
    rejected: number[],
    budget: { inserts: number },
  ): Promise<void> {
    if (from >= to) return;
    if (to - from > 1 && budget.inserts > 0) {
      const middle = from + Math.floor((to - from) / 2);
      for (const [a, b] of [
        [from, middle],
        [middle, to],
      ] as const) {
        budget.inserts--;
        try {
          await this.insert(table, [Buffer.from(lines.slice(a, b).join('\n'))]);
        } catch (error) {
          if (classifyEngineError(error) !== 'data') throw error;
          await this.#bisect(table, lines, a, b, rejected, budget);
        }
      }
      return;
    }
    // One line that failed (or the budget is spent): refuse the range.
    for (let i = from; i < to; i++) rejected.push(i);
  }
}

function countLines(payload: Buffer): number {
  let lines = 1;
  for (let i = payload.indexOf(10); i !== -1; i = payload.indexOf(10, i + 1)) lines++;
  return lines;
}
