/**
 * Checks an evaluator's config before it is saved: the type's zod schema, then what a schema
 * cannot see — a regex that backtracks catastrophically (timed on adversarial inputs in a worker,
 * redact/regex-probe.ts), a JSON Schema the validator cannot compile or whose `pattern`s are slow.
 */
import type { EvaluatorType } from '@argus/shared';
import { ArgusError } from '../../errors.ts';
import { findSlowPattern, type ProbeOptions } from '../../redact/regex-probe.ts';
import { CONFIG_SCHEMAS } from './config.ts';
import { compileJsonSchema } from './heuristic.ts';

const invalid = (field: string, message: string) =>
  new ArgusError('INVALID_PARAMETER', `Invalid evaluator field '${field}': ${message}`);

/** Every `pattern` in a JSON Schema, with its path. */
function schemaPatterns(value: unknown, path: string, out: { path: string; source: string }[]): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'pattern' && typeof child === 'string') out.push({ path: `${path}.pattern`, source: child });
    else schemaPatterns(child, `${path}.${key}`, out);
  }
}

/**
 * The validated config of an evaluator type.
 * @throws ArgusError INVALID_PARAMETER naming the field: `Invalid evaluator field 'config.pattern': …`.
 */
export async function validateEvaluatorConfig(
  type: EvaluatorType,
  config: unknown,
  probe?: ProbeOptions,
): Promise<Record<string, unknown>> {
  const parsed = CONFIG_SCHEMAS[type].safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(['config', ...issue.path].join('.'), issue.message);
  }
  const value = parsed.data as Record<string, unknown>;
  const patterns: { path: string; source: string; flags: string }[] = [];
  if (type === 'regex') {
    const { pattern, flags } = value as { pattern: string; flags?: string };
    try {
      new RegExp(pattern, flags ?? '');
    } catch (error) {
      throw invalid('config.pattern', `is not a valid regular expression (${(error as Error).message})`);
    }
    patterns.push({ path: 'config.pattern', source: pattern, flags: flags ?? '' });
  }
  if (type === 'json_schema') {
    try {
      compileJsonSchema(value.schema as Record<string, unknown>);
    } catch (error) {
      throw invalid('config.schema', `cannot be used: ${(error as Error).message}`);
    }
    const found: { path: string; source: string }[] = [];
    schemaPatterns(value.schema, 'config.schema', found);
    for (const p of found) patterns.push({ ...p, flags: 'u' });
  }
  const slow = await findSlowPattern(
    patterns.map((p) => ({ source: p.source, flags: p.flags })),
    probe,
  );
  if (slow) {
    const how = slow.ms === undefined ? 'did not finish in time' : `took ${Math.round(slow.ms)} ms`;
    throw invalid(
      patterns[slow.index]!.path,
      `the pattern backtracks catastrophically (it ${how} on the input ${slow.label.slice(0, 80)}); avoid nested or adjacent unbounded quantifiers such as (a+)+ and bound repetitions, e.g. \\w{1,64} instead of \\w+`,
    );
  }
  return value;
}
