/**
 * The `argus` command line. `start` runs the server; the query commands talk to a running
 * server's API (the server owns the data directory, so they never open it themselves).
 */
import { BOOLEAN_OPTIONS, type Config, type ConfigInput, ENV_NAMES, kebab, loadConfig } from '../config.ts';
import { ArgusError, isArgusError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { type ArgusServer, startServer } from '../server.ts';
import { ARGUS_VERSION } from '../version.ts';
import { ACCESS_COMMANDS } from './access-commands.ts';
import { runAlertsCommand } from './alerts-command.ts';
import { CliExit, closest, type FlagSpec, parseCommandLine, UsageError } from './flags.ts';
import { runGatewayCommand } from './gateway-command.ts';
import { runEraseCommand, runRetentionCommand } from './governance-command.ts';
import { type IngestTotals, startHeartbeat } from './heartbeat.ts';
import { helpText, OPTION_HELP } from './help.ts';
import { runPricingCommand } from './pricing-command.ts';
import { QUALITY_COMMANDS } from './quality-commands.ts';
import { QUERY_COMMANDS, runQueryCommand } from './query-commands.ts';
import { runRedactionCommand } from './redaction-command.ts';
import { useSdkSources } from './sdk-sources.ts';
import { exitCodeOf, type StartContext, startupErrorOf } from './startup-errors.ts';

/** Every command name, for "did you mean". */
const COMMANDS = [
  'start',
  ...QUERY_COMMANDS,
  'pricing',
  'alerts',
  'erase',
  'retention',
  'redaction',
  'gateway',
  'demo',
  'agent',
  'version',
  'help',
  ...Object.keys(ACCESS_COMMANDS),
  ...Object.keys(QUALITY_COMMANDS),
];

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(helpText());
        return 0;
      case 'version':
      case '--version':
      case '-v':
        process.stdout.write(`argus ${ARGUS_VERSION} (node ${process.version})\n`);
        return 0;
      case 'start':
        return await runStart(rest, env);
      case 'alerts':
        return await runAlertsCommand(rest, env);
      case 'erase':
        return await runEraseCommand(rest, env);
      case 'retention':
        return await runRetentionCommand(rest, env);
      case 'redaction':
        return await runRedactionCommand(rest, env);
      case 'pricing':
        return await runPricingCommand(rest);
      case 'gateway':
        return await runGatewayCommand(rest, env);
      case 'demo': {
        // Loaded on demand: the demo brings the SDK (from its sources), the openai client and the mock LLM.
        useSdkSources();
        const { runDemoCommand } = await loadProgram<typeof import('@argus/demo')>('@argus/demo', 'demo');
        return await runDemoCommand(rest, env);
      }
      case 'agent': {
        const { runAgentCommand } = await loadProgram<typeof import('@argus/agent')>('@argus/agent', 'agent');
        return await runAgentCommand(rest, env);
      }
      default: {
        if (QUERY_COMMANDS.includes(command)) return await runQueryCommand(command, rest, env);
        // The access commands (access-commands.ts).
        const access = Object.hasOwn(ACCESS_COMMANDS, command) ? ACCESS_COMMANDS[command] : undefined;
        if (access) return await access(rest, env);
        const quality = Object.hasOwn(QUALITY_COMMANDS, command) ? QUALITY_COMMANDS[command] : undefined;
        if (quality) return await quality(rest, env);
        const close = closest(command, COMMANDS);
        process.stderr.write(
          `argus: unknown command '${command}'${close ? `; did you mean '${close}'?` : ''} (run 'argus --help' for the list)\n`,
        );
        return 2;
      }
    }
  } catch (error) {
    return reportError(command, error);
  }
}

