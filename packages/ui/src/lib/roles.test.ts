import { describe, expect, it } from 'vitest';
import { deniedReason, isAllowed, type Need, type Standing } from './roles.ts';

const as = (role: Standing['role'], instanceAdmin = false): Standing => ({ role, instanceAdmin });

describe('roles', () => {
  // Mirrors the server's policy (auth/policy.ts): read = viewer+, write = member+, admin, instance.
  it.each([
    [as('viewer'), 'read', true],
    [as('viewer'), 'write', false],
    [as('member'), 'write', true],
    [as('member'), 'admin', false],
    [as('admin'), 'admin', true],
    [as('admin'), 'instance', false],
    // API keys with the ingest role read nothing through the console's API.
    [as('ingest'), 'read', false],
    // Instance administrators (and open mode) can do everything, member or not.
    [as(undefined, true), 'instance', true],
    [as('viewer', true), 'admin', true],
    // No role on the project: nothing.
    [as(undefined), 'read', false],
  ] as [Standing, Need, boolean][])('%o needs %s: %s', (standing, need, expected) => {
    expect(isAllowed(standing, need)).toBe(expected);
  });

  it('says which role a control needs, and the caller’s', () => {
    expect(deniedReason(as('viewer'), 'write')).toBe(
      'Needs the member or admin role on this project (your role: viewer)',
    );
    expect(deniedReason(as('member'), 'admin')).toBe(
      'Needs the admin role on this project (your role: member)',
    );
    expect(deniedReason(as('admin'), 'instance')).toBe('Needs an instance administrator');
    expect(deniedReason(as('admin'), 'admin')).toBeUndefined();
  });
});
