import { BlockList, isIP } from 'node:net';

/**
 * Which addresses are this computer (loopback) and which are the store's own network (private ranges).
 * Used for two decisions: who may read the bridge's token page, and which back-end addresses may be
 * reached without TLS. Names other than `localhost` are never trusted: a DNS name can point anywhere.
 */
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4'); // RFC 1122 3.2.1.3: all of 127/8 is loopback
loopback.addAddress('::1', 'ipv6');

const privateNetwork = new BlockList();
privateNetwork.addSubnet('10.0.0.0', 8, 'ipv4'); // RFC 1918
privateNetwork.addSubnet('172.16.0.0', 12, 'ipv4');
privateNetwork.addSubnet('192.168.0.0', 16, 'ipv4');
privateNetwork.addSubnet('169.254.0.0', 16, 'ipv4'); // RFC 3927 link-local
privateNetwork.addSubnet('fc00::', 7, 'ipv6'); // RFC 4193 unique local
privateNetwork.addSubnet('fe80::', 10, 'ipv6'); // RFC 4291 link-local

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1, as a dual-stack socket reports IPv4 peers) as IPv4. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

function inList(list: BlockList, address: string): boolean {
  const a = unmapped(address.replace(/^\[(.*)\]$/, '$1'));
  const family = isIP(a);
  if (family === 0) return false;
  return list.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

/** A socket's remote address is this computer. Undefined (a Unix socket, a destroyed socket) is not. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && inList(loopback, address);
}

/** A URL's hostname (`127.0.0.1`, `[::1]`, `localhost`) names this computer. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname.toLowerCase() === 'localhost' || isLoopbackAddress(hostname);
}

/** An IP literal in a private or link-local range: the store's own network, never the internet. */
export function isPrivateNetworkHost(hostname: string): boolean {
  return inList(privateNetwork, hostname);
}

/** An IP literal, bracketed or not (a Host header's or URL's hostname). */
export function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
}