/** Prints a failed command's error as one line; answers the exit code (2 for usage mistakes). */
function reportError(command: string | undefined, error: unknown): number {
  if (error instanceof CliExit) return error.code;
  if (error instanceof UsageError) {
    process.stderr.write(
      `argus ${error.command}: ${error.message}\nRun 'argus ${error.command} --help' for its flags.\n`,
    );
    return 2;
  }
  // node:util parseArgs (the demo's flags): its own words, our exit code.
  const nodeCode = (error as { code?: unknown } | undefined)?.code;
  if (typeof nodeCode === 'string' && nodeCode.startsWith('ERR_PARSE_ARGS_')) {
    process.stderr.write(
      `argus ${command}: ${(error as Error).message.split('\n')[0]}\nRun 'argus ${command} --help' for its flags.\n`,
    );
    return 2;
  }
  const message =
    isArgusError(error) || error instanceof TypeError
      ? error.message
      : String((error as Error).stack ?? error);
  process.stderr.write(`argus: ${message}\n`);
  // 2: the command cannot go on as configured (bad options, metadata lost beside existing telemetry).
  return isArgusError(error) ? exitCodeOf(error) : 1;
}

/** The flags of `argus start`: one per server option (config.ts), described in help.ts. */
const START_FLAGS: Record<string, FlagSpec> = Object.fromEntries(
  Object.keys(ENV_NAMES).map((key) => [
    kebab(key),
    { type: BOOLEAN_OPTIONS.has(key) ? 'boolean' : 'string' },
  ]),
);

const START_DESCRIPTIONS: Record<string, string> = Object.fromEntries(
  Object.entries(ENV_NAMES).map(([key, envName]) => [
    kebab(key),
    `${OPTION_HELP[key] ?? ''}; env ${envName}`,
  ]),
);

const START_USAGE = `Usage: argus start [flags]          (from a clone: npm start -- [flags])

Starts the server: OTLP/HTTP on /v1/*, the API on /api/v1 and the web console, all on one port;
OTLP/gRPC on a second. Each flag overrides its environment variable, which overrides the default
(docs/configuration.md).`;

async function runStart(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseCommandLine(
    {
      name: 'start',
      usage: START_USAGE,
      flags: START_FLAGS,
      positionals: false,
      descriptions: START_DESCRIPTIONS,
    },
    args,
  );
  const flags = configFlagsOf(values as Record<string, string | boolean | undefined>);
  let context: StartContext = {
    dataDir: flags.dataDir === undefined ? env.ARGUS_DATA_DIR : String(flags.dataDir),
  };
  let config: Config;
  let server: ArgusServer;
  const started = performance.now();
  try {
    config = loadConfig(flags, env);
    context = {
      host: config.host,
      port: config.port,
      grpcPort: config.grpcPort,
      gatewayPort: config.gatewayPort,
      dataDir: config.dataDir,
    };
    server = await startServer(config, createLogger(config.logLevel));
  } catch (error) {
    const known = startupErrorOf(error, context);
    if (!known) throw error;
    process.stderr.write(`argus: ${known.message}\n`);
    return known.exitCode;
  }
  const out = process.stdout;
  printStarted(out, server, config, Math.round(performance.now() - started));
  const stopHeartbeat = startHeartbeat({
    intervalMs: config.heartbeatIntervalMs,
    read: () => ingestTotals(server),
    write: (line) => out.write(line),
  });
  await untilStopped(server, out, stopHeartbeat);
  return 0;
}

/** The start command's parsed flags as configuration input (a boolean flag given is 'true'). */
function configFlagsOf(values: Record<string, string | boolean | undefined>): ConfigInput {
  const flags: ConfigInput = {};
  for (const key of Object.keys(ENV_NAMES)) {
    const value = values[kebab(key)];
    if (typeof value === 'string') flags[key as keyof ConfigInput] = value;
    else if (value === true) flags[key as keyof ConfigInput] = 'true';
  }
  return flags;
}

