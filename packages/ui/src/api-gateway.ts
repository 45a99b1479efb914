/** The typed client of the gateway's status (docs/gateway.md), through the console's fetch wrapper. */
import type { GatewayStatus } from '@argus/shared';
import { requestJson } from './api.ts';

/** Routes, connection health, cache hit rate, spend per key and the added latency. */
export function fetchGatewayStatus(signal?: AbortSignal): Promise<{ data: GatewayStatus }> {
  return requestJson('/api/v1/gateway/status', { signal });
}
