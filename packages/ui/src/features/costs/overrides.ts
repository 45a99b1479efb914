/** Price override drafts: the editor's rows as text, validated before they are sent. */
import type { ModelPrice } from '../../api-types.ts';

/** An editor row; prices as typed. */
export interface OverrideDraft {
  model: string;
  provider: string;
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string;
  cacheWritePerMTok: string;
}

/** Editable price fields. */
export const PRICE_FIELDS = [
  'inputPerMTok',
  'outputPerMTok',
  'cacheReadPerMTok',
  'cacheWritePerMTok',
] as const;

/** A validation problem: row, field and message. */
export interface DraftError {
  row: number;
  field: keyof OverrideDraft;
  message: string;
}

/** An override as an editor row. */
export function toDraft(price: ModelPrice): OverrideDraft {
  const text = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    model: price.model,
    provider: price.provider ?? '',
    inputPerMTok: text(price.inputPerMTok),
    outputPerMTok: text(price.outputPerMTok),
    cacheReadPerMTok: text(price.cacheReadPerMTok),
    cacheWritePerMTok: text(price.cacheWritePerMTok),
  };
}

/** An empty row. */
export function emptyDraft(): OverrideDraft {
  return {
    model: '',
    provider: '',
    inputPerMTok: '',
    outputPerMTok: '',
    cacheReadPerMTok: '',
    cacheWritePerMTok: '',
  };
}

/**
 * Validates the rows: a model id (unique per provider), input and output prices required,
 * every price a finite number ≥ 0. Returns the overrides to send, or the errors.
 */
export function validateDrafts(drafts: readonly OverrideDraft[]): {
  overrides: ModelPrice[];
  errors: DraftError[];
} {
  const errors: DraftError[] = [];
  const overrides: ModelPrice[] = [];
  const seen = new Set<string>();
  drafts.forEach((draft, row) => {
    const model = draft.model.trim();
    const provider = draft.provider.trim();
    if (!model) errors.push({ row, field: 'model', message: 'Model is required' });
    else if (model.length > 200)
      errors.push({ row, field: 'model', message: 'Model has more than 200 characters' });
    const key = `${provider}|${model}`;
    if (model && seen.has(key)) errors.push({ row, field: 'model', message: `'${model}' is listed twice` });
    seen.add(key);
    const price: ModelPrice = { model, inputPerMTok: 0, outputPerMTok: 0 };
    if (provider) price.provider = provider;
    for (const field of PRICE_FIELDS) {
      const text = draft[field].trim();
      const isRequired = field === 'inputPerMTok' || field === 'outputPerMTok';
      if (text === '') {
        if (isRequired) errors.push({ row, field, message: 'Required' });
        continue;
      }
      const value = Number(text);
      if (!Number.isFinite(value) || value < 0) {
        errors.push({ row, field, message: `'${text}' is not a price ≥ 0` });
        continue;
      }
      price[field] = value;
    }
    overrides.push(price);
  });
  return { overrides, errors };
}
