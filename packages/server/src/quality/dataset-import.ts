/**
 * Dataset files: JSONL and CSV to items (with a column mapping and per-row errors) and items back
 * to either format. Pure, so the API and the CLI (`argus datasets import file.csv --input-col q
 * --expected-col a`) share it.
 *
 * Mapping: `input` names one column (its value is the input) or several (the input is an object
 * of them); `expected`, `id` name one column; `metadata` lists columns copied into the item's
 * metadata. In JSONL a name is a dotted path into each line's object. Unmapped, a JSONL line may
 * be an item itself (`{ id?, input, expectedOutput? | expected_output? | expected?, metadata? }`)
 * and a CSV file uses its `id`, `input`, `expected_output` (or `expected`) and `metadata` columns.
 */
import type { ColumnMapping, ImportRowError, ItemWrite } from '@argus/shared';
import { valueAt } from './evaluators/sample.ts';

/** Items read from a file and the rows refused. */
export interface ParsedItems {
  items: ItemWrite[];
  /** At most {@link MAX_REPORTED_ERRORS}; `refused` counts them all. */
  errors: ImportRowError[];
  refused: number;
}

/** Most row errors reported (the count of refused rows is still exact). */
export const MAX_REPORTED_ERRORS = 100;
/** Longest item id. */
export const MAX_ITEM_ID_CHARS = 200;

/**
 * Splits CSV text (RFC 4180: quoted fields with "" escapes and line breaks, CRLF or LF) into rows.
 * @returns the rows, each with the 1-based line it starts on; or an error for an unclosed quote.
 */
export function parseCsv(text: string): { rows: { line: number; cells: string[] }[]; error?: string } {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) return { rows, error: `line ${rowLine}: a quoted field is not closed` };
  cells.push(cell);
  if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
  return { rows };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An item from one record (a JSONL object or a CSV row as an object), or why not. */
function itemOf(record: Record<string, unknown>, mapping: ColumnMapping, isCsv: boolean): ItemWrite | string {
  const get = (name: string) => (isCsv ? record[name] : valueAt(record, name));
  let input: unknown;
  if (mapping.input && mapping.input.length > 1) {
    input = Object.fromEntries(mapping.input.map((name) => [name, get(name)]));
    if (mapping.input.every((name) => get(name) === undefined || get(name) === ''))
      return `the input columns ${mapping.input.map((n) => `'${n}'`).join(', ')} are empty`;
  } else {
    const name = mapping.input?.[0] ?? 'input';
    input = get(name);
    if (input === undefined || input === '') return `'${name}' is missing or empty`;
  }
  const expectedName =
    mapping.expected ?? ['expectedOutput', 'expected_output', 'expected'].find((n) => get(n) !== undefined);
  const expected = expectedName === undefined ? undefined : get(expectedName);
  if (mapping.expected && (expected === undefined || expected === ''))
    return `'${mapping.expected}' is missing or empty`;
  const idName = mapping.id ?? 'id';
  const rawId = get(idName);
  if (mapping.id && (rawId === undefined || rawId === '')) return `'${mapping.id}' is missing or empty`;
  const id = rawId === undefined || rawId === '' ? undefined : String(rawId);
  if (id !== undefined && id.length > MAX_ITEM_ID_CHARS)
    return `the id has over ${MAX_ITEM_ID_CHARS} characters`;
  let metadata: Record<string, unknown> | undefined;
  if (mapping.metadata) metadata = Object.fromEntries(mapping.metadata.map((name) => [name, get(name)]));
  else if (isObject(record.metadata)) metadata = record.metadata;
  else if (isCsv && typeof record.metadata === 'string' && record.metadata !== '') {
    try {
      const parsed = JSON.parse(record.metadata);
      if (!isObject(parsed)) return "'metadata' is not a JSON object";
      metadata = parsed;
    } catch {
      return "'metadata' is not JSON";
    }
  }
  return {
    ...(id === undefined ? {} : { id }),
    input,
    ...(expected === undefined || expected === '' ? {} : { expectedOutput: expected }),
    ...(metadata ? { metadata } : {}),
  };
}

function collect(out: ParsedItems, row: number, result: ItemWrite | string): void {
  if (typeof result !== 'string') out.items.push(result);
  else {
    out.refused++;
    if (out.errors.length < MAX_REPORTED_ERRORS) out.errors.push({ row, message: result });
  }
}

/** Items from JSONL text; each error names its line. */
export function itemsFromJsonl(text: string, mapping: ColumnMapping = {}): ParsedItems {
  const out: ParsedItems = { items: [], errors: [], refused: 0 };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      collect(out, i + 1, `not JSON (${(error as Error).message})`);
      continue;
    }
    collect(out, i + 1, isObject(record) ? itemOf(record, mapping, false) : 'not a JSON object');
  }
  return out;
}

/** Items from CSV text with a header row; each error names the line its row starts on. */
export function itemsFromCsv(text: string, mapping: ColumnMapping = {}): ParsedItems {
  const out: ParsedItems = { items: [], errors: [], refused: 0 };
  const { rows, error } = parseCsv(text);
  const header = rows[0];
  if (!header)
    return { items: [], errors: [{ row: 1, message: error ?? 'the file has no header row' }], refused: 1 };
  const names = header.cells.map((c) => c.trim());
  const wanted = [...(mapping.input ?? []), mapping.expected, mapping.id, ...(mapping.metadata ?? [])];
  const missing = wanted.filter((n): n is string => n !== undefined && !names.includes(n));
  if (missing.length > 0)
    return {
      items: [],
      refused: rows.length - 1,
      errors: [
        {
          row: header.line,
          message: `the header has no column ${missing.map((n) => `'${n}'`).join(', ')} (it has ${names.map((n) => `'${n}'`).join(', ')})`,
        },
      ],
    };
  for (const row of rows.slice(1)) {
    if (row.cells.length !== names.length) {
      collect(out, row.line, `${row.cells.length} fields where the header has ${names.length}`);
      continue;
    }
    const record = Object.fromEntries(names.map((n, i) => [n, row.cells[i]]));
    collect(out, row.line, itemOf(record, mapping, true));
  }
  if (error) collect(out, rows.at(-1)?.line ?? 1, error);
  return out;
}

/** An item as a JSONL line. */
export function itemToJsonl(item: { id: string } & ItemWrite): string {
  return `${JSON.stringify({
    id: item.id,
    input: item.input,
    expectedOutput: item.expectedOutput,
    metadata: item.metadata,
    sourceTraceId: item.sourceTraceId,
    sourceSpanId: item.sourceSpanId,
  })}\n`;
}

/** The CSV header of {@link itemToCsv}. */
export const CSV_HEADER = 'id,input,expected_output,metadata,source_trace_id,source_span_id\r\n';

const csvCell = (value: unknown): string => {
  const text =
    value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** An item as a CSV row: strings as they are, other values as JSON. */
export function itemToCsv(item: { id: string } & ItemWrite): string {
  const cells = [
    item.id,
    item.input,
    item.expectedOutput,
    item.metadata ?? {},
    item.sourceTraceId,
    item.sourceSpanId,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
