import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log/logger';
import { safeStorage } from './fakeElectron';
import { createSafeStorageSecretStore, safeStorageProtection } from './safeStorageSecrets';

vi.mock('electron', () => import('./fakeElectron'));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'safe-storage-'));
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => {
  const log = createLogger({ dir: join(dir, 'logs'), console: false });
  return { log, store: createSafeStorageSecretStore({ file: join(dir, 'secrets.json'), log }) };
};
const logText = () => readFileSync(join(dir, 'logs', 'main.log'), 'utf8');

describe('secrets through safeStorage', () => {
  it('with an OS key store: stored encrypted, read back, never in clear in the file', () => {
    const { store } = open();
    expect(store.backend()).toBe('os');
    store.set('lifepos.token', 'tok-секрет-1');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('tok-секрет-1');
    expect(open().store.get('lifepos.token')).toBe('tok-секрет-1');
  });

  it.runIf(process.platform === 'linux')('Linux basic_text (no secret service) counts as clear text: refused unless allowed, and warned', () => {
    safeStorage.backend = 'basic_text';
    expect(safeStorageProtection()).toBe('plaintext');
    const { store } = open();
    expect(store.backend()).toBe('unavailable');
    expect(() => store.set('lifepos.token', 'x')).toThrow(/не сохранены/);
    store.setPlaintextAllowed(true);
    expect(store.backend()).toBe('plaintext-allowed');
    expect(logText()).toMatch(/no OS key store for secrets.*basic_text/);
  });

  it('no encryption at all: nothing stored, and the log says safeStorage is unavailable', () => {
    safeStorage.available = false;
    expect(safeStorageProtection()).toBe('none');
    const { store } = open();
    store.setPlaintextAllowed(true);
    expect(store.backend()).toBe('unavailable');
    expect(logText()).toMatch(/"safeStorage":"unavailable"/);
  });

  it('passes the person’s clear-text permission through', () => {
    safeStorage.available = false;
    const log = createLogger({ dir: join(dir, 'logs'), console: false });
    const store = createSafeStorageSecretStore({ file: join(dir, 'secrets.json'), log, plaintextAllowed: true });
    expect(store.backend()).toBe('unavailable');
    safeStorage.available = true;
    safeStorage.backend = 'basic_text';
    expect(store.backend()).toBe(process.platform === 'linux' ? 'plaintext-allowed' : 'os');
  });
});
