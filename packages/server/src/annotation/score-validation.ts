/**
 * Scores checked against their score config: a numeric config takes a number within its
 * bounds; a categorical one a label or a category's value (stored as both: the number in
 * `value`, the label in `stringValue`); a boolean one true/false, 1/0 or 'true'/'false'.
 * A score whose name has no config is stored as sent. This is the one check every door uses:
 * the scores API (SDK feedback), LangSmith feedback and reviews.
 */
import type { ScoreConfig } from '@argus/shared';
import { ArgusError } from '../errors.ts';
import type { SqlClient } from '../store/metadata/sql-client.ts';
import { ScoreConfigRepository } from './score-config-repository.ts';

/** A value as sent: a number, a label, or a boolean. */
export type RawScoreValue = number | string | boolean;

/** A value as stored. */
export interface StoredScoreValue {
  value: number;
  stringValue: string;
}

const quote = (v: RawScoreValue) => (typeof v === 'string' ? `'${v.slice(0, 100)}'` : String(v));

function mismatch(config: ScoreConfig, value: RawScoreValue, why: string): ArgusError {
  return new ArgusError(
    'INVALID_PARAMETER',
    `Invalid score '${config.name}': ${quote(value)} ${why} (score config '${config.name}' is ${config.dataType})`,
  );
}

/**
 * The stored form of a value under its config.
 * @throws ArgusError INVALID_PARAMETER saying what the config accepts.
 */
export function checkScoreValue(config: ScoreConfig, value: RawScoreValue): StoredScoreValue {
  if (config.dataType === 'numeric') {
    if (typeof value !== 'number') throw mismatch(config, value, 'is not a number');
    if (config.min !== undefined && value < config.min)
      throw mismatch(config, value, `is below the minimum ${config.min}`);
    if (config.max !== undefined && value > config.max)
      throw mismatch(config, value, `is above the maximum ${config.max}`);
    return { value, stringValue: '' };
  }
  const categories = config.categories ?? [];
  const asLabel = typeof value === 'boolean' ? String(value) : value;
  const found =
    typeof asLabel === 'string'
      ? categories.find((c) => c.label === asLabel)
      : categories.find((c) => c.value === asLabel);
  if (!found) {
    const allowed = categories.map((c) => `'${c.label}' (${c.value})`).join(', ');
    throw mismatch(config, value, `is not one of ${allowed}`);
  }
  return { value: found.value, stringValue: found.label };
}

/** Validates scores of a project by name against its configs. */
export class ScoreValidator {
  readonly #configs: ScoreConfigRepository;

  constructor(sql: SqlClient) {
    this.#configs = new ScoreConfigRepository(sql);
  }

  /**
   * The stored form of a score: checked against the config of its name, or as sent when the
   * name has none (a number as the value, text as the string value).
   * @throws ArgusError INVALID_PARAMETER on a mismatch.
   */
  async check(projectId: string, name: string, value: RawScoreValue): Promise<StoredScoreValue> {
    const config = await this.#configs.findByName(projectId, name);
    if (config) return checkScoreValue(config, value);
    if (typeof value === 'number') return { value, stringValue: '' };
    if (typeof value === 'boolean') return { value: Number(value), stringValue: String(value) };
    return { value: 0, stringValue: value };
  }
}
