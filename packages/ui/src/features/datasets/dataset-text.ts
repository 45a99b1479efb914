/**
 * Pure helpers of the dataset pages: a short text of any JSON value for table cells, the import
 * file's format and CSV header (or JSONL fields), and the column mapping typed as comma lists.
 */
import type { ColumnMapping, DatasetFormat } from '@argus/shared';

/** A one-line text of a value for a table cell: strings as they are, the rest as compact JSON. */
export function previewOf(value: unknown, max = 160): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The format of an import file from its name; undefined when it is neither. */
export function formatOfFile(name: string): DatasetFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}

/** The column names of a CSV text's header row (quoted names unquoted); [] when there is none. */
export function csvHeader(text: string): string[] {
  const names: string[] = [];
  let cell = '';
  let isQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (isQuoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') isQuoted = false;
      else cell += c;
    } else if (c === '"') isQuoted = true;
    else if (c === ',') {
      names.push(cell.trim());
      cell = '';
    } else if (c === '\n' || c === '\r') break;
    else cell += c;
  }
  if (cell.trim() || names.length > 0) names.push(cell.trim());
  return names.filter(Boolean);
}

/** The field names of a JSONL text's first line (its top-level keys); [] when it is not an object. */
export function jsonlFields(text: string): string[] {
  const first = text.split(/\r?\n/).find((line) => line.trim());
  if (!first) return [];
  try {
    const value: unknown = JSON.parse(first);
    return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  } catch {
    return [];
  }
}

/** `a, b ,c` → `['a','b','c']` (empty parts dropped). */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The mapping the import form describes, or undefined when every field is left to the defaults. */
export function mappingOf(form: {
  input: string;
  expected: string;
  id: string;
  metadata: string;
}): ColumnMapping | undefined {
  const input = splitList(form.input);
  const metadata = splitList(form.metadata);
  const mapping: ColumnMapping = {
    ...(input.length > 0 ? { input } : {}),
    ...(form.expected.trim() ? { expected: form.expected.trim() } : {}),
    ...(form.id.trim() ? { id: form.id.trim() } : {}),
    ...(metadata.length > 0 ? { metadata } : {}),
  };
  return Object.keys(mapping).length > 0 ? mapping : undefined;
}
