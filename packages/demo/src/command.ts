/**
 * `argus demo`: checks that Argus is reachable (or starts an embedded one with `--start`), runs
 * the demo, and prints the summary with the commands to look at what arrived.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ArgusServer, createLogger, loadConfig, startServer } from '@argus/server';
import { DEMO_DEFAULTS, DEMO_HELP, type DemoOptions, parseDemoArgs } from './options.ts';
import { type DemoSummary, runDemo } from './run.ts';
import { checkReachable } from './watchdog.ts';

type Write = (text: string) => void;

/** Whether `port` can be listened on at 127.0.0.1 right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Starts an embedded server on a temp data dir, at the port of `url` when free. */
async function startEmbedded(url: string): Promise<{ server: ArgusServer; dataDir: string }> {
  const wanted = Number(new URL(url).port || 80);
  const port = (await portIsFree(wanted)) ? wanted : 0;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'argus-demo-'));
  // No environment: the demo's server is throwaway, whatever ARGUS_* the shell has.
  const config = loadConfig({ port, host: '127.0.0.1', grpcPort: 0, dataDir, logLevel: 'warn' }, {});
  try {
    return { server: await startServer(config, createLogger(config.logLevel)), dataDir };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Exit code of a demo that stopped because Argus stopped answering (docs/quickstart.md). */
export const EXIT_ARGUS_LOST = 1;

/** The one line a demo ends with when Argus went away: what was sent, what is lost. */
export function formatLostSummary(summary: DemoSummary, url: string): string {
  const lost = summary.argusLost;
  const after = lost === undefined ? '' : ` ${Math.round(lost.afterMs / 1000)} s in`;
  return `Demo stopped early: Argus at ${url} stopped answering${after} (${lost?.reason ?? 'unknown'}); ${summary.requests} requests were sent (${summary.answered} answered, ${summary.failed} failed) in ${summary.sessions} sessions, and spans not yet exported were dropped.\n`;
}

/** The closing summary: counts, a trace to look at, where to see more. */
export function formatSummary(summary: DemoSummary, url: string): string {
  const urlFlag = url === DEMO_DEFAULTS.url ? '' : ` --url ${url}`;
  const sample = summary.answeredTraceIds.find((_, i) => i >= 2) ?? summary.answeredTraceIds[0];
  const failed = summary.failedTraceIds[0];
  const lines = [
    '',
    `Done: ${summary.requests} requests (${summary.answered} answered, ${summary.failed} failed) in ${summary.sessions} sessions of ${summary.users} users, ${summary.feedback} feedback scores sent.`,
    `Argus received ${summary.traces} traces with ${summary.spans} spans from api-gateway and rag-service.`,
    '',
  ];
  if (sample !== undefined) lines.push(`  Look at one:      npx argus trace ${sample}${urlFlag}`);
  if (failed !== undefined) lines.push(`  A failed one:     npx argus trace ${failed}${urlFlag}`);
  lines.push(
    `  All of them:      npx argus traces --service api-gateway${urlFlag}`,
    `  Console:          ${url}/traces${sample === undefined ? '' : `  (this trace: ${url}/traces/${sample})`}`,
    `  API:              ${url}/api/v1/traces?service=api-gateway`,
    '',
  );
  return lines.join('\n');
}

/** Waits for SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Runs `argus demo <args>`; resolves to the exit code. */
export async function runDemoCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: Write = (t) => process.stdout.write(t),
  err: Write = (t) => process.stderr.write(t),
): Promise<number> {
  const parsed = parseDemoArgs(args, env);
  if (parsed.help) {
    out(DEMO_HELP);
    return 0;
  }
  const options: DemoOptions = parsed.options;
  let embedded: { server: ArgusServer; dataDir: string } | undefined;
  let url = options.url;
  if (options.start) {
    out('Starting an embedded Argus server on a temporary data directory …\n');
    embedded = await startEmbedded(options.url);
    url = embedded.server.url;
    out(`Argus is running at ${url} (data in ${embedded.dataDir})\n`);
  } else {
    const reachable = await checkReachable(url);
    if (!reachable.ok) {
      err(
        `argus demo: cannot reach Argus at ${url} (${reachable.reason}).\n` +
          `  Start it in another terminal with:  npx argus start${url === DEMO_DEFAULTS.url ? '' : ` --port ${new URL(url).port}`}\n` +
          '  or let the demo start a temporary one:  npx argus demo --start\n',
      );
      return 1;
    }
  }
  // Ctrl+C ends the traffic early and still prints the summary; a second one quits at once.
  const stopTraffic = new AbortController();
  const onInterrupt = () => {
    if (stopTraffic.signal.aborted) process.exit(130);
    out('\nStopping the traffic (Ctrl+C again to quit at once) …\n');
    stopTraffic.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const summary = await runDemo({
      ...options,
      url,
      signal: stopTraffic.signal,
      print: (line) => out(`${line}\n`),
    }).finally(() => process.off('SIGINT', onInterrupt));
    if (summary.argusLost !== undefined) {
      err(formatLostSummary(summary, url));
      return EXIT_ARGUS_LOST;
    }
    out(formatSummary(summary, url));
    if (embedded !== undefined && !options.exit) {
      out(
        `Argus keeps running at ${url} so you can look around. Press Ctrl+C to stop it and delete its data.\n`,
      );
      await untilSignal();
    }
    return 0;
  } finally {
    if (embedded !== undefined) {
      out('Stopping the embedded Argus server …\n');
      await embedded.server.close();
      rmSync(embedded.dataDir, { recursive: true, force: true });
    }
  }
}
