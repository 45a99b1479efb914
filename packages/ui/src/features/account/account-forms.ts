/** Checks of the account forms (sign-in errors, new passwords, invitation links). Pure. */
import { ApiError } from '../../api.ts';

/** Minimum password length (the server's rule, NIST SP 800-63B). */
export const MIN_PASSWORD_CHARS = 12;

/** The invitation token of a URL fragment (`#token=…`). */
export function inviteToken(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') || undefined;
}

/** Checks a new password and its confirmation; the problem in words, or undefined. */
export function passwordProblem(password: string, confirmation: string): string | undefined {
  if (password.length < MIN_PASSWORD_CHARS)
    return `The password needs at least ${MIN_PASSWORD_CHARS} characters (it has ${password.length}).`;
  if (password !== confirmation) return 'The two passwords differ.';
  return undefined;
}

/** The message of a failed sign-in. */
export function signInError(error: Error): string {
  if (!(error instanceof ApiError)) return error.message;
  if (error.status === 401) return 'Wrong username or password.';
  if (error.status === 429) return 'Too many sign-in attempts.';
  return error.message;
}

/** Project ids: 1-64 lowercase letters, digits, `_` or `-`, starting with a letter or digit. */
export const PROJECT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A project id suggested from its name: `Support Bot (EU)` → `support-bot-eu`. */
export function projectIdFrom(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64);
}
