/**
 * The gateway capability: OpenAI- and Anthropic-compatible endpoints that route each call to a
 * project's LLM connections and record it as a span, plus the settings API. Spend per key is loaded
 * at start and written back every few seconds and at shutdown. Shadow traffic records its pairs in
 * the experiments' own tables through their repositories (shadow-record.ts).
 */
import { recordAuditOf } from '../audit/audit-log.ts';
import type { Capability } from '../capability.ts';
import { experimentServices } from '../quality/experiments/index.ts';
import { ExperimentRepository } from '../quality/experiments/repository.ts';
import { ResultsStore } from '../quality/experiments/results-store.ts';
import { ResponseCache } from './cache.ts';
import { ConnectionHealth } from './health.ts';
import { KeyLimiter } from './limits.ts';
import { registerGatewayMetrics } from './metrics.ts';
import type { ProxyDeps } from './proxy.ts';
import { GatewayRepository } from './repository.ts';
import { RouteTable } from './route-table.ts';
import { registerGatewayApi, registerProxyRoutes } from './routes.ts';
import { ShadowAdmin } from './shadow-admin.ts';
import { ShadowSender } from './shadow-queue.ts';
import { ShadowRecorder } from './shadow-record.ts';
import { ShadowRepository } from './shadow-repository.ts';

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
    const shadowRepo = new ShadowRepository(sql);
    const limiter = new KeyLimiter(repo, ctx.logger);
    const routes = new RouteTable(repo, ctx.quality, shadowRepo);
    const writeSpans: ProxyDeps['writeSpans'] = (spans) => ctx.writeSpans(spans);
    const experiments = new ExperimentRepository(sql);
    const results = new ResultsStore(ctx.store.driver, {
      profile: ctx.config.clickhouseProfile,
      cluster: ctx.config.clickhouseCluster,
    });
    const recorder = new ShadowRecorder({
      experiments,
      results,
      services: experimentServices({ write: ctx.ingest, quality: ctx.quality }),
      datasets: ctx.quality.datasets,
      logger: ctx.logger,
    });
    const callDeps = { routes, hostPolicy: ctx.quality.hostPolicy, writeSpans, logger: ctx.logger };
    const shadows = new ShadowSender(callDeps, recorder, ctx.metrics.registry);
    const proxy: ProxyDeps = {
      ...callDeps,
      health: new ConnectionHealth(),
      limiter,
      cache: new ResponseCache(),
      metrics: registerGatewayMetrics(ctx.metrics.registry, limiter),
      maxBodyBytes: ctx.config.maxBodyBytes,
      shadows,
    };
    const deps = {
      proxy,
      repo,
      sql,
      projectOf: ctx.projectOf,
      audit: recordAuditOf(ctx.recordChange),
      shadows: new ShadowAdmin({
        shadows: shadowRepo,
        experiments,
        results,
        quality: ctx.quality,
        routes,
        sender: shadows,
      }),
    };
    registerProxyRoutes(ctx.router, deps);
    registerGatewayApi(ctx.router, deps);
    return {
      api: { proxy, repo },
      start: () => limiter.start(),
      stop: async () => {
        await shadows.stop();
        await limiter.stop();
      },
    };
  },
};
