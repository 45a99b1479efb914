/**
 * Which connections a call goes to: a model alias picks one of its targets by weight (the others
 * follow as fallbacks, heaviest first); any other model goes to the connections whose `models`
 * name it (exact or glob) in name order, then those that list no models (they serve any), then the
 * project's default connection. Connections cooling down after a failure move to the back. Pure,
 * apart from the random number for the weighted pick.
 */
import type { GatewayAlias, GatewaySettings, GatewayShadow, LlmProvider } from '@argus/shared';
import { servesModel } from '../quality/connection-repository.ts';
import type { ConnectionTarget } from '../quality/provider-wire.ts';

/** The API family a gateway endpoint speaks; a call only goes to connections of the same one. */
export type Dialect = 'openai' | 'anthropic';

/** A connection of a project, opened (its key in plain text), as routing sees it. */
export interface RouteConnection {
  id: string;
  name: string;
  provider: LlmProvider;
  models: string[];
  target: ConnectionTarget;
}

/** What routing needs of a project at one moment. */
export interface ProjectRoutes {
  settings: GatewaySettings;
  aliases: ReadonlyMap<string, GatewayAlias>;
  connections: readonly RouteConnection[];
  /** Shadows of the project (shadow-queue.ts); routing itself ignores them. */
  shadows?: readonly GatewayShadow[];
}

/** One place to send a call. */
export interface Candidate {
  connection: RouteConnection;
  /** The model name sent upstream (an alias's target model, else the caller's). */
  model: string;
}

/** True when a connection of `provider` speaks `dialect`. */
export function speaks(provider: LlmProvider, dialect: Dialect): boolean {
  return dialect === 'anthropic' ? provider === 'anthropic' : provider !== 'anthropic';
}

/** Targets ordered for one call: a weighted pick first, then the rest by descending weight. */
function weightedOrder<T extends { weight: number }>(targets: readonly T[], random: () => number): T[] {
  const total = targets.reduce((sum, t) => sum + t.weight, 0);
  let point = random() * total;
  let first = targets.length - 1;
  for (let i = 0; i < targets.length; i++) {
    point -= targets[i]!.weight;
    if (point < 0) {
      first = i;
      break;
    }
  }
  const rest = targets.filter((_, i) => i !== first).sort((a, b) => b.weight - a.weight);
  return targets.length === 0 ? [] : [targets[first]!, ...rest];
}

/**
 * The candidates of a call, best first (empty when nothing serves the model).
 * @param isCooling whether a connection is skipped for now (it then goes last, not away).
 */
export function planRoute(
  routes: ProjectRoutes,
  request: { model: string; dialect: Dialect },
  options: { random?: () => number; isCooling?: (connectionId: string) => boolean } = {},
): Candidate[] {
  const byId = new Map(routes.connections.map((c) => [c.id, c]));
  const usable = (c: RouteConnection | undefined): c is RouteConnection =>
    c !== undefined && speaks(c.provider, request.dialect);
  let candidates: Candidate[];
  const alias = routes.aliases.get(request.model);
  if (alias) {
    candidates = weightedOrder(alias.targets, options.random ?? Math.random)
      .map((t) => ({ connection: byId.get(t.connectionId), model: t.model }))
      .filter((c): c is Candidate => usable(c.connection));
  } else {
    const compatible = routes.connections.filter((c) => usable(c));
    const listed = compatible.filter((c) => c.models.length > 0 && servesModel(c.models, request.model));
    const any = compatible.filter((c) => c.models.length === 0);
    const fallback = byId.get(routes.settings.defaultConnectionId ?? '');
    const ordered = [...listed, ...any, ...(usable(fallback) ? [fallback] : [])];
    candidates = [...new Set(ordered)].map((connection) => ({ connection, model: request.model }));
  }
  const cooling = options.isCooling;
  if (!cooling) return candidates;
  return [
    ...candidates.filter((c) => !cooling(c.connection.id)),
    ...candidates.filter((c) => cooling(c.connection.id)),
  ];
}
