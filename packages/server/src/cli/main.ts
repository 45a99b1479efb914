/**
 * The `argus` command line. `start` runs the server; the query commands talk to a running
 * server's API (the server owns the data directory, so they never open it themselves).
 */
import { parseArgs } from 'node:util';
import { runAgentCommand } from '../agent/index.ts';
import { BOOLEAN_OPTIONS, type ConfigInput, ENV_NAMES, kebab, loadConfig } from '../config.ts';
import { isArgusError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { startServer } from '../server.ts';
import { ARGUS_VERSION } from '../version.ts';
import { ACCESS_COMMANDS } from './access-commands.ts';
import { runAlertsCommand } from './alerts-command.ts';
import { runEraseCommand, runRetentionCommand } from './governance-command.ts';
import { helpText } from './help.ts';
import { apiTarget } from './http.ts';
import { runPricingCommand } from './pricing-command.ts';
import { QUERY_FLAGS, runQueryCommand } from './query-commands.ts';
import { runRedactionCommand } from './redaction-command.ts';
import { useSdkSources } from './sdk-sources.ts';

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
      case 'demo': {
        // Loaded on demand: the demo brings the SDK (from its sources), the openai client and the mock LLM.
        useSdkSources();
        const { runDemoCommand } = await import('../demo/command.ts');
        return await runDemoCommand(rest, env);
      }
      case 'agent':
        return await runAgentCommand(rest, env);
      case 'traces':
      case 'trace':
      case 'spans':
      case 'series':
      case 'health': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: QUERY_FLAGS,
          allowPositionals: true,
          strict: true,
        });
        return await runQueryCommand(
          command,
          values,
          positionals,
          apiTarget(values as { url?: string; 'api-key'?: string; project?: string }, env),
        );
      }
      default: {
        // The access commands (access-commands.ts).
        const access = Object.hasOwn(ACCESS_COMMANDS, command) ? ACCESS_COMMANDS[command] : undefined;
        if (access) return await access(rest, env);
        process.stderr.write(`argus: unknown command '${command}'; run 'argus --help' for the list\n`);
        return 2;
      }
    }
  } catch (error) {
    const message =
      isArgusError(error) || error instanceof TypeError
        ? error.message
        : String((error as Error).stack ?? error);
    process.stderr.write(`argus: ${message}\n`);
    // 2: the start cannot go on as configured (bad options, metadata lost beside existing telemetry).
    return isArgusError(error) && (error.code === 'CONFIG_INVALID' || error.code === 'METADATA_UNUSABLE')
      ? 2
      : 1;
  }
}

async function runStart(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const key of Object.keys(ENV_NAMES))
    options[kebab(key)] = { type: BOOLEAN_OPTIONS.has(key) ? 'boolean' : 'string' };
  const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: true });
  if (values.help) {
    process.stdout.write(helpText());
    return 0;
  }
  const flags: ConfigInput = {};
  for (const key of Object.keys(ENV_NAMES)) {
    const value = (values as Record<string, string | boolean | undefined>)[kebab(key)];
    if (typeof value === 'string') flags[key as keyof ConfigInput] = value;
    else if (value === true) flags[key as keyof ConfigInput] = 'true';
  }
  const config = loadConfig(flags, env);
  const logger = createLogger(config.logLevel);
  const started = performance.now();
  const server = await startServer(config, logger);
  const ms = Math.round(performance.now() - started);
  const out = process.stdout;
  out.write(`Argus ${ARGUS_VERSION} is running (started in ${ms} ms)\n`);
  out.write(`  Console     ${server.url}/\n`);
  out.write(`  OTLP/HTTP   ${server.url}/v1/traces  /v1/logs  /v1/metrics\n`);
  out.write(`              (OTEL_EXPORTER_OTLP_ENDPOINT=${server.url})\n`);
  if (server.grpcUrl) out.write(`  OTLP/gRPC   ${server.grpcUrl}   (OTEL_EXPORTER_OTLP_PROTOCOL=grpc)\n`);
  out.write(`  LangSmith   ${server.url}   (LANGSMITH_ENDPOINT=${server.url})\n`);
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
  out.write('Press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
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
  return 0;
}
