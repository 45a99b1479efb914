/**
 * The gateway capability: OpenAI- and Anthropic-compatible endpoints that route each call to a
 * project's LLM connections and record it as a span, plus the settings API. Spend per key is loaded
 * at start and written back every few seconds and at shutdown.
 */
import { recordAuditOf } from '../audit/audit-log.ts';
import type { Capability } from '../capability.ts';
import { ResponseCache } from './cache.ts';
import { ConnectionHealth } from './health.ts';
import { KeyLimiter } from './limits.ts';
import { registerGatewayMetrics } from './metrics.ts';
import type { ProxyDeps } from './proxy.ts';
import { GatewayRepository } from './repository.ts';
import { RouteTable } from './route-table.ts';
import { registerGatewayApi, registerProxyRoutes } from './routes.ts';

/** What the gateway offers the server's caller and tests. */
export interface GatewayApi {
  readonly proxy: ProxyDeps;
  readonly repo: GatewayRepository;
}

export const gatewayModule: Capability<GatewayApi> = {
  name: 'gateway',
  register(ctx) {
    const sql = ctx.store.metadata.sql;
    const repo = new GatewayRepository(sql);
    const limiter = new KeyLimiter(repo, ctx.logger);
    const proxy: ProxyDeps = {
      routes: new RouteTable(repo, ctx.quality),
      health: new ConnectionHealth(),
      limiter,
      cache: new ResponseCache(),
      metrics: registerGatewayMetrics(ctx.metrics.registry, limiter),
      hostPolicy: ctx.quality.hostPolicy,
      maxBodyBytes: ctx.config.maxBodyBytes,
      logger: ctx.logger,
      writeSpans: (spans) => ctx.writeSpans(spans),
    };
    const deps = {
      proxy,
      repo,
      sql,
      projectOf: ctx.projectOf,
      audit: recordAuditOf(ctx.recordChange),
    };
    registerProxyRoutes(ctx.router, deps);
    registerGatewayApi(ctx.router, deps);
    return { api: { proxy, repo }, start: () => limiter.start(), stop: () => limiter.stop() };
  },
};
