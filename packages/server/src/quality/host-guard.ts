/**
 * Which hosts an LLM connection may make the server call (SSRF guard). With authentication on,
 * a `baseUrl` whose host is, or resolves to, a private, loopback, link-local or otherwise
 * non-public address is refused unless `--llm-allowed-hosts` names it (a host name, `*.suffix`,
 * an address or a CIDR range). The open single-user mode on loopback limits nothing, so a local
 * Ollama just works. The check runs on the address actually connected to (a `lookup` hook of
 * the HTTP request), so a name that resolves to a public address when checked and a private one
 * when used (DNS rebinding) is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { ArgusError } from '../errors.ts';

/** What the guard enforces. */
export interface HostPolicy {
  /** Refuse non-public addresses (auth on); false = open loopback mode, nothing refused. */
  restrictPrivate: boolean;
  /** Hosts, `*.suffixes`, addresses or CIDR ranges allowed even when not public (lowercase). */
  allowedHosts: readonly string[];
}

/** A policy that allows everything (open loopback mode, unit tests). */
export const OPEN_HOST_POLICY: HostPolicy = Object.freeze({ restrictPrivate: false, allowedHosts: [] });

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** The IPv4 address an IPv6 one embeds (`::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (m) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1]!, 16);
  const lo = Number.parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True for addresses that are not on the public Internet (private, loopback, link-local …). */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined) return PRIVATE.check(v4, 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/** True when an allow-list entry names this host name or address. */
function isAllowed(policy: HostPolicy, hostname: string, address: string | undefined): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const entry of policy.allowedHosts) {
    if (entry === host || entry === address) return true;
    if (entry.startsWith('*.') && host.endsWith(entry.slice(1))) return true;
    const slash = entry.indexOf('/');
    if (slash > 0 && address !== undefined) {
      const net = entry.slice(0, slash);
      const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(address) !== (family === 'ipv6' ? 6 : 4)) continue;
      const list = new BlockList();
      try {
        list.addSubnet(net, Number(entry.slice(slash + 1)), family);
      } catch {
        continue;
      }
      if (list.check(address, family)) return true;
    }
  }
  return false;
}

function refusal(hostname: string, address: string): ArgusError {
  const what = hostname === address ? `'${hostname}'` : `'${hostname}' (${address})`;
  return new ArgusError(
    'HOST_NOT_ALLOWED',
    `Cannot call ${what}: it is a private, loopback or link-local address, which LLM connections may not reach while authentication is on; an instance administrator can allow it with --llm-allowed-hosts`,
  );
}

/**
 * Checks one resolved address of a host.
 * @throws ArgusError HOST_NOT_ALLOWED.
 */
export function checkAddress(policy: HostPolicy, hostname: string, address: string): void {
  if (!policy.restrictPrivate || !isNonPublicAddress(address)) return;
  if (!isAllowed(policy, hostname, address)) throw refusal(hostname, address);
}

/**
 * Resolves a host and checks every address it has (what creating or testing a connection does,
 * for an early, clear answer). A literal address is checked as is.
 * @throws ArgusError HOST_NOT_ALLOWED, or INVALID_PARAMETER when the name does not resolve.
 */
export async function checkHost(policy: HostPolicy, hostname: string): Promise<void> {
  if (!policy.restrictPrivate) return;
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return checkAddress(policy, host, host);
  if (isAllowed(policy, host, undefined)) return;
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  ).catch((error: Error) => {
    throw new ArgusError(
      'INVALID_PARAMETER',
      `Invalid connection field 'baseUrl': host '${host}' does not resolve (${(error as NodeJS.ErrnoException).code ?? error.message})`,
    );
  });
  for (const { address } of addresses) checkAddress(policy, host, address);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` that refuses non-public addresses the policy does not allow, so
 * the address checked is the address connected to.
 */
export function guardedLookup(policy: HostPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, []);
      try {
        for (const { address } of addresses) checkAddress(policy, hostname, address);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
