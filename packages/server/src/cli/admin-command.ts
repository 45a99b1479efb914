/**
 * `argus admin reset-password <username> [--data-dir DIR] [--database-url URL]`: recovery when
 * nobody can sign in. Opens the metadata store directly (SQLite in <data-dir>/metadata.db, or
 * PostgreSQL) — no server needed, and safe beside a running one — sets a generated password,
 * ends the user's sessions, records the reset in the audit log as `system/cli`, and prints the
 * password once. Whoever can read the data directory can do this, which is the point.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log.ts';
import { type AuthRepositories, createAuthRepositories } from '../auth/repositories.ts';
import { generatePassword, hashPassword } from '../auth/secrets.ts';
import { loadConfig } from '../config.ts';
import { ArgusError } from '../errors.ts';
import { openMetadataStore } from '../store/metadata/metadata-store.ts';
import { printer, unknownAction, usageError, usageRequested } from './action-command.ts';
import { parseCommandLine, UsageError } from './flags.ts';
import { passwordText } from './users-command.ts';

const FLAGS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Usage of `argus admin`. */
export const ADMIN_USAGE = `Usage: argus admin reset-password <username> [--data-dir DIR] [--database-url URL] [--json]

Offline recovery: sets a new generated password for a user (printed once) and ends their
sessions, working on the metadata store directly — no running server or sign-in needed.
--data-dir (env ARGUS_DATA_DIR, default ./.argus) holds metadata.db; with --database-url (env
ARGUS_DATABASE_URL) the PostgreSQL metadata database is used instead. The reset is recorded in
the audit log (actor system/cli).`;

/** Runs `argus admin …`; resolves to the exit code. */
export async function runAdminCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandLine({ name: 'admin', usage: ADMIN_USAGE, flags: FLAGS }, args);
  const [action, username] = positionals;
  const requested = usageRequested(action, ADMIN_USAGE);
  if (requested !== undefined) return requested;
  if (action !== 'reset-password')
    return usageError('admin', unknownAction(String(action), ['reset-password']), ADMIN_USAGE);
  if (!username) throw new UsageError('admin', `Missing the username. ${ADMIN_USAGE}`);
  const config = loadConfig({ dataDir: values['data-dir'], databaseUrl: values['database-url'] }, env);
  const sqliteFile = path.join(config.dataDirAbsolute, 'metadata.db');
  if (!config.databaseUrl && !existsSync(sqliteFile)) {
    throw new ArgusError(
      'CONFIG_INVALID',
      `Cannot find the metadata database ${sqliteFile}: pass the server's --data-dir (or --database-url for PostgreSQL)`,
    );
  }
  const metadata = openMetadataStore({ databaseUrl: config.databaseUrl, sqliteFile });
  try {
    const repos = createAuthRepositories(metadata.sql);
    const user = await findUser(repos, username);
    const password = generatePassword();
    await repos.users.setPassword(user.id, await hashPassword(password));
    const sessionsEnded = await repos.sessions.deleteOfUser(user.id);
    await new AuditLog(metadata.sql).record({
      actor: { type: 'system', id: 'cli', name: 'argus admin reset-password' },
      projectId: '',
      action: 'user.password_reset',
      target: user.username,
      details: { userId: user.id, sessionsEnded, offline: true },
    });
    printer(values.json)(
      { username: user.username, password, sessionsEnded },
      `Reset the password of '${user.username}'${user.isAdmin ? ' (instance administrator)' : ''}; ${sessionsEnded} session(s) ended.\n${passwordText(password)}`,
    );
    return 0;
  } finally {
    await metadata.close();
  }
}

async function findUser(repos: AuthRepositories, username: string) {
  let user: Awaited<ReturnType<AuthRepositories['users']['findByUsername']>>;
  try {
    user = await repos.users.findByUsername(username);
  } catch (error) {
    throw new ArgusError(
      'CONFIG_INVALID',
      `Cannot read users from the metadata database (${(error as Error).message}); start this version of the server once so it creates them`,
      { cause: error },
    );
  }
  if (user) return user;
  const known = (await repos.users.list()).map((u) => u.username);
  throw new ArgusError(
    'NOT_FOUND',
    `No user named '${username}'${known.length ? `; users: ${known.slice(0, 20).join(', ')}` : '; there are no users yet (they are created when the server first starts with --auth on)'}`,
  );
}
