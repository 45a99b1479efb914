/** The CLI's filter flags as API query parameters (the query commands and export share them). */
import { ArgusError } from '../errors.ts';

/** Flag values as the parser answers them. */
export type Values = Record<string, string | boolean | string[] | undefined>;

const API_NAMES: Record<string, string> = {
  'user-id': 'userId',
  'session-id': 'sessionId',
  'min-duration-ms': 'minDurationMs',
  'max-duration-ms': 'maxDurationMs',
  'min-cost-usd': 'minCostUsd',
  'group-by': 'groupBy',
};

/** Query parameters of the filter flags that `allowed` names (API spelling); other flags are refused. */
export function toQuery(values: Values, allowed: readonly string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const [flag, value] of Object.entries(values)) {
    if (
      flag === 'url' ||
      flag === 'api-key' ||
      flag === 'project' ||
      flag === 'json' ||
      value === undefined ||
      value === false
    )
      continue;
    const name = API_NAMES[flag] ?? flag;
    if (!allowed.includes(name))
      throw new ArgusError('BAD_REQUEST', `Flag '--${flag}' does not apply to this command`);
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  return params;
}
