import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api.ts';
import { inviteToken, passwordProblem, projectIdFrom, signInError } from './account-forms.ts';
import { pickProject } from './auth-context.ts';

describe('account forms', () => {
  it('reads the invitation token from the fragment', () => {
    expect(inviteToken('#token=abc%2Bdef')).toBe('abc+def');
    expect(inviteToken('#other=1&token=t1')).toBe('t1');
    expect(inviteToken('')).toBeUndefined();
    expect(inviteToken('#token=')).toBeUndefined();
  });

  it.each([
    ['short', 'short', 'at least 12 characters (it has 5)'],
    ['long-enough-pass', 'long-enough-typo', 'differ'],
  ])('refuses the password %s', (password, confirmation, problem) => {
    expect(passwordProblem(password, confirmation)).toContain(problem);
  });

  it('accepts a long password typed twice', () => {
    expect(passwordProblem('long-enough-pass', 'long-enough-pass')).toBeUndefined();
  });

  it.each([
    [new ApiError('UNAUTHORIZED', 'Wrong username or password', 401), 'Wrong username or password.'],
    [
      new ApiError('RATE_LIMITED', 'Too many sign-in attempts; try again in 12 s', 429, 12),
      'Too many sign-in attempts.',
    ],
    // Anything else keeps the server's (or the network's) own words.
    [
      new ApiError('NETWORK', 'Cannot reach the Argus server: offline', 0),
      'Cannot reach the Argus server: offline',
    ],
  ])('words a failed sign-in', (error, message) => {
    expect(signInError(error)).toBe(message);
  });

  it.each([
    ['Support Bot (EU)', 'support-bot-eu'],
    ['  Café  Crème ', 'cafe-creme'],
    ['__internal', 'internal'],
    ['A'.repeat(80), 'a'.repeat(64)],
  ])('suggests a project id for %s', (name, id) => {
    expect(projectIdFrom(name)).toBe(id);
  });
});

describe('pickProject', () => {
  const me = {
    currentProject: 'default',
    projects: [
      { id: 'default', name: 'Default', role: 'viewer' as const },
      { id: 'shop', name: 'Shop', role: 'admin' as const },
    ],
  };

  it('keeps the stored choice while the caller can see it', () => {
    expect(pickProject(me, 'shop')).toBe('shop');
  });

  it('falls back to the server’s default when the stored project is gone', () => {
    expect(pickProject(me, 'deleted')).toBe('default');
  });

  it('falls back to the first project when the default is not theirs', () => {
    expect(pickProject({ currentProject: 'default', projects: [me.projects[1]!] }, undefined)).toBe('shop');
  });

  it('answers undefined for a caller in no project', () => {
    expect(pickProject({ currentProject: 'default', projects: [] }, 'shop')).toBeUndefined();
  });
});
