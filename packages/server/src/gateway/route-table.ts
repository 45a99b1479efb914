/**
 * The routes of each project (settings, aliases, opened connections and shadows), read from the metadata
 * store at most every 2 seconds: opening a connection unseals its key, which is not work to repeat
 * on every call. A change made through the gateway API applies at once (`invalidate`); one made to
 * a connection applies within the 2 seconds.
 */
import type { Quality } from '../quality/service.ts';
import type { GatewayRepository } from './repository.ts';
import type { ProjectRoutes, RouteConnection } from './routing.ts';
import type { ShadowRepository } from './shadow-repository.ts';

const TTL_MS = 2_000;

/** Cached routes per project. */
export class RouteTable {
  readonly #repo: GatewayRepository;
  readonly #quality: Quality;
  readonly #shadows: ShadowRepository | undefined;
  readonly #entries = new Map<string, { at: number; routes: Promise<ProjectRoutes> }>();

  constructor(repo: GatewayRepository, quality: Quality, shadows?: ShadowRepository) {
    this.#repo = repo;
    this.#quality = quality;
    this.#shadows = shadows;
  }

  /** The routes of a project now. */
  routes(projectId: string): Promise<ProjectRoutes> {
    const now = Date.now();
    const entry = this.#entries.get(projectId);
    if (entry && now - entry.at < TTL_MS) return entry.routes;
    const routes = this.#load(projectId);
    this.#entries.set(projectId, { at: now, routes });
    routes.catch(() => this.#entries.delete(projectId));
    return routes;
  }

  invalidate(projectId: string): void {
    this.#entries.delete(projectId);
  }

  async #load(projectId: string): Promise<ProjectRoutes> {
    const [settings, aliases, listed, shadows] = await Promise.all([
      this.#repo.settings(projectId),
      this.#repo.aliases(projectId),
      this.#quality.connections.list(projectId),
      this.#shadows?.list(projectId) ?? [],
    ]);
    const connections: RouteConnection[] = [];
    for (const c of listed) {
      const target = await this.#quality.connections.open(projectId, c.id);
      if (target)
        connections.push({ id: c.id, name: c.name, provider: c.provider, models: c.models, target });
    }
    return { settings, aliases: new Map(aliases.map((a) => [a.name, a])), connections, shadows };
  }
}
