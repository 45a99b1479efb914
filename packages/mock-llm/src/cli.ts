/**
 * Runs the mock LLM from the command line:
 * `node packages/mock-llm/src/cli.ts --port 8787 [--latency-ms 200] [--chunk-delay-ms 20] [--error-rate 0.05] [--seed 7]`.
 */
import { parseArgs } from 'node:util';
import { startMockLlm } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'latency-ms': { type: 'string', default: '0' },
    'chunk-delay-ms': { type: 'string', default: '5' },
    'error-rate': { type: 'string', default: '0' },
    seed: { type: 'string', default: '42' },
  },
});

const mock = await startMockLlm({
  port: Number(values.port),
  host: values.host,
  latencyMs: Number(values['latency-ms']),
  chunkDelayMs: Number(values['chunk-delay-ms']),
  errorRate: Number(values['error-rate']),
  seed: Number(values.seed),
});
console.log(
  `Mock LLM listening on ${mock.url} (OpenAI base URL ${mock.url}/v1, Anthropic base URL ${mock.url})`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void mock.close().then(() => process.exit(0)));
}
