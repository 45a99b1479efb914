/**
 * `argus export [--from T] [--to T] [filters] [--limit N] [--output file.ndjson]`: streams the
 * project's spans as NDJSON from a running server to a file or stdout, with progress on stderr.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { FILTER_PARAMS } from '../query/filters.ts';
import { parseCommandLine } from './flags.ts';
import { apiFetch } from './http.ts';
import { QUERY_FLAGS } from './query-commands.ts';
import { toQuery } from './query-params.ts';
import { ACCESS_FLAGS, ACCESS_USAGE, withAccess } from './sign-in.ts';

const {
  json: _json,
  cursor: _cursor,
  metrics: _metrics,
  'group-by': _groupBy,
  step: _step,
  ...FILTER_FLAGS
} = QUERY_FLAGS;
const FLAGS = {
  ...FILTER_FLAGS,
  ...ACCESS_FLAGS,
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;
const NOT_FILTERS = new Set([...Object.keys(ACCESS_FLAGS), 'output', 'help']);

/** Usage of `argus export`. */
export const EXPORT_USAGE = `Usage: argus export [--from T] [--to T] [--service S …] [--model M …] [--status error] [--q text] [filters as for 'argus spans'] [--limit N] [--output FILE.ndjson] ${ACCESS_USAGE}

Writes the project's spans, newest first, one full span (JSON) per line, to FILE or stdout.
The window defaults to the last 24 hours; --limit defaults to 10000 spans (at most 100000).
Needs the viewer role or above. Every export is recorded in the audit log.`;

/** Runs `argus export …`; resolves to the exit code. */
export async function runExportCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(
    {
      name: 'export',
      usage: EXPORT_USAGE,
      flags: FLAGS,
      positionals: false,
      descriptions: { limit: 'most spans (default 10000, at most 100000)' },
    },
    args,
  );
  const filterValues = Object.fromEntries(Object.entries(values).filter(([flag]) => !NOT_FILTERS.has(flag)));
  const query = toQuery(filterValues, [...FILTER_PARAMS, 'limit']);
  return withAccess(values, env, async (target) => {
    const response = await apiFetch(target, 'GET', `/api/v1/export/spans${query.size ? `?${query}` : ''}`, {
      timeoutMs: 0,
    });
    const where = values.output ?? 'stdout';
    const progress = new Progress(where);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        progress.add(countLines(chunk));
        done(null, chunk);
      },
    });
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    try {
      if (values.output) await pipeline(body, counter, createWriteStream(values.output));
      else await pipeline(body, counter, process.stdout, { end: false });
    } catch (error) {
      progress.finish(
        `Export to ${where} stopped after ${progress.lines} spans: ${(error as Error).message}`,
      );
      return 1;
    }
    const limit = Number(query.get('limit') ?? 10_000);
    const more =
      progress.lines >= limit
        ? `; the limit of ${limit} was reached: narrow --from/--to or raise --limit (at most 100000) for more`
        : '';
    progress.finish(`Exported ${progress.lines} spans to ${where}${more}`);
    return 0;
  });
}

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** A progress line on stderr: rewritten in place on a terminal, once at the end otherwise. */
class Progress {
  lines = 0;
  readonly #where: string;
  #shownAt = 0;

  constructor(where: string) {
    this.#where = where;
  }

  add(lines: number): void {
    this.lines += lines;
    const now = Date.now();
    if (process.stderr.isTTY && now - this.#shownAt > 200) {
      this.#shownAt = now;
      process.stderr.write(`\rExporting spans to ${this.#where}: ${this.lines}`);
    }
  }

  /** Replaces the progress line with the final message. */
  finish(message: string): void {
    process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${message}\n`);
  }
}
