/**
 * The resource agent (`argus agent`): host, GPU and scraped Prometheus metrics sent to Argus
 * as OTLP metrics.
 */
export { type AgentOptions, runAgent } from './agent.ts';
export { AGENT_FLAGS, parseInterval, runAgentCommand } from './cli.ts';
export { findExecutable, GpuSampler, gpuMetrics, parseNvidiaSmiCsv } from './gpu.ts';
export { HostSampler } from './host.ts';
export {
  type AgentMetric,
  type AgentPoint,
  encodeMetricsRequest,
  type ResourceMetrics,
} from './otlp-json.ts';
export { FirstSeen, familiesToMetrics } from './prometheus-otlp.ts';
export { type Family, type ParsedExposition, parsePrometheusText, type Sample } from './prometheus-text.ts';
export { parseScrapeTarget, Scraper, type ScrapeTarget } from './scrape.ts';
export { type SendResult, sendMetrics } from './send.ts';
