/**
 * `argus evaluators list | create`: the project's evaluators (docs/evaluation.md) on a running
 * server. `create` takes the type's settings as JSON (`--config '{"pattern":"^\\d+$"}'` or
 * `--config-file f.json`).
 */
import { readFileSync } from 'node:fs';
import { EVALUATOR_TYPES, type Evaluator } from '@argus/shared';
import { type ActionCommand, runActionCommand, tableOr } from './action-command.ts';
import { closest, UsageError } from './flags.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  name: { type: 'string' },
  type: { type: 'string' },
  config: { type: 'string' },
  'config-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus evaluators`. */
export const EVALUATORS_USAGE = `Usage: argus evaluators <list | create --name N --type T [--config JSON | --config-file FILE]> [--json] ${ACCESS_USAGE}

  list     the project's evaluators
  create   a new evaluator; T is one of ${EVALUATOR_TYPES.join(', ')}
           (each type's settings: docs/evaluation.md)`;

/** Runs `argus evaluators …`; resolves to the exit code. */
export function runEvaluatorsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(EVALUATORS_COMMAND, args, env);
}

function configOf(values: { config?: string; 'config-file'?: string }): Record<string, unknown> | undefined {
  if (values.config !== undefined && values['config-file'] !== undefined)
    throw new UsageError('evaluators', 'Pass --config or --config-file, not both');
  let text = values.config;
  const source = values['config-file'] === undefined ? '--config' : `'${values['config-file']}'`;
  if (values['config-file'] !== undefined) {
    try {
      text = readFileSync(values['config-file'], 'utf8');
    } catch (error) {
      throw new UsageError(
        'evaluators',
        `Cannot read '${values['config-file']}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError('evaluators', `Cannot parse ${source} as JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError('evaluators', `Invalid ${source}: expected a JSON object of the type's settings`);
  return parsed as Record<string, unknown>;
}

const EVALUATORS_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'evaluators',
  usage: EVALUATORS_USAGE,
  flags: FLAGS,
  descriptions: {
    name: 'name of the new evaluator (its scores carry it)',
    type: `the evaluator's type: ${EVALUATOR_TYPES.join(', ')}`,
    config: "the type's settings as a JSON object",
    'config-file': "a JSON file with the type's settings",
  },
  actions: {
    async list({ target, print }) {
      const { data } = await apiCall<{ data: Evaluator[] }>(target, 'GET', '/api/v1/evaluators');
      const rows = data.map((e) => ({ ...e, config: JSON.stringify(e.config) }));
      print(
        data,
        tableOr(
          rows,
          ['id', 'name', 'type', 'config'],
          'No evaluators. Create one with: argus evaluators create --name exact --type exact_match',
        ),
      );
      return 0;
    },
    async create({ values, target, print }) {
      if (!values.name)
        throw new UsageError('evaluators', `Missing --name. ${EVALUATORS_USAGE.split('\n')[0]}`);
      if (!values.type)
        throw new UsageError('evaluators', `Missing --type (one of ${EVALUATOR_TYPES.join(', ')})`);
      if (!(EVALUATOR_TYPES as readonly string[]).includes(values.type)) {
        const close = closest(values.type, EVALUATOR_TYPES);
        throw new UsageError(
          'evaluators',
          `Invalid --type '${values.type}'${close ? `; did you mean '${close}'?` : ''} (one of ${EVALUATOR_TYPES.join(', ')})`,
        );
      }
      const config = configOf(values);
      const { data } = await apiCall<{ data: Evaluator }>(target, 'POST', '/api/v1/evaluators', {
        body: { name: values.name, type: values.type, ...(config ? { config } : {}) },
      });
      print(data, `Created evaluator ${data.id} (${data.name}, ${data.type})\n`);
      return 0;
    },
  },
};
