/**
 * Starts a real Argus server in this process on a free loopback port with a temp data dir.
 * chDB allows one data directory per process, so use one server per test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ConfigInput, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type ArgusServer, startServer } from '../../src/server.ts';

/** A test server and its cleanup. */
export interface TestServer {
  server: ArgusServer;
  url: string;
  dataDir: string;
  /** Closes the server and removes its data dir. */
  stop(): Promise<void>;
  /** GET a JSON API path, asserting a 2xx answer. */
  get<T = unknown>(pathAndQuery: string): Promise<T>;
}

/** Starts a server; flags override the test defaults. */
export async function startTestServer(flags: ConfigInput = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-test-'));
  const config = loadConfig(
    // gRPC off unless a test asks: parallel test files would all want port 4317.
    { port: 0, grpcPort: 0, dataDir, logLevel: 'error', writerFlushIntervalMs: 5, ...flags },
    {},
  );
  const server = await startServer(config, createLogger(config.logLevel));
  return {
    server,
    url: server.url,
    dataDir,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async get<T>(pathAndQuery: string): Promise<T> {
      const response = await fetch(server.url + pathAndQuery);
      const body = await response.json();
      if (!response.ok) throw new Error(`GET ${pathAndQuery} → ${response.status} ${JSON.stringify(body)}`);
      return body as T;
    },
  };
}
