/** `argus pricing [model] [--provider p] [--json]`: look up the built-in catalog, no server needed. */
import { parseArgs } from 'node:util';
import { findPrice, loadPricingCatalog } from '../enrich/index.ts';
import { ArgusError } from '../errors.ts';
import { table } from './query-commands.ts';

/** Runs the pricing command; resolves to the exit code. */
export async function runPricingCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { provider: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const catalog = loadPricingCatalog();
  const model = positionals[0];
  const rows = model
    ? [findPrice(catalog, { provider: values.provider, model }) ?? undefined].filter((r) => r !== undefined)
    : catalog.models.filter((m) => !values.provider || m.provider === values.provider);
  if (model && rows.length === 0)
    throw new ArgusError('NOT_FOUND', `Cannot find a price for model '${model}'`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(model ? rows[0] : rows, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(
    table(rows as unknown as Record<string, unknown>[], [
      'provider',
      'model',
      'inputPerMTok',
      'outputPerMTok',
      'cacheReadPerMTok',
      'cacheWritePerMTok',
    ]),
  );
  if (!model)
    process.stdout.write(
      `\n${rows.length} models, USD per 1M tokens, catalog checked ${catalog.updatedAt}\n`,
    );
  return 0;
}
