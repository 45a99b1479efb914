/**
 * Entry of the demo's rag-service child process: `node rag-service-main.ts '<json settings>'`,
 * forked by the demo with an IPC channel. It initialises the SDK as `rag-service`, starts the
 * service, sends `{ type: 'ready', url }`, and on `{ type: 'stop' }` (or when the parent goes
 * away) flushes its spans and exits.
 */
import { init, shutdown } from '@argus/sdk';
import { startRagService } from './rag-service.ts';

/** What the parent passes as the first argument (JSON). */
export interface RagServiceSettings {
  argusUrl: string;
  llmUrl: string;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as RagServiceSettings;
init({
  serviceName: 'rag-service',
  serviceVersion: '1.4.0',
  environment: 'demo',
  endpoint: settings.argusUrl,
  diagnostics: 'warn',
});

// Ctrl+C in a terminal reaches the whole process group; the demo decides when this child stops.
process.on('SIGINT', () => {});

let stopping: Promise<void> | undefined;
function stop(service?: { close(): Promise<void> }): Promise<void> {
  stopping ??= (async () => {
    await service?.close();
    await shutdown();
    process.disconnect?.();
    process.exit(0);
  })();
  return stopping;
}

try {
  const service = await startRagService({ llmUrl: settings.llmUrl });
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stop') void stop(service);
  });
  process.once('disconnect', () => void stop(service));
  process.send?.({ type: 'ready', url: service.url });
} catch (error) {
  process.stderr.write(`rag-service: cannot start: ${(error as Error).message}\n`);
  await shutdown();
  process.exit(1);
}
