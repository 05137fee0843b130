import { safeStorage } from 'electron';
import type { Logger } from '../log/logger';
import { createEncodedSecretStore, type SecretProtection } from '../secrets/encodedSecretStore';
import type { SecretStore } from '../secrets/secretStore';

/**
 * API keys and passwords encrypted with Electron's safeStorage (DPAPI on Windows, libsecret/kwallet on
 * Linux), the ciphertext kept base64 in `<data folder>/secrets.json`. On Linux without a secret service
 * safeStorage falls back to a key hard-coded in Chromium (`basic_text`), which protects nothing: that
 * counts as clear text and is refused unless the person allowed it. Call after app 'ready'.
 */
export interface SafeStorageSecretStoreOptions {
  file: string;
  log: Logger;
  plaintextAllowed?: boolean;
}

export function safeStorageProtection(): SecretProtection {
  if (!safeStorage.isEncryptionAvailable()) return 'none';
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'plaintext';
  return 'os';
}

export function createSafeStorageSecretStore(opts: SafeStorageSecretStoreOptions): SecretStore {
  const protection = safeStorageProtection();
  if (protection !== 'os') {
    opts.log.warn('no OS key store for secrets: API keys and passwords are stored only if the person allows clear text', {
      safeStorage: protection === 'none' ? 'unavailable' : 'basic_text',
    });
  }
  return createEncodedSecretStore({
    file: opts.file,
    log: opts.log,
    ...(opts.plaintextAllowed === undefined ? {} : { plaintextAllowed: opts.plaintextAllowed }),
    codec: {
      encode: (value) => safeStorage.encryptString(value).toString('base64'),
      decode: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
    },
    protection: safeStorageProtection,
  });
}
