/** `argus pricing [model] [--provider p] [--json]`: look up the built-in catalog, no server needed. */
import { findPrice, loadPricingCatalog } from '../enrich/index.ts';
import { ArgusError } from '../errors.ts';
import { parseCommandLine } from './flags.ts';
import { formatUsd, table } from './format.ts';

const FLAGS = { provider: { type: 'string' }, json: { type: 'boolean' } } as const;

const USAGE = `Usage: argus pricing [model] [--provider P] [--json]

Model prices of the built-in catalog (USD per 1M tokens) that Argus uses to compute costs; with a
model, the price that applies to it (dated and prefixed names resolve). No server needed.`;

/** Runs the pricing command; resolves to the exit code. */
export async function runPricingCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      name: 'pricing',
      usage: USAGE,
      flags: FLAGS,
      descriptions: { provider: 'only this provider (openai, anthropic …)' },
    },
    args,
  );
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
  const prices = ['inputPerMTok', 'outputPerMTok', 'cacheReadPerMTok', 'cacheWritePerMTok'];
  const cells = (rows as unknown as Record<string, unknown>[]).map((row) => ({
    ...row,
    ...Object.fromEntries(prices.map((p) => [p, formatUsd(row[p])])),
  }));
  process.stdout.write(
    table(cells, ['provider', 'model', ...prices], {
      headers: {
        provider: 'Provider',
        model: 'Model',
        inputPerMTok: 'Input',
        outputPerMTok: 'Output',
        cacheReadPerMTok: 'Cache read',
        cacheWritePerMTok: 'Cache write',
      },
      right: prices,
    }),
  );
  if (!model)
    process.stdout.write(
      `\n${rows.length} models, USD per 1M tokens, catalog checked ${catalog.updatedAt}\n`,
    );
  return 0;
}