/** The banner once the server is up: its addresses, storage, retention, auth and the first admin. */
function printStarted(out: NodeJS.WriteStream, server: ArgusServer, config: Config, ms: number): void {
  out.write(`Argus ${ARGUS_VERSION} is running (started in ${ms} ms)\n`);
  out.write(`  Console     ${server.url}/\n`);
  out.write(`  OTLP/HTTP   ${server.url}/v1/traces  /v1/logs  /v1/metrics\n`);
  out.write(`              (OTEL_EXPORTER_OTLP_ENDPOINT=${server.url})\n`);
  if (server.grpcUrl) out.write(`  OTLP/gRPC   ${server.grpcUrl}   (OTEL_EXPORTER_OTLP_PROTOCOL=grpc)\n`);
  out.write(`  LangSmith   ${server.url}   (LANGSMITH_ENDPOINT=${server.url})\n`);
  const gateway = server.gatewayUrl ?? server.url;
  out.write(
    `  Gateway     ${gateway}/gateway/v1  ${gateway}/gateway/anthropic${server.gatewayUrl ? '   (a port of its own)' : ''}\n`,
  );
  out.write(`  API         ${server.url}/api/v1   (OpenAPI: ${server.url}/api/v1/openapi.json)\n`);
  out.write(`  Health      ${server.url}/health\n`);
  out.write(`  Metrics     ${server.url}/metrics   (Prometheus)\n`);
  out.write(`  Storage     ${server.store.description}\n`);
  out.write(
    `  Metadata    ${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDirAbsolute}/metadata.db`}\n`,
  );
  out.write(`  Retention   ${config.retentionDays} days\n`);
  if (config.authMode === 'off') {
    out.write(
      config.loopback
        ? '  Auth        OFF: open to anyone on this machine (loopback only). Use --auth on to require sign-in and API keys.\n'
        : `  Auth        OFF on ${config.host} (--insecure): ANYONE WHO REACHES THIS ADDRESS CAN READ AND CHANGE EVERYTHING\n`,
    );
  } else {
    out.write('  Auth        on: API keys for ingest and the API, sign-in for the console\n');
    // The URI to register with the provider (without --public-url: the host the browser uses).
    if (config.oidcIssuer)
      out.write(
        `  SSO         ${config.oidcName} at ${config.oidcIssuer}; redirect URI ${config.publicUrl ?? server.url}/api/v1/auth/oidc/callback\n`,
      );
  }
  if (server.bootstrapAdmin) {
    const admin = server.bootstrapAdmin;
    out.write(
      admin.password
        ? `\n  First start: created the administrator '${admin.username}' with the password\n\n      ${admin.password}\n\n  It is shown only this once. Sign in at ${server.url}/ and change it (or set ARGUS_ADMIN_PASSWORD before the first start).\n\n`
        : `\n  First start: created the administrator '${admin.username}' with the password from ARGUS_ADMIN_PASSWORD.\n\n`,
    );
  }
  out.write(
    config.heartbeatIntervalMs > 0
      ? `Press Ctrl+C to stop. While data arrives, a line every ${config.heartbeatIntervalMs / 1000} s says how much (--heartbeat-interval-ms 0: off).\n`
      : 'Press Ctrl+C to stop.\n',
  );
}

/** Waits for SIGINT or SIGTERM, then stops the heartbeat and closes the server (flushing writes). */
function untilStopped(
  server: ArgusServer,
  out: NodeJS.WriteStream,
  stopHeartbeat: () => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      stopHeartbeat();
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      out.write(`\n${signal}: flushing pending writes …\n`);
      server.close().then(
        () => {
          out.write('Stopped cleanly.\n');
          resolve();
        },
        (error) => {
          process.stderr.write(`argus: shutdown failed: ${(error as Error).message}\n`);
          process.exitCode = 1;
          resolve();
        },
      );
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** The server's ingest totals for the heartbeat: its ingest counters and the GenAI error counter. */
function ingestTotals(server: ArgusServer): IngestTotals {
  const { accepted, rejected, failedRequests } = server.counters;
  let errors = 0;
  const family = server.metrics.registry.families().find((f) => f.name === 'argus_gen_ai_errors_total');
  for (const { child } of family?.series() ?? []) errors += (child as { value?: number }).value ?? 0;
  const failed = Object.values(failedRequests).reduce((sum, n) => sum + n, 0);
  return {
    spans: accepted.traces,
    logs: accepted.logs,
    metricPoints: accepted.metrics,
    errors,
    rejected: rejected.traces + rejected.logs + rejected.metrics + failed,
  };
}

/**
 * Loads a program that lives beside the server (packages/demo, packages/agent: docs/architecture.md,
 * "Programs apart from the server"); it is a workspace of the Argus clone, not a dependency of the server.
 */
async function loadProgram<T>(name: string, command: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes(name)) throw error;
    throw new ArgusError(
      'CONFIG_INVALID',
      `Cannot run 'argus ${command}': the package ${name} is not installed; run 'npm install' in the Argus clone (it installs every workspace, packages/${command} included)`,
    );
  }
}
