/** Per-project price overrides: edit rows, validate, save (PUT); server errors are shown as they come. */
import { useEffect, useState } from 'react';
import { fetchOverrides, saveOverrides } from '../../api.ts';
import { ErrorBox, Loading } from '../../components/States.tsx';
import { useApi } from '../../lib/use-api.ts';
import {
  type DraftError,
  emptyDraft,
  type OverrideDraft,
  PRICE_FIELDS,
  toDraft,
  validateDrafts,
} from './overrides.ts';

const LABELS: Record<keyof OverrideDraft, string> = {
  model: 'Model (exact id or prefix*)',
  provider: 'Provider (optional)',
  inputPerMTok: 'Input $/MTok',
  outputPerMTok: 'Output $/MTok',
  cacheReadPerMTok: 'Cache read $/MTok',
  cacheWritePerMTok: 'Cache write $/MTok',
};
const FIELDS = ['model', 'provider', ...PRICE_FIELDS] as const;

/** The editor. */
export function OverridesEditor() {
  const state = useApi('overrides', (signal) => fetchOverrides(signal));
  const [drafts, setDrafts] = useState<OverrideDraft[] | undefined>();
  const [errors, setErrors] = useState<DraftError[]>([]);
  const [serverError, setServerError] = useState<Error | undefined>();
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  useEffect(() => {
    if (state.data) setDrafts(state.data.data.map(toDraft));
  }, [state.data]);
  if (state.error && !state.data) return <ErrorBox error={state.error} onRetry={state.reload} />;
  if (!drafts) return <Loading />;

  const edit = (row: number, field: keyof OverrideDraft, value: string) => {
    setDrafts(drafts.map((d, n) => (n === row ? { ...d, [field]: value } : d)));
    setStatus('idle');
  };
  const save = async () => {
    const result = validateDrafts(drafts);
    setErrors(result.errors);
    setServerError(undefined);
    if (result.errors.length > 0) return;
    setStatus('saving');
    try {
      const saved = await saveOverrides(result.overrides);
      setDrafts(saved.data.map(toDraft));
      setStatus('saved');
    } catch (error) {
      setServerError(error as Error);
      setStatus('idle');
    }
  };
  const errorOf = (row: number, field: keyof OverrideDraft) =>
    errors.find((e) => e.row === row && e.field === field);
  return (
    <div className="stack">
      <p className="muted" style={{ margin: 0 }}>
        Overrides win over the catalog for this project (fine-tuned models, negotiated prices). They apply to
        spans that arrive after saving.
      </p>
      {serverError && <ErrorBox error={serverError} />}
      {errors.length > 0 && (
        <div className="error-box" role="alert">
          <div>
            <strong>
              Cannot save: {errors.length} problem{errors.length > 1 ? 's' : ''}
            </strong>
            {errors.slice(0, 5).map((e) => (
              <div key={`${e.row}-${e.field}`}>
                Row {e.row + 1}, {LABELS[e.field]}: {e.message}
              </div>
            ))}
          </div>
        </div>
      )}
      <table className="table overrides" aria-label="Price overrides">
        <thead>
          <tr>
            {FIELDS.map((f) => (
              <th key={f} className={f === 'model' || f === 'provider' ? undefined : 'num'}>
                {LABELS[f]}
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {drafts.map((draft, row) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their index is their identity
            <tr key={row}>
              {FIELDS.map((field) => {
                const error = errorOf(row, field);
                return (
                  <td key={field} style={{ maxWidth: 'none' }}>
                    <input
                      className={`input ${error ? 'invalid' : ''}`}
                      value={draft[field]}
                      aria-label={`${LABELS[field]}, row ${row + 1}`}
                      aria-invalid={error ? true : undefined}
                      title={error?.message}
                      inputMode={field === 'model' || field === 'provider' ? undefined : 'decimal'}
                      onChange={(e) => edit(row, field, e.target.value)}
                    />
                  </td>
                );
              })}
              <td style={{ width: 70 }}>
                <button
                  type="button"
                  className="btn ghost small"
                  onClick={() => setDrafts(drafts.filter((_, n) => n !== row))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" className="btn" onClick={() => setDrafts([...drafts, emptyDraft()])}>
          Add override
        </button>
        <button type="button" className="btn primary" onClick={save} disabled={status === 'saving'}>
          {status === 'saving' ? 'Saving…' : 'Save overrides'}
        </button>
        {status === 'saved' && <span className="ok-text">Saved</span>}
      </div>
    </div>
  );
}
