/**
 * The one start-up error path: turns the failures a person can fix (a busy port, an unwritable or
 * locked data directory, an invalid option) into one sentence and an exit code, without a stack
 * trace. Anything it does not recognise is left to the caller (printed with its stack: a bug).
 */
import { type ArgusError, isArgusError } from '../errors.ts';
import { StartupError } from '../startup-error.ts';

/** What the failed start was asked to do, for the sentences. */
export interface StartContext {
  host?: string;
  port?: number;
  grpcPort?: number;
  gatewayPort?: number | undefined;
  /** The data directory as given (relative or absolute). */
  dataDir?: string;
}

/** Argus errors that mean "cannot go on as configured" (exit code 2, like a usage mistake). */
const EXIT_2_CODES: ReadonlySet<string> = new Set(['CONFIG_INVALID', 'METADATA_UNUSABLE']);

/** The exit code of a command that failed with an Argus error: 2 when it cannot go on as configured, else 1. */
export function exitCodeOf(error: ArgusError): 1 | 2 {
  return EXIT_2_CODES.has(error.code) ? 2 : 1;
}

type NodeError = Error & { code?: string; syscall?: string; path?: string; port?: number; address?: string };

/** The errors in a cause chain, outermost first (bounded). */
function chain(error: unknown): unknown[] {
  const errors: unknown[] = [];
  for (let e = error, i = 0; e !== undefined && e !== null && i < 8; e = (e as Error).cause, i++)
    errors.push(e);
  return errors;
}

/**
 * The start-up error for a known failure, or undefined when `error` is not one.
 * A {@link StartupError} is answered as it is; `ArgusError` CONFIG_INVALID exits 2, other
 * Argus errors 1; system errors are named by what they mean for the command's flags.
 */
export function startupErrorOf(error: unknown, context: StartContext = {}): StartupError | undefined {
  if (error instanceof StartupError) return error;
  for (const e of chain(error)) {
    const known = systemError(e as NodeError, context);
    if (known) return known;
  }
  if (isArgusError(error))
    return new StartupError(error.message, { exitCode: exitCodeOf(error), cause: error });
  return undefined;
}

function systemError(error: NodeError, context: StartContext): StartupError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = error.code;
  const port = error.port ?? context.port;
  if (error.syscall === 'listen' || error.syscall === 'bind' || code === 'EADDRINUSE') {
    const isGrpc = port !== undefined && port === context.grpcPort && port !== context.port;
    const isGateway = !isGrpc && port !== undefined && port === context.gatewayPort && port !== context.port;
    const flag = isGrpc ? '--grpc-port' : isGateway ? '--gateway-port' : '--port';
    const what = isGrpc ? `port ${port} (OTLP/gRPC)` : isGateway ? `port ${port} (gateway)` : `port ${port}`;
    const hint = isGrpc
      ? ' (--grpc-port 0 turns gRPC off)'
      : isGateway
        ? ' (or leave it unset: the main port serves the gateway too)'
        : ' (npm start -- --port 4320)';
    if (code === 'EADDRINUSE')
      return new StartupError(
        `Cannot listen on ${what}: another program is using it${port === 4318 || port === 4317 ? ' (OpenTelemetry collectors listen there by default)' : ''}; stop it, or start Argus on a free port with ${flag} <port>${hint}`,
        { cause: error },
      );
    if (code === 'EACCES')
      return new StartupError(
        `Cannot listen on ${what}: not allowed (ports below 1024 need privileges); choose ${flag} 1024 or higher`,
        { cause: error },
      );
    if (code === 'EADDRNOTAVAIL')
      return new StartupError(
        `Cannot listen on ${error.address ?? context.host}: it is not an address of this machine; check --host`,
        { cause: error },
      );
  }
  const dir = context.dataDir ?? './.argus';
  const where = error.path && error.path !== dir ? ` (${error.path})` : '';
  const fix = 'choose a writable directory with --data-dir (env ARGUS_DATA_DIR), or fix its permissions';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new StartupError(
        `Cannot write to the data directory '${dir}'${where}: permission denied; ${fix}`,
        {
          cause: error,
        },
      );
    case 'EROFS':
      return new StartupError(
        `Cannot write to the data directory '${dir}'${where}: the file system is read-only; ${fix}`,
        {
          cause: error,
        },
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new StartupError(
        `Cannot use the data directory '${dir}'${where}: a file is in the way, not a directory; choose another with --data-dir`,
        { cause: error },
      );
    case 'ENOSPC':
      return new StartupError(
        `Cannot write to the data directory '${dir}'${where}: the disk is full; free space or choose another with --data-dir`,
        { cause: error },
      );
  }
  // node:sqlite reports an unwritable directory as SQLITE_CANTOPEN.
  if (code === 'ERR_SQLITE_ERROR' && /unable to open database file|readonly database/.test(error.message))
    return new StartupError(`Cannot write to the data directory '${dir}': ${error.message}; ${fix}`, {
      cause: error,
    });
  return undefined;
}
