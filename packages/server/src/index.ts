/**
 * The server package's public entry (`@argus/server`): what programs beside the server — the demo
 * (`@argus/demo`) and the resource agent (`@argus/agent`) — and embedding code may use. Everything
 * else under src/ is internal.
 */
export { parseCommandLine } from './cli/flags.ts';
export { SDK_SOURCE_FLAG, useSdkSources } from './cli/sdk-sources.ts';
export { cliServerUrl, loadConfig } from './config.ts';
export { createLogger, type Logger, type LogLevel } from './logger.ts';
export { renderExposition } from './metrics/exposition.ts';
export { MetricsRegistry } from './metrics/registry.ts';
export { seededRandom } from './quality/stats/random.ts';
export { cosine } from './quality/stats/vectors.ts';
export type { MetricPointsResult } from './query/index.ts';
export { type ArgusServer, startServer } from './server.ts';
export type { ClickhouseDriver } from './store/clickhouse/driver.ts';
export { openEmbeddedDriver } from './store/index.ts';
export { ARGUS_VERSION } from './version.ts';
