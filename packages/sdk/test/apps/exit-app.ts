/**
 * A small application for the exit tests, run as its own process:
 * `node exit-app.ts <endpoint> <natural|shutdown> <lingerMs> [shutdownTimeoutMs]`. It records one
 * trace (its id on stdout), stays busy for `lingerMs` (so a scheduled export is under way), then
 * either just ends (the SDK flushes before exit) or awaits `shutdown()`. Diagnostics go to stderr.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { init, observe, shutdown } from '../../src/index.ts';

const [endpoint = '', mode = 'natural', lingerMs = '0', shutdownTimeoutMs] = process.argv.slice(2);
init({
  endpoint,
  serviceName: 'exit-app',
  exportTimeoutMs: 10_000,
  ...(shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: Number(shutdownTimeoutMs) }),
  diagnostics: (message, level) => process.stderr.write(`argus ${level}: ${message}\n`),
});
await observe('exit-app work', async () => {
  process.stdout.write(`${trace.getActiveSpan()?.spanContext().traceId}\n`);
});
await sleep(Number(lingerMs));
if (mode === 'shutdown') {
  await shutdown();
  process.stderr.write('app: shutdown() returned\n');
}
