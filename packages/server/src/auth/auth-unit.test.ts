import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isArgusError } from '../errors.ts';
import { cookieOf, credentialsOf } from './credentials.ts';
import { roleAllows } from './policy.ts';
import { RateLimiter } from './rate-limit.ts';
import { generatePassword, hashPassword, verifyPassword } from './secrets.ts';

// Which level each route declares is checked against the running server's route list in
// test/route-access.int.test.ts; here only what each level lets a role do.
describe('roleAllows', () => {
  it('gives viewers reads only and ingest keys ingest only', () => {
    expect(roleAllows('viewer', 'read')).toBe(true);
    expect(roleAllows('viewer', 'write')).toBe(false);
    expect(roleAllows('viewer', 'ingest')).toBe(false);
    expect(roleAllows('ingest', 'ingest')).toBe(true);
    expect(roleAllows('ingest', 'read')).toBe(false);
    expect(roleAllows('member', 'write')).toBe(true);
    expect(roleAllows('member', 'admin')).toBe(false);
    expect(roleAllows('admin', 'admin')).toBe(true);
  });
});

describe('credentialsOf', () => {
  it('reads Bearer, x-api-key and Basic public:secret', () => {
    expect(credentialsOf({ authorization: 'Bearer sk-1' })).toEqual({ secret: 'sk-1' });
    expect(credentialsOf({ authorization: 'bearer   sk-2 ' })).toEqual({ secret: 'sk-2' });
    expect(credentialsOf({ 'x-api-key': 'sk-3' })).toEqual({ secret: 'sk-3' });
    const basic = Buffer.from('pk-1:sk:with:colons').toString('base64');
    expect(credentialsOf({ authorization: `Basic ${basic}` })).toEqual({
      publicKey: 'pk-1',
      secret: 'sk:with:colons',
    });
    expect(credentialsOf({})).toBeUndefined();
  });

  it('never crashes on arbitrary headers: credentials, undefined or a 401 ArgusError', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 2000 }),
        fc.option(fc.string({ maxLength: 600 })),
        (authorization, apiKey) => {
          try {
            const result = credentialsOf({
              authorization,
              ...(apiKey === null ? {} : { 'x-api-key': apiKey }),
            });
            if (result) expect(result.secret.length).toBeLessThanOrEqual(512);
          } catch (error) {
            expect(isArgusError(error) && error.status === 401).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds one cookie among others', () => {
    expect(cookieOf({ cookie: 'a=1; argus_session=tok; b=2' }, 'argus_session')).toBe('tok');
    expect(cookieOf({ cookie: 'xargus_session=1' }, 'argus_session')).toBeUndefined();
    fc.assert(fc.property(fc.string(), (cookie) => void cookieOf({ cookie }, 'argus_session')));
  });
});

describe('RateLimiter', () => {
  it('allows the burst, then refuses with the wait until a token is back', () => {
    let now = 0;
    const limiter = new RateLimiter({ now: () => now });
    expect(limiter.take('k', 1, 2)).toEqual({ ok: true });
    expect(limiter.take('k', 1, 2)).toEqual({ ok: true });
    expect(limiter.take('k', 1, 2)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('other', 1, 2)).toEqual({ ok: true });
    now += 1000;
    expect(limiter.take('k', 1, 2)).toEqual({ ok: true });
    expect(limiter.take('k', 0)).toEqual({ ok: true });
  });

  it('gives back refunded tokens, and peeks without taking', () => {
    const now = 0;
    const limiter = new RateLimiter({ now: () => now });
    expect(limiter.take('k', 1, 1).ok).toBe(true);
    expect(limiter.peek('k', 1, 1).ok).toBe(false);
    limiter.refund('k');
    expect(limiter.peek('k', 1, 1).ok).toBe(true);
    expect(limiter.peek('k', 1, 1).ok).toBe(true);
    expect(limiter.take('k', 1, 1).ok).toBe(true);
    expect(limiter.take('k', 1, 1).ok).toBe(false);
  });

  it('stays bounded', () => {
    const limiter = new RateLimiter({ maxKeys: 10 });
    for (let i = 0; i < 1000; i++) limiter.take(`k${i}`, 1, 1);
    expect(limiter.take('k999', 1, 1).ok).toBe(false);
  });
});

describe('passwords', () => {
  it('verify with scrypt, refuse wrong ones and unknown users alike', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('anything', undefined)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
    expect(hash).not.toBe(await hashPassword('correct horse battery staple'));
  });

  it('generates long passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z2-9]{20}$/);
    expect(a).not.toBe(generatePassword());
  });
});
