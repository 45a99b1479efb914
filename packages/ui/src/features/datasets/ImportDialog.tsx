/**
 * Import a JSONL or CSV file into a dataset: pick the file, map its columns (CSV header names or
 * JSONL fields, offered from the file itself), send it; the answer says what was created,
 * updated and unchanged, and lists each refused row with its line number and reason.
 */

import type { DatasetFormat, ImportResult } from '@argus/shared';
import { type FormEvent, useState } from 'react';
import { importItems } from '../../api-quality.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { FieldError, FormActions, SelectField, TextField } from '../../components/FormControls.tsx';
import { ErrorBox } from '../../components/States.tsx';
import { formatCount } from '../../lib/format.ts';
import { useAction } from '../../lib/use-action.ts';
import { csvHeader, formatOfFile, jsonlFields, mappingOf } from './dataset-text.ts';

/** Largest file the console reads (the server has its own body limit). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

interface FileState {
  name: string;
  content: string;
  format: DatasetFormat;
  columns: string[];
}

/** What the import did: counts, then every refused row. */
function ImportReport({ result }: { result: ImportResult }) {
  return (
    <div className="stack" data-testid="import-result">
      <div role="status">
        Imported: {formatCount(result.created)} created, {formatCount(result.updated)} updated,{' '}
        {formatCount(result.unchanged)} unchanged.{' '}
        {result.refused > 0 ? (
          <span className="error-text">
            {formatCount(result.refused)} {result.refused === 1 ? 'row' : 'rows'} refused
            {result.refused > result.errors.length
              ? ` (the first ${result.errors.length} listed below)`
              : ' (listed below)'}
            .
          </span>
        ) : (
          'No row was refused.'
        )}
      </div>
      {result.errors.length > 0 && (
        <DataTable label="Refused rows" columns={[{ label: 'Row', width: 70 }, 'Why']}>
          {result.errors.map((e) => (
            <tr key={e.row}>
              <td className="num">{e.row}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

/** The columns to map, as typed or picked from the file's own columns or fields. */
type Mapping = { input: string; expected: string; id: string; metadata: string };

/** What the picked file is, and which of its columns (or fields) hold the input, expected output, id, metadata. */
function MappingFields({
  file,
  mapping,
  onMapping,
}: {
  file: FileState;
  mapping: Mapping;
  onMapping: (update: (m: Mapping) => Mapping) => void;
}) {
  const columnOptions = ['', ...file.columns].map((c) => [c, c || '(default)'] as const);
  const set = (key: keyof Mapping) => (value: string) => onMapping((m) => ({ ...m, [key]: value }));
  return (
    <>
      <span className="faint">
        {file.name}: {file.format.toUpperCase()}
        {file.columns.length > 0
          ? `, ${file.format === 'csv' ? 'columns' : 'fields'} ${file.columns.join(', ')}`
          : ''}
        . Left to the defaults, a{' '}
        {file.format === 'csv'
          ? 'CSV file uses its id, input, expected_output (or expected) and metadata columns'
          : 'JSONL line is an item itself: { id?, input, expectedOutput?, metadata? }'}
        .
      </span>
      <div className="row form-row">
        <TextField
          label="Input column(s)"
          name="inputCol"
          width="grow"
          placeholder={file.columns[0] ? `e.g. ${file.columns[0]} (several: a, b)` : 'input'}
          list="import-columns"
          value={mapping.input}
          onValue={set('input')}
        />
        <SelectField
          label="Expected column"
          name="expectedCol"
          options={columnOptions}
          value={mapping.expected}
          onValue={set('expected')}
        />
        <SelectField
          label="Id column"
          name="idCol"
          options={columnOptions}
          value={mapping.id}
          onValue={set('id')}
        />
        <TextField
          label="Metadata column(s)"
          name="metadataCols"
          width="grow"
          placeholder="a, b"
          list="import-columns"
          value={mapping.metadata}
          onValue={set('metadata')}
        />
        <datalist id="import-columns">
          {file.columns.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </div>
    </>
  );
}

/** The import dialog. */
export function ImportDialog({
  datasetId,
  onClose,
  onImported,
}: {
  datasetId: string;
  onClose: () => void;
  onImported: () => void;
}) {
  const [file, setFile] = useState<FileState | undefined>();
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const [mapping, setMapping] = useState<Mapping>({ input: '', expected: '', id: '', metadata: '' });
  const [result, setResult] = useState<ImportResult | undefined>();
  const { isBusy, error, run } = useAction();
  const pick = async (picked: File | undefined) => {
    setResult(undefined);
    setFile(undefined);
    setFileProblem(undefined);
    if (!picked) return;
    const format = formatOfFile(picked.name);
    if (!format) {
      setFileProblem(`Cannot import '${picked.name}': expected a .jsonl or .csv file`);
      return;
    }
    if (picked.size > MAX_FILE_BYTES) {
      setFileProblem(`Cannot import '${picked.name}': it is larger than 50 MB; use the CLI for big files`);
      return;
    }
    const content = await picked.text();
    const columns = format === 'csv' ? csvHeader(content) : jsonlFields(content);
    setFile({ name: picked.name, content, format, columns });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void run(async () => {
      const map = mappingOf(mapping);
      const data = await importItems(datasetId, {
        format: file.format,
        content: file.content,
        ...(map ? { mapping: map } : {}),
      });
      setResult(data);
      onImported();
    });
  };
  return (
    <Dialog title="Import items" onClose={onClose} isWide>
      <form className="stack" aria-label="Import items" onSubmit={submit}>
        <label className="field">
          File (JSONL: one item per line; CSV: a header row)
          <input
            type="file"
            name="importFile"
            accept=".jsonl,.ndjson,.json,.csv"
            onChange={(e) => void pick(e.target.files?.[0])}
          />
        </label>
        {fileProblem && <FieldError>{fileProblem}</FieldError>}
        {file && <MappingFields file={file} mapping={mapping} onMapping={setMapping} />}
        {error && <ErrorBox error={error} />}
        {result && <ImportReport result={result} />}
        <FormActions
          onCancel={onClose}
          cancelLabel={result ? 'Close' : 'Cancel'}
          isBusy={isBusy}
          busyLabel="Importing…"
          isDisabled={!file}
        >
          Import
        </FormActions>
      </form>
    </Dialog>
  );
}
