/**
 * ClickHouse migration 9: the span confidence columns (docs/behaviour.md, "Confidence"). Added by
 * ALTER so existing stores keep their rows (old rows read NULL / 0); a minmax index serves the
 * perplexity filters. On the sharded profile the Distributed table gets the columns too.
 */
import { type DdlOptions, localName, onCluster } from './ddl.ts';

const COLUMNS = [
  'perplexity Nullable(Float64) CODEC(ZSTD(1))',
  'logprob_mean Nullable(Float64) CODEC(ZSTD(1))',
  'logprob_min Nullable(Float64) CODEC(ZSTD(1))',
  'top_entropy_mean Nullable(Float64) CODEC(ZSTD(1))',
  'low_prob_share Nullable(Float64) CODEC(ZSTD(1))',
  'logprob_tokens UInt32 DEFAULT 0 CODEC(T64, ZSTD(1))',
];

/** The statements of migration 9, idempotent. */
export function confidenceColumnStatements(o: DdlOptions): string[] {
  const add = (table: string) =>
    `ALTER TABLE ${table}${onCluster(o)} ${COLUMNS.map((c) => `ADD COLUMN IF NOT EXISTS ${c}`).join(', ')}`;
  const statements = [add(localName('spans', o))];
  if (o.profile === 'sharded') statements.push(add('spans'));
  statements.push(
    `ALTER TABLE ${localName('spans', o)}${onCluster(o)} ADD INDEX IF NOT EXISTS idx_perplexity perplexity TYPE minmax GRANULARITY 1`,
  );
  return statements;
}
