/** What the gateway's proxy needs from the server (built once in module.ts). */
import type { Span } from '@argus/shared';
import type { Logger } from '../logger.ts';
import type { HostPolicy } from '../quality/host-guard.ts';
import type { ResponseCache } from './cache.ts';
import type { ConnectionHealth } from './health.ts';
import type { KeyLimiter } from './limits.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { RouteTable } from './route-table.ts';
import type { ShadowSender } from './shadow-queue.ts';

/** What the proxy needs. */
export interface ProxyDeps {
  routes: RouteTable;
  health: ConnectionHealth;
  limiter: KeyLimiter;
  cache: ResponseCache;
  metrics: GatewayMetrics;
  hostPolicy: HostPolicy;
  maxBodyBytes: number;
  logger: Logger;
  /** The ingest write path (enrichment, redaction, store); resolves once stored. */
  writeSpans(spans: Span[]): Promise<unknown>;
  random?: () => number;
  /** Shadow traffic (absent: no call is shadowed). */
  shadows?: ShadowSender;
}
