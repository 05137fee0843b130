import { describe, expect, it } from 'vitest';
import { isIpLiteral, isLoopbackAddress, isLoopbackHost, isPrivateNetworkHost } from './networkAddresses';

describe('network addresses', () => {
  it('knows this computer by its socket address, IPv4-mapped included, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '[::1]']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of [undefined, '', '10.0.0.1', '::ffff:10.0.0.1', '0.0.0.0', '::', 'localhost', '128.0.0.1', '::2']) expect(isLoopbackAddress(a), String(a)).toBe(false);
  });

  it('accepts localhost as a host name for this computer, but no other name', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('localhost.evil.example')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });

  it('counts only private and link-local IP literals as the store network', () => {
    for (const h of ['10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.1.10', '169.254.3.4', '[fd00::5]', 'fe80::1']) expect(isPrivateNetworkHost(h), h).toBe(true);
    for (const h of ['172.32.0.1', '8.8.8.8', '127.0.0.1', 'regos.local', 'router', '[2001:db8::1]']) expect(isPrivateNetworkHost(h), h).toBe(false);
  });

  it('tells IP literals from names', () => {
    expect(isIpLiteral('192.168.0.1')).toBe(true);
    expect(isIpLiteral('[::1]')).toBe(true);
    expect(isIpLiteral('evil.test')).toBe(false);
  });
});
