/**
 * `argus datasets list | create | delete | items | import | export`: datasets of offline
 * evaluation (docs/evaluation.md) on a running server. A dataset is named by id or name; `import`
 * sends a CSV or JSONL file with a column mapping and prints the rows the server refused.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dataset, DatasetItem, ImportResult } from '@argus/shared';
import { type ActionCommand, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import { formatCount, oneLine } from './format.ts';
import { apiCall, apiFetch } from './http.ts';
import { findByIdOrName, findOptional } from './quality-lookup.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  name: { type: 'string' },
  description: { type: 'string' },
  dataset: { type: 'string' },
  'input-col': { type: 'string', multiple: true },
  'expected-col': { type: 'string' },
  'id-col': { type: 'string' },
  'metadata-col': { type: 'string', multiple: true },
  format: { type: 'string' },
  output: { type: 'string' },
  version: { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus datasets`. */
export const DATASETS_USAGE = `Usage: argus datasets <action> [flags] ${ACCESS_USAGE}

  list                              the project's datasets
  create --name N [--description D] a new, empty dataset
  delete <dataset>                  delete a dataset and its items (experiments keep their results)
  items <dataset> [--limit N] [--version T]
                                    the items (as of a version: an ISO time)
  import <file> [--dataset D] [--input-col q …] [--expected-col a] [--id-col c]
         [--metadata-col m …] [--format csv|jsonl]
                                    add a CSV or JSONL file's rows as items (a row with the id of
                                    an item replaces it); D is created when no dataset has that
                                    name (default the file's name); refused rows are listed and
                                    the exit code is then 1
  export <dataset> [--format jsonl|csv] [--output FILE] [--version T]
                                    the items as JSONL (default) or CSV, to stdout or FILE

<dataset> is a dataset's id or name.`;

/** Runs `argus datasets …`; resolves to the exit code. */
export function runDatasetsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(DATASETS_COMMAND, args, env);
}

function operand(operands: string[], what: string): string {
  const [value] = operands;
  if (!value) throw new UsageError('datasets', `Missing ${what}. ${DATASETS_USAGE.split('\n')[0]}`);
  return value;
}

function formatOf(value: string | undefined, file?: string): 'csv' | 'jsonl' {
  if (value === 'csv' || value === 'jsonl') return value;
  if (value !== undefined)
    throw new UsageError('datasets', `Invalid --format '${value}': expected csv or jsonl`);
  const ext = file === undefined ? '' : extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json' || file === undefined) return 'jsonl';
  throw new UsageError(
    'datasets',
    `Cannot tell the format of '${file}' from its extension: pass --format csv or --format jsonl`,
  );
}

/** An item value on one line: text as it is, anything else as JSON. */
function preview(value: unknown): string {
  return oneLine(typeof value === 'string' || value === undefined ? value : JSON.stringify(value));
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError('datasets', `Invalid --limit '${value}': expected an integer from 1 to 1000`);
  return n;
}

