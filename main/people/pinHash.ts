import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * PINs are kept as Node's scrypt of the PIN with a 16-byte random salt (issue 14: no passwords stored in
 * clear). scrypt's defaults (N=16384, r=8, p=1) cost a few milliseconds here and make a stolen database's
 * 4–8 digit PINs expensive to try one by one; the three-tries lock (approvals.ts) guards the till itself.
 */
const KEY_BYTES = 32;

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(pin, salt, KEY_BYTES, (e, key) => (e ? reject(e) : resolve(key))));
}

export interface PinHash {
  hashHex: string;
  saltHex: string;
}

export async function hashPin(pin: string): Promise<PinHash> {
  const salt = randomBytes(16);
  return { hashHex: (await derive(pin, salt)).toString('hex'), saltHex: salt.toString('hex') };
}

export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  const expected = Buffer.from(stored.hashHex, 'hex');
  const actual = await derive(pin, Buffer.from(stored.saltHex, 'hex'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
