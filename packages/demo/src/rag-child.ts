/**
 * Starts rag-service as a child process (rag-service-main.ts over an IPC channel) and stops it:
 * a separate process is how the SDK is meant to be used, one `init()` and one `service.name`
 * per process, so each service's spans carry their own resource.
 */
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SDK_SOURCE_FLAG } from '@argus/server';
import type { RagServiceSettings } from './rag-service-main.ts';

/** The running child. */
export interface RagChild {
  url: string;
  /** Asks the child to flush its spans and exit; kills it after 15 s. */
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./rag-service-main.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

/** Forks rag-service and resolves with its URL once it listens; `log` gets its stderr lines. */
export async function startRagChild(
  settings: RagServiceSettings,
  log: (line: string) => void,
): Promise<RagChild> {
  const child = fork(ENTRY, [JSON.stringify(settings)], {
    // Keep only the flags that make Node run TypeScript, not a test runner's or debugger's, and
    // load the SDK from its sources as this process does.
    execArgv: [...process.execArgv.filter((arg) => /strip-types|transform-types/.test(arg)), SDK_SOURCE_FLAG],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const onData = (data: Buffer) => {
    const text = data.toString('utf8');
    output = (output + text).slice(-8000);
    for (const line of text.split('\n')) if (line.trim() !== '') log(`rag-service: ${line}`);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rag-service did not start within ${READY_TIMEOUT_MS / 1000} s:\n${output}`));
    }, READY_TIMEOUT_MS);
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type === 'ready' && typeof message.url === 'string') {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`rag-service exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });

  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      const done = await Promise.race([
        exited.then(() => true),
        sleep(15_000, undefined, { ref: false }).then(() => false),
      ]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
