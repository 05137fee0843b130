import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type FileLogger } from '../log/logger';
import { createEncodedSecretStore, type SecretProtection } from './encodedSecretStore';
import { createFileSecretStore } from './fileSecretStore';
import { caughtAppError } from '../../test/support/caughtAppError';

const SECRET = 'lp-api-key-5f1e9a7c';
let dir: string;
let log: FileLogger;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  log = createLogger({ dir: join(dir, 'logs'), level: 'debug' });
  file = join(dir, 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const logText = () => (existsSync(log.file) ? readFileSync(log.file, 'utf8') : '');


describe('file secret store (plain Node)', () => {
  it('refuses to store without explicit permission, and says so without the value', () => {
    const store = createFileSecretStore({ file, log });
    expect(store.backend()).toBe('unavailable');
    const e = caughtAppError(() => store.set('lifepay.apiKey', SECRET));
    expect(e.code).toBe('secrets.refused');
    expect(e.message).toMatch(/не сохранены/);
    expect(JSON.stringify({ m: e.message, d: e.detail })).not.toContain(SECRET);
    expect(existsSync(file)).toBe(false);
    expect(store.get('lifepay.apiKey')).toBeNull();
  });

  it('with permission stores in a 0600 file, warns, and never logs the value', () => {
    const store = createFileSecretStore({ file, log });
    store.setPlaintextAllowed(true);
    expect(store.backend()).toBe('plaintext-allowed');
    store.set('lifepay.apiKey', SECRET);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logText()).toContain('WITHOUT OS encryption');
    log.info('calling LIFE PAY', { url: `https://api.example/v1?apikey=${SECRET}` });
    expect(logText()).not.toContain(SECRET);

    const reopened = createFileSecretStore({ file, log });
    expect(reopened.get('lifepay.apiKey')).toBe(SECRET);
    reopened.delete('lifepay.apiKey');
    expect(reopened.get('lifepay.apiKey')).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('a damaged secrets file reads as empty and is logged without its content', () => {
    writeFileSync(file, `{"version":1,"secrets":{"x":"${SECRET}"`);
    const store = createFileSecretStore({ file, log });
    expect(store.get('x')).toBeNull();
    expect(logText()).toContain('secrets file is damaged');
    expect(logText()).not.toContain(SECRET);
  });

  it('rejects ids that could not be a settings field', () => {
    const store = createFileSecretStore({ file, log, plaintextAllowed: true });
    expect(caughtAppError(() => store.set('../etc', 'x')).code).toBe('secrets.bad_id');
  });
});

describe('encoded secret store (the shape of the safeStorage store)', () => {
  // A reversible stand-in for safeStorage: the test only needs "not the plaintext on disk".
  const codec = {
    encode: (v: string) => Buffer.from(`enc:${v}`).toString('base64'),
    decode: (s: string) => {
      const text = Buffer.from(s, 'base64').toString();
      if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text.slice(4);
    },
  };
  const make = (protection: SecretProtection, plaintextAllowed = false) =>
    createEncodedSecretStore({ file, log, codec, protection: () => protection, plaintextAllowed });

  it('with an OS key store keeps only ciphertext on disk', () => {
    const store = make('os');
    expect(store.backend()).toBe('os');
    store.set('lifepos.token', SECRET);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    expect(make('os').get('lifepos.token')).toBe(SECRET);
    expect(logText()).not.toContain('WITHOUT');
  });

  it("Linux basic_text counts as clear text: refused unless allowed", () => {
    expect(caughtAppError(() => make('plaintext').set('lifepos.token', SECRET)).code).toBe('secrets.refused');
    const allowed = make('plaintext', true);
    allowed.set('lifepos.token', SECRET);
    expect(logText()).toContain('WITHOUT OS encryption');
  });

  it('no encryption at all is refused even when clear text is allowed', () => {
    expect(make('none', true).backend()).toBe('unavailable');
    expect(caughtAppError(() => make('none', true).set('lifepos.token', SECRET)).code).toBe('secrets.refused');
  });

  it('a value that no longer decrypts reads as null with a warning', () => {
    writeFileSync(file, JSON.stringify({ version: 1, secrets: { 'regos.password': Buffer.from('garbage').toString('base64') } }));
    expect(make('os').get('regos.password')).toBeNull();
    expect(logText()).toContain('cannot be decrypted');
  });

  it('an encryption failure is an AppError without the value', () => {
    const store = createEncodedSecretStore({
      file, log, protection: () => 'os',
      codec: { encode: () => { throw new Error('keyring locked'); }, decode: (s) => s },
    });
    const e = caughtAppError(() => store.set('lifepos.token', SECRET));
    expect(e.code).toBe('secrets.encrypt_failed');
    expect(`${e.message} ${e.detail}`).not.toContain(SECRET);
  });
});
