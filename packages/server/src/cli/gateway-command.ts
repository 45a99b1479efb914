/**
 * `argus gateway status | settings | alias … | limits … | shadow …` on a running server
 * (docs/gateway.md): the gateway's routes, connection health, cache hit rate, spend per key and
 * added latency; its settings; model aliases; per-key limits; shadows (gateway-shadow-command.ts).
 */
import type { GatewayAlias, GatewayKeyLimits, GatewaySettings, GatewayStatus } from '@argus/shared';
import { type ActionCommand, type ActionContext, runActionCommand, tableOr } from './action-command.ts';
import { UsageError } from './flags.ts';
import {
  SHADOW_FLAG_DESCRIPTIONS,
  SHADOW_FLAGS,
  SHADOW_USAGE,
  shadowAction,
} from './gateway-shadow-command.ts';
import { apiCall } from './http.ts';
import { ACCESS_FLAGS, ACCESS_USAGE } from './sign-in.ts';

const FLAGS = {
  ...ACCESS_FLAGS,
  json: { type: 'boolean' },
  set: { type: 'string', multiple: true },
  target: { type: 'string', multiple: true },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  'usd-per-day': { type: 'string' },
  'usd-per-month': { type: 'string' },
  cache: { type: 'boolean' },
  ...SHADOW_FLAGS,
  help: { type: 'boolean', short: 'h' },
} as const;
type Context = ActionContext<typeof FLAGS>;

/** Usage of `argus gateway`. */
export const GATEWAY_USAGE = `Usage: argus gateway <action> [--json] ${ACCESS_USAGE}

  status               connections (health, failures, cool-down), cache hit rate, spend per key
                       and the latency the gateway added (p50/p99)
  settings [--set key=value …]
                       show the settings, or change them (admin): defaultConnectionId,
                       allowProviderKeys, timeoutMs, maxAttempts, backoffMs, cooldownMs,
                       keepAliveMs, cache.enabled, cache.ttlSeconds, cache.maxEntries,
                       logprobSampleRate
  alias list | set <name> --target <connectionId>:<model>[:<weight>] … | delete <name>
                       model aliases: a call for <name> goes to one target (by weight), the
                       others are its fallbacks
  limits list | set <keyId> [--rpm N] [--tpm N] [--usd-per-day X] [--usd-per-month X] [--cache]
         | delete <keyId>
                       per-key limits (answered with a 429 like the provider's)
${SHADOW_USAGE}

Point an OpenAI client at <server>/gateway/v1 and an Anthropic client at <server>/gateway/anthropic
with an Argus API key (role ingest is enough); see docs/gateway.md.`;

/** Runs `argus gateway …`; resolves to the exit code. */
export function runGatewayCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runActionCommand(GATEWAY_COMMAND, args, env);
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : '');

async function status({ target, print }: Context): Promise<number> {
  const { data } = await apiCall<{ data: GatewayStatus }>(target, 'GET', '/api/v1/gateway/status');
  const connections = data.connections.map((c) => ({
    ...c,
    models: c.models.join(',') || '(any)',
    state: c.coolingDownUntil ? `cooling down until ${c.coolingDownUntil}` : 'ok',
  }));
  const keys = data.keys.map((k) => ({
    ...k,
    usdToday: k.usdToday.toFixed(6),
    usdMonth: k.usdMonth.toFixed(6),
  }));
  const { cache, overhead } = data;
  print(
    data,
    [
      tableOr(
        connections,
        ['name', 'provider', 'models', 'requests', 'failures', 'state'],
        'No LLM connections.',
      ),
      `\nCache: ${cache.hits} hits, ${cache.misses} misses (${(cache.hitRate * 100).toFixed(1)} %), ${cache.entries} entries\n`,
      `Added latency: p50 ${ms(overhead.p50Ms)} ms, p99 ${ms(overhead.p99Ms)} ms over ${overhead.calls} calls\n\n`,
      tableOr(keys, ['keyId', 'requestsToday', 'tokensToday', 'usdToday', 'usdMonth'], 'No spend yet.'),
    ].join(''),
  );
  return 0;
}

/** `key=value` pairs as a settings patch (`cache.enabled=true` nests; numbers and booleans parsed). */
export function settingsPatchOf(pairs: readonly string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError('gateway', `Invalid --set '${pair}': expected key=value`);
    const [key, raw] = [pair.slice(0, eq), pair.slice(eq + 1)];
    const value =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw === 'null'
            ? null
            : Number.isFinite(Number(raw)) && raw !== ''
              ? Number(raw)
              : raw;
    if (key.startsWith('cache.')) patch.cache = { ...(patch.cache as object), [key.slice(6)]: value };
    else patch[key] = value;
  }
  return patch;
}

