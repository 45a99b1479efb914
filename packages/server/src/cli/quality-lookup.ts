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

/**
 * The dataset, evaluator or connection whose id, else name, is `value`.
 * @throws ArgusError NOT_FOUND `Cannot find dataset 'x': no dataset has this id or name (there are: a, b)`.
 */
export async function findByIdOrName<T extends Named = Named>(
  target: ApiTarget,
  kind: keyof typeof KINDS,
  value: string,
): Promise<T> {
  const all = (await apiCall<{ data: T[] }>(target, 'GET', KINDS[kind])).data;
  const found = all.find((x) => x.id === value) ?? all.find((x) => x.name === value);
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

/** Like {@link findByIdOrName}, but answers undefined when there is none. */
export async function findOptional<T extends Named = Named>(
  target: ApiTarget,
  kind: keyof typeof KINDS,
  value: string,
): Promise<T | undefined> {
  const all = (await apiCall<{ data: T[] }>(target, 'GET', KINDS[kind])).data;
  return all.find((x) => x.id === value) ?? all.find((x) => x.name === value);
}
