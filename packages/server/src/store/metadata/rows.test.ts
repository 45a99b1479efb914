import { describe, expect, it } from 'vitest';
import { camelRow } from './rows.ts';

describe('camelRow', () => {
  it('renames snake_case columns to camelCase, keeping values and order', () => {
    const record = camelRow({ user_id: 'u1', email: null, last_login_at: '2024-01-01', is_admin: 1 });
    expect(record).toEqual({ userId: 'u1', email: null, lastLoginAt: '2024-01-01', isAdmin: 1 });
    // Why: API answers serialise records in this order.
    expect(Object.keys(record)).toEqual(['userId', 'email', 'lastLoginAt', 'isAdmin']);
  });
});