async function settings({ values, target, print }: Context): Promise<number> {
  const path = '/api/v1/gateway/settings';
  const { data } = values.set?.length
    ? await apiCall<{ data: GatewaySettings }>(target, 'PUT', path, { body: settingsPatchOf(values.set) })
    : await apiCall<{ data: GatewaySettings }>(target, 'GET', path);
  print(data, `${JSON.stringify(data, null, 2)}\n`);
  return 0;
}

/** `connectionId:model[:weight]` as an alias target. */
export function targetOf(text: string): { connectionId: string; model: string; weight: number } {
  const parts = text.split(':');
  const weight = parts.length > 2 ? Number(parts.at(-1)) : 1;
  const model = parts.length > 2 ? parts.slice(1, -1).join(':') : (parts[1] ?? '');
  if (!parts[0] || !model || !(weight > 0))
    throw new UsageError('gateway', `Invalid --target '${text}': expected <connectionId>:<model>[:<weight>]`);
  return { connectionId: parts[0], model, weight };
}

function operand(operands: string[], what: string): string {
  const value = operands[1];
  if (!value) throw new UsageError('gateway', `${operands[0]} needs the ${what}`);
  return encodeURIComponent(value);
}

async function alias({ values, operands, target, print }: Context): Promise<number> {
  const path = '/api/v1/gateway/aliases';
  if (operands[0] === 'list') {
    const { data } = await apiCall<{ data: GatewayAlias[] }>(target, 'GET', path);
    const rows = data.map((a) => ({
      name: a.name,
      targets: a.targets.map((t) => `${t.connectionId}:${t.model}:${t.weight}`).join(' '),
    }));
    print(data, tableOr(rows, ['name', 'targets'], 'No aliases.'));
    return 0;
  }
  if (operands[0] === 'set') {
    if (!values.target?.length) throw new UsageError('gateway', 'alias set needs at least one --target');
    const body = { targets: values.target.map(targetOf) };
    const { data } = await apiCall<{ data: GatewayAlias }>(
      target,
      'PUT',
      `${path}/${operand(operands, 'alias name')}`,
      { body },
    );
    print(data, `Alias ${data.name} → ${data.targets.map((t) => t.model).join(', ')}\n`);
    return 0;
  }
  if (operands[0] === 'delete') {
    await apiCall(target, 'DELETE', `${path}/${operand(operands, 'alias name')}`);
    print({ deleted: operands[1] }, `Deleted alias ${operands[1]}\n`);
    return 0;
  }
  throw new UsageError('gateway', `Unknown alias action '${operands[0] ?? ''}': one of list, set, delete`);
}

function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError('gateway', `Invalid --${name} '${raw}': expected a number ≥ 0`);
  return n;
}

async function limits({ values, operands, target, print }: Context): Promise<number> {
  if (operands[0] === 'list') {
    const { data } = await apiCall<{ data: GatewayKeyLimits[] }>(
      target,
      'GET',
      '/api/v1/gateway/keys/limits',
    );
    print(
      data,
      tableOr(
        data as never[],
        ['keyId', 'requestsPerMinute', 'tokensPerMinute', 'usdPerDay', 'usdPerMonth', 'cache'],
        'No key limits.',
      ),
    );
    return 0;
  }
  const path = () => `/api/v1/gateway/keys/${operand(operands, 'key id')}/limits`;
  if (operands[0] === 'set') {
    const body = Object.fromEntries(
      Object.entries({
        requestsPerMinute: numberFlag('rpm', values.rpm),
        tokensPerMinute: numberFlag('tpm', values.tpm),
        usdPerDay: numberFlag('usd-per-day', values['usd-per-day']),
        usdPerMonth: numberFlag('usd-per-month', values['usd-per-month']),
        cache: values.cache,
      }).filter(([, v]) => v !== undefined),
    );
    const { data } = await apiCall<{ data: GatewayKeyLimits }>(target, 'PUT', path(), { body });
    print(data, `Limits of key ${data.keyId} saved\n`);
    return 0;
  }
  if (operands[0] === 'delete') {
    await apiCall(target, 'DELETE', path());
    print({ deleted: operands[1] }, `Removed the limits of key ${operands[1]}\n`);
    return 0;
  }
  throw new UsageError('gateway', `Unknown limits action '${operands[0] ?? ''}': one of list, set, delete`);
}

const GATEWAY_COMMAND: ActionCommand<typeof FLAGS> = {
  name: 'gateway',
  usage: GATEWAY_USAGE,
  flags: FLAGS,
  descriptions: {
    set: 'a setting to change, key=value',
    target: 'an alias target <connectionId>:<model>[:<weight>]',
    rpm: 'requests per minute of the key',
    tpm: 'tokens per minute of the key',
    'usd-per-day': 'USD budget of the key per UTC day',
    'usd-per-month': 'USD budget of the key per UTC month',
    cache: 'cache every call of the key',
    ...SHADOW_FLAG_DESCRIPTIONS,
  },
  actions: { status, settings, alias, limits, shadow: shadowAction },
};
