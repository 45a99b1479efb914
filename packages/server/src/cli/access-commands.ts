/** The access-control commands by name, for the dispatcher in main.ts. */
import { runAdminCommand } from './admin-command.ts';
import { runAuditCommand } from './audit-command.ts';
import { runExportCommand } from './export-command.ts';
import { runKeysCommand } from './keys-command.ts';
import { runInviteCommand, runMembersCommand } from './members-command.ts';
import { runProjectsCommand } from './projects-command.ts';
import { runUsersCommand } from './users-command.ts';

/** A command: arguments after its name → exit code. */
export type CommandRunner = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

/** `keys`, `projects`, `users`, `members`, `invite`, `audit`, `export` and `admin`. */
export const ACCESS_COMMANDS: Readonly<Record<string, CommandRunner>> = {
  keys: runKeysCommand,
  projects: runProjectsCommand,
  users: runUsersCommand,
  members: runMembersCommand,
  invite: runInviteCommand,
  audit: runAuditCommand,
  export: runExportCommand,
  admin: runAdminCommand,
};