const DATASETS_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'datasets',
  usage: DATASETS_USAGE,
  flags: FLAGS,
  descriptions: {
    name: 'name of the new dataset (create)',
    description: 'what the new dataset holds (create)',
    dataset:
      "the dataset to import into, by id or name; created when none has the name (default the file's name)",
    'input-col': 'column (CSV) or field path (JSONL) of the input; repeat it for an input object of several',
    'expected-col': 'column or field path of the expected output',
    'id-col': 'column or field path of the item id (rows with an existing id replace that item)',
    'metadata-col': "column or field path copied into the item's metadata; repeatable",
    format: 'csv or jsonl (default: from the file extension on import, jsonl on export)',
    output: 'write the export to this file instead of stdout',
    version: 'read the items as of this version (an ISO time)',
    limit: 'most items to print (1–1000, default 50)',
  },
  actions: {
    async list({ target, print }) {
      const { data } = await apiCall<{ data: Dataset[] }>(target, 'GET', '/api/v1/datasets');
      print(
        data,
        tableOr(
          data.map((d) => ({ ...d, items: formatCount(d.itemCount) })),
          ['id', 'name', 'items', 'versionAt', 'description'],
          'No datasets. Create one with: argus datasets create --name NAME, or argus datasets import FILE',
        ),
      );
      return 0;
    },
    async create({ values, target, print }) {
      if (!values.name) throw new UsageError('datasets', `Missing --name. ${DATASETS_USAGE.split('\n')[0]}`);
      const { data } = await apiCall<{ data: Dataset }>(target, 'POST', '/api/v1/datasets', {
        body: { name: values.name, ...(values.description ? { description: values.description } : {}) },
      });
      print(data, `Created dataset ${data.id} (${data.name})\n`);
      return 0;
    },
    async delete({ operands, target, print }) {
      const dataset = await findByIdOrName(target, 'dataset', operand(operands, 'the dataset (id or name)'));
      await apiCall(target, 'DELETE', `/api/v1/datasets/${encodeURIComponent(dataset.id)}`);
      print({ deleted: dataset.id }, `Deleted dataset ${dataset.id} (${dataset.name})\n`);
      return 0;
    },
    async items({ operands, values, target, print }) {
      const dataset = await findByIdOrName(target, 'dataset', operand(operands, 'the dataset (id or name)'));
      const query = new URLSearchParams({ limit: String(limitOf(values.limit)) });
      if (values.version) query.set('version', values.version);
      const page = await apiCall<{ data: DatasetItem[]; version: string; nextCursor: string | null }>(
        target,
        'GET',
        `/api/v1/datasets/${encodeURIComponent(dataset.id)}/items?${query}`,
      );
      const rows = page.data.map((i) => ({
        id: i.id,
        input: preview(i.input),
        expected: preview(i.expectedOutput),
      }));
      const more = page.nextCursor
        ? `More items: argus datasets export ${dataset.name} prints them all\n`
        : '';
      print(page, `${tableOr(rows, ['id', 'input', 'expected'], 'No items.')}${more}`);
      return 0;
    },
    import: importFile,
    async export({ operands, values, target }) {
      const dataset = await findByIdOrName(target, 'dataset', operand(operands, 'the dataset (id or name)'));
      const query = new URLSearchParams({ format: formatOf(values.format) });
      if (values.version) query.set('version', values.version);
      const response = await apiFetch(
        target,
        'GET',
        `/api/v1/datasets/${encodeURIComponent(dataset.id)}/items/export?${query}`,
        { timeoutMs: 0 },
      );
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
      await pipeline(body, values.output ? createWriteStream(values.output) : process.stdout, {
        end: !!values.output,
      });
      if (values.output) process.stderr.write(`Exported dataset ${dataset.name} to ${values.output}\n`);
      return 0;
    },
  },
};

/** `import <file>`: the file as it is to the server's import, with the mapping as parameters. */
async function importFile({
  operands,
  values,
  target,
  print,
}: Parameters<(typeof DATASETS_COMMAND.actions)['list']>[0]) {
  const file = operand(operands, 'the file to import (CSV or JSONL)');
  const format = formatOf(values.format, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      'datasets',
      `Cannot read '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const wanted = values.dataset ?? basename(file, extname(file));
  let dataset = await findOptional<Dataset>(target, 'dataset', wanted);
  let created = false;
  if (!dataset) {
    dataset = (
      await apiCall<{ data: Dataset }>(target, 'POST', '/api/v1/datasets', { body: { name: wanted } })
    ).data;
    created = true;
  }
  const query = new URLSearchParams({ format });
  if (values['input-col']?.length) query.set('input', values['input-col'].join(','));
  if (values['expected-col']) query.set('expected', values['expected-col']);
  if (values['id-col']) query.set('id', values['id-col']);
  if (values['metadata-col']?.length) query.set('metadata', values['metadata-col'].join(','));
  const answer = await apiCall<{ data?: ImportResult & { refused?: number }; error?: { message: string } }>(
    target,
    'POST',
    `/api/v1/datasets/${encodeURIComponent(dataset.id)}/items/import?${query}`,
    {
      text: { body: text, contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
      accept: [400],
    },
  );
  const result = answer.data;
  if (!result || !Array.isArray(result.errors))
    throw new Error(answer.error?.message ?? 'The import answered nothing');
  const refused = result.refused ?? result.errors.length;
  const lines = [
    `${created ? 'Created' : 'Imported into'} dataset ${dataset.name} (${dataset.id}): ${formatCount(result.created)} created, ${formatCount(result.updated)} updated, ${formatCount(result.unchanged)} unchanged, ${formatCount(refused)} refused`,
    ...result.errors.map((e) => `  row ${e.row}: ${e.message}`),
    ...(refused > result.errors.length
      ? [`  … and ${refused - result.errors.length} more refused rows`]
      : []),
  ];
  print({ datasetId: dataset.id, ...result }, `${lines.join('\n')}\n`);
  return refused > 0 ? 1 : 0;
}
