/**
 * How governance commands reach the API: with an API key as every command (`--api-key`,
 * ARGUS_API_KEY), or signed in as a user (`--user`, ARGUS_USER) — needed for instance
 * administration (users, projects), which API keys never have. The password comes from
 * ARGUS_PASSWORD, from stdin with `--password-stdin`, or from a prompt; never from a flag, so it
 * stays out of shell history and process lists. The session is ended when the command is done.
 */
import { Writable } from 'node:stream';
import { ArgusError } from '../errors.ts';
import { type ApiTarget, apiCall, apiFetch, apiTarget, TARGET_FLAGS } from './http.ts';

/** Flags of commands that accept either an API key or a user sign-in. */
export const ACCESS_FLAGS = {
  ...TARGET_FLAGS,
  user: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

/** Values of {@link ACCESS_FLAGS}. */
export interface AccessValues {
  url?: string;
  'api-key'?: string;
  project?: string;
  user?: string;
  'password-stdin'?: boolean;
}

/** A target ready for calls, and how to let go of it. */
export interface Access {
  target: ApiTarget;
  /** Signs out (when signed in); never throws. */
  close(): Promise<void>;
}

/** Usage line of the access flags, for command usages. */
export const ACCESS_USAGE = '[--url URL] [--project ID] [--api-key KEY | --user NAME [--password-stdin]]';

/**
 * Opens access for a command: signs in when a user is named (`--user`, or ARGUS_USER when no API
 * key is given), else uses the API key (if any).
 * @throws ArgusError when both are given, no password is available, or sign-in fails.
 */
export async function openAccess(values: AccessValues, env: NodeJS.ProcessEnv): Promise<Access> {
  if (values.user && values['api-key']) {
    throw new ArgusError('BAD_REQUEST', 'Give either --api-key or --user, not both');
  }
  const target = apiTarget(values, env);
  // Flags win over the environment; with both variables set, the key is used.
  const user = values.user || (target.apiKey ? undefined : env.ARGUS_USER || undefined);
  if (!user) return { target, close: async () => {} };
  const password = await passwordFor(user, values, env);
  const response = await apiFetch({ base: target.base }, 'POST', '/api/v1/auth/login', {
    body: { username: user, password },
  });
  const cookie = /argus_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  const signIn = (await response.json()) as { csrfToken?: string };
  if (!cookie || !signIn.csrfToken) {
    throw new ArgusError('BAD_REQUEST', `Cannot sign in as '${user}': the server answered no session`);
  }
  const signedIn: ApiTarget = {
    base: target.base,
    project: target.project,
    headers: { cookie: `argus_session=${cookie}`, 'x-argus-csrf': signIn.csrfToken },
  };
  return {
    target: signedIn,
    close: () =>
      apiCall(signedIn, 'POST', '/api/v1/auth/logout').then(
        () => {},
        () => {},
      ),
  };
}

/** Runs `fn` with access opened from the flags, signing out afterwards. */
export async function withAccess<T>(
  values: AccessValues,
  env: NodeJS.ProcessEnv,
  fn: (target: ApiTarget) => Promise<T>,
): Promise<T> {
  const access = await openAccess(values, env);
  try {
    return await fn(access.target);
  } finally {
    await access.close();
  }
}

async function passwordFor(user: string, values: AccessValues, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.ARGUS_PASSWORD) return env.ARGUS_PASSWORD;
  if (values['password-stdin']) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const password = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
    if (password) return password;
  } else if (process.stdin.isTTY) {
    return prompt(`Password for ${user}: `);
  }
  throw new ArgusError(
    'BAD_REQUEST',
    `No password for --user ${user}: set ARGUS_PASSWORD, pipe it with --password-stdin, or run in a terminal to be asked`,
  );
}

/** Asks on the terminal without echoing the answer. */
async function prompt(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  process.stderr.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve) => reader.question('', resolve));
  } finally {
    reader.close();
    process.stderr.write('\n');
  }
}
