import { describe, expect, it } from 'vitest';
import { checkAddress, checkHost, guardedLookup, type HostPolicy, isNonPublicAddress } from './host-guard.ts';

const GUARDED: HostPolicy = { restrictPrivate: true, allowedHosts: [] };

describe('isNonPublicAddress', () => {
  it.each([
    // Why: every refused range, and the IPv6 spellings that embed an IPv4 address.
    ['127.0.0.1', true],
    ['10.255.0.1', true],
    ['172.16.5.4', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2606:4700::1111', false],
    ['::ffff:8.8.8.8', false],
  ])('%s → %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });
});

describe('allow-list', () => {
  it.each([
    // Why: each allow-list form (name, wildcard suffix, address, CIDR) lets its host through.
    ['ollama.lan', '10.0.0.5', ['ollama.lan']],
    ['gpu1.internal.example', '10.0.0.6', ['*.internal.example']],
    ['10.0.0.7', '10.0.0.7', ['10.0.0.7']],
    ['vllm', '10.20.30.40', ['10.0.0.0/8']],
  ])('lets %s (%s) through with %j', (host, address, allowedHosts) => {
    expect(() => checkAddress({ restrictPrivate: true, allowedHosts }, host, address)).not.toThrow();
    expect(() => checkAddress(GUARDED, host, address)).toThrow(/--llm-allowed-hosts/);
  });

  it('limits nothing in the open loopback mode', () => {
    expect(() => checkAddress({ restrictPrivate: false, allowedHosts: [] }, 'x', '127.0.0.1')).not.toThrow();
  });
});

describe('DNS', () => {
  it('checks what a name resolves to, not only the literal', async () => {
    await expect(checkHost(GUARDED, 'localhost')).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED' });
  });

  it('refuses at connect time through the lookup hook (a name re-resolved to a private address)', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      guardedLookup(GUARDED)('localhost', {}, (e) => resolve(e as Error | null)),
    );
    expect(error).toMatchObject({ code: 'HOST_NOT_ALLOWED' });
  });
});
