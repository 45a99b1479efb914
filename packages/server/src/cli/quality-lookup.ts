/**
 * Finding the quality things the CLI commands name (datasets, evaluators, LLM connections) by id
 * or by name, so a user can type `--dataset arithmetic` as well as the id.
 */
import { ArgusError } from '../errors.ts';
import { type ApiTarget, apiCall } from './http.ts';

/** What can be named: its list path and its word in messages. */
const KINDS = {
  dataset: '/api/v1/datasets',
  evaluator: '/api/v1/evaluators',
  'LLM connection': '/api/v1/llm-connections',
} as const;

/** Something with an id and a name. */
export interface Named {
  id: string;
  name: string;
}

/** Everything of a kind in the project (one request). */
async function listAll<T extends Named>(target: ApiTarget, kind: keyof typeof KINDS): Promise<T[]> {
  return (await apiCall<{ data: T[] }>(target, 'GET', KINDS[kind])).data;
}

/** The one of `all` whose id, else name, is `value`. */
function pick<T extends Named>(all: readonly T[], value: string): T | undefined {
  return all.find((x) => x.id === value) ?? all.find((x) => x.name === value);
}

/** Like {@link pick}, but refuses a value nothing has, listing the names there are. */
function pickRequired<T extends Named>(all: readonly T[], kind: keyof typeof KINDS, value: string): T {
  const found = pick(all, value);
  if (found) return found;
  const names = all.slice(0, 10).map((x) => x.name);
  const known =
    names.length === 0
      ? `there are none yet`
      : `there are: ${names.join(', ')}${all.length > 10 ? ' …' : ''}`;
  throw new ArgusError(
    'NOT_FOUND',
    `Cannot find ${kind} '${value}': no ${kind} has this id or name (${known})`,
  );
}

/**
 * The dataset, evaluator or connection whose id, else name, is `value`.
 * @throws ArgusError NOT_FOUND `Cannot find dataset 'x': no dataset has this id or name (there are: a, b)`.
 */
export async function findByIdOrName<T extends Named = Named>(
  target: ApiTarget,
  kind: keyof typeof KINDS,
  value: string,
): Promise<T> {
  return pickRequired(await listAll<T>(target, kind), kind, value);
}

/**
 * Like {@link findByIdOrName} for several values, listing the kind once (none when no values).
 * @throws ArgusError NOT_FOUND naming the first value nothing has.
 */
export async function findEachByIdOrName<T extends Named = Named>(
  target: ApiTarget,
  kind: keyof typeof KINDS,
  values: readonly string[],
): Promise<T[]> {
  if (values.length === 0) return [];
  const all = await listAll<T>(target, kind);
  return values.map((value) => pickRequired(all, kind, value));
}

/** Like {@link findByIdOrName}, but answers undefined when there is none. */
export async function findOptional<T extends Named = Named>(
  target: ApiTarget,
  kind: keyof typeof KINDS,
  value: string,
): Promise<T | undefined> {
  return pick(await listAll<T>(target, kind), value);
}
